// SPDX-License-Identifier: MIT
#include "agntd/llm/offline/grammar.h"

#include <algorithm>
#include <optional>
#include <regex>
#include <set>

#include "agntd/llm/offline/names.h"
#include "agntd/llm/offline/time_zones.h"
#include "agntd/llm/offline/words.h"
#include "common/error.h"
#include "common/nix_names.h"
#include "common/text.h"

namespace agntd::offline {
namespace {

using Kind = Request::Kind;
using Set = std::set<std::string_view>;

// ---- small readers over a clause's words ----

bool in(const Set& set, std::string_view word) { return set.count(word) > 0; }

bool has(const Words& w, std::string_view word) {
  return std::any_of(w.begin(), w.end(), [&](const Word& x) { return x.low == word; });
}

bool has_any(const Words& w, const Set& set) {
  return std::any_of(w.begin(), w.end(), [&](const Word& x) { return in(set, x.low); });
}

std::optional<size_t> find(const Words& w, std::string_view word, size_t from = 0) {
  for (size_t i = from; i < w.size(); ++i)
    if (w[i].low == word) return i;
  return std::nullopt;
}

std::vector<std::string> split_phrase(std::string_view phrase) { return agntos::split(phrase, ' '); }

bool phrase_at(const Words& w, size_t at, std::string_view phrase) {
  const auto parts = split_phrase(phrase);
  if (at + parts.size() > w.size()) return false;
  for (size_t i = 0; i < parts.size(); ++i)
    if (w[at + i].low != parts[i]) return false;
  return true;
}

std::optional<size_t> find_phrase(const Words& w, std::string_view phrase, size_t from = 0) {
  for (size_t i = from; i < w.size(); ++i)
    if (phrase_at(w, i, phrase)) return i;
  return std::nullopt;
}

bool has_phrase(const Words& w, std::string_view phrase) { return find_phrase(w, phrase).has_value(); }

bool starts(const Words& w, std::string_view phrase) { return phrase_at(w, 0, phrase); }

size_t phrase_words(std::string_view phrase) { return split_phrase(phrase).size(); }

Words slice(const Words& w, size_t from, size_t to = std::string::npos) {
  from = std::min(from, w.size());
  to = std::min(to, w.size());
  return Words(w.begin() + static_cast<long>(from), w.begin() + static_cast<long>(std::max(from, to)));
}

// The first of `phrases` (longest first) the clause starts with.
std::optional<std::string_view> starts_any(const Words& w, std::initializer_list<std::string_view> phrases) {
  std::optional<std::string_view> best;
  for (auto phrase : phrases)
    if (starts(w, phrase) && (!best || phrase_words(phrase) > phrase_words(*best))) best = phrase;
  return best;
}

bool all_in(const Words& w, const Set& set) {
  return std::all_of(w.begin(), w.end(), [&](const Word& x) { return in(set, x.low); });
}

bool valid_attribute_path(std::string_view path) {
  try {
    agntos::check_attribute_path(path, "name");
    return true;
  } catch (const agntos::Error&) {
    return false;
  }
}

bool is_id(std::string_view word, char prefix) {
  return word.size() > 3 && word[0] == prefix && word[1] == '-' &&
         word.find_first_not_of("0123456789abcdef", 2) == std::string_view::npos;
}

std::optional<int> port_number(std::string_view word) {
  if (!is_number(word)) return std::nullopt;
  const int value = std::stoi(std::string(word));
  if (value < 1 || value > 65535) return std::nullopt;
  return value;
}

Request said(std::string text) {
  Request r;
  r.kind = Kind::said;
  r.text = std::move(text);
  return r;
}

Request simple(Kind kind, std::string subject = {}) {
  Request r;
  r.kind = kind;
  r.subject = std::move(subject);
  return r;
}

// ---- politeness ----

const std::initializer_list<std::string_view> kLeadIns{
    "please", "pls", "plz", "kindly", "hey", "ok so", "okay so", "so", "now", "also", "and", "then", "and then",
    "after that", "next", "plus", "could you please", "can you please", "would you please", "could you", "can you",
    "would you", "will you", "could u", "can u", "would you mind", "do you mind", "would you be so kind as to",
    "i would like you to", "i want you to", "i need you to", "i would like to", "i would love to", "i want to",
    "i wish to", "i need to", "i have to", "i would like it if you could", "help me", "go ahead and", "let us",
    "just", "quickly", "maybe", "is it possible to", "are you able to", "how do i", "how can i", "how to",
    "how would i", "i was wondering if you could", "i wonder if you could", "could i ask you to", "yo", "um", "uh",
    "hmm", "oh", "well", "alright", "right", "actually", "agnt", "assistant", "you could", "you can", "can we",
    "could we", "we need to", "we should", "i think we should", "i think you should", "you should", "time to",
    "it is time to", "try to", "go and", "be a dear and", "real quick", "first", "finally", "lastly", "last",
    "secondly", "second", "in addition", "additionally", "by the way", "btw",
};
const std::initializer_list<std::string_view> kTrailers{
    "please", "for me", "thanks", "thank you", "if you can", "if possible", "if you could", "now", "right now", "asap",
    "quickly", "for me please", "please and thank you", "thx", "real quick", "when you can", "when you get a chance",
    "for me thanks", "ok", "okay", "too", "as well", "thank you very much", "thanks a lot", "cheers", "mate",
};

Words strip_politeness(Words w) {
  for (bool changed = true; changed && !w.empty();) {
    changed = false;
    std::optional<std::string_view> best;
    for (auto phrase : kLeadIns)
      if (starts(w, phrase) && (!best || phrase_words(phrase) > phrase_words(*best))) best = phrase;
    // "let us" keeps "let us know"-style readings harmless; a lead-in never eats the whole clause
    // when what is left would be empty and the lead-in itself says something ("help me").
    if (best && phrase_words(*best) < w.size()) {
      w.erase(w.begin(), w.begin() + static_cast<long>(phrase_words(*best)));
      changed = true;
      // "I'd like to have jq", "I want to get htop": having is installing.
      if (best->ends_with(" to") && !w.empty() && (w[0].low == "have" || w[0].low == "get") && w.size() > 1) {
        w[0].low = "install";
        w[0].text = "install";
      }
    }
    std::optional<std::string_view> tail;
    for (auto phrase : kTrailers) {
      const size_t n = phrase_words(phrase);
      if (n < w.size() && phrase_at(w, w.size() - n, phrase) && (!tail || n > phrase_words(*tail))) tail = phrase;
    }
    if (tail) {
      w.resize(w.size() - phrase_words(*tail));
      changed = true;
    }
  }
  return w;
}

// ---- the categories ----

const Set kThanks{"thanks", "thank", "thx", "ty", "cheers", "appreciated", "appreciate", "tysm", "ta", "thankyou"};
const Set kSocialFiller{"you", "so", "much", "very", "a", "lot", "many", "it", "that", "this", "great", "awesome",
                        "perfect", "cool", "nice", "good", "job", "well", "done", "ok", "okay", "brilliant",
                        "excellent", "wonderful", "is", "works", "worked", "helpful", "super", "for", "the", "help",
                        "all", "again", "mate", "buddy", "man", "dude", "really", "amazing", "fantastic", "lovely",
                        "sweet", "yes", "yeah", "your", "was", "i", "my", "friend", "kind", "of", "that's",
                        "thanks", "thank", "wow", "excellent", "neat", "oh", "ah", "alright", "fine", "now"};
const Set kGreetings{"hi", "hello", "hey", "howdy", "greetings", "yo", "hiya", "heya", "sup", "morning", "evening",
                     "afternoon", "hallo", "hola", "moin", "servus", "hei", "hej", "bonjour", "salut", "ciao"};
const Set kGreetFiller{"there", "agnt", "agntos", "good", "morning", "afternoon", "evening", "day", "buddy", "friend",
                       "assistant", "how", "are", "you", "doing", "is", "it", "going", "all", "everyone", "mate",
                       "again", "what", "up", "today", "computer", "bot", "i", "am", "fine", "well", "hope", "and",
                       "to", "nice", "meet", "pleasure", "a", "the", "machine", "hi", "hello", "hey", "things",
                       "new", "oh", "ok", "okay", "so", "back", "am", "yourself", "doing"};

std::optional<Request> read_social(const Words& w) {
  if (has_any(w, kThanks) && all_in(w, [] {
        Set s = kSocialFiller;
        s.insert(kThanks.begin(), kThanks.end());
        return s;
      }()))
    return simple(Kind::thanks);
  if (const auto bye = starts_any(w, {"bye", "goodbye", "good bye", "see you", "see ya", "cya", "good night",
                                      "goodnight", "later", "that is all", "that is it", "i am done", "all done",
                                      "nothing else", "that will be all"})) {
    static const Set rest{"for", "now", "today", "thanks", "thank", "you", "bye", "then", "here", "ok", "okay", "later",
                          "tomorrow", "soon", "mate", "all", "everyone", "and", "so", "much"};
    if (all_in(slice(w, phrase_words(*bye)), rest)) return simple(Kind::thanks, "bye");
  }
  if ((in(kGreetings, w[0].low) || starts_any(w, {"good morning", "good evening", "good afternoon", "good day",
                                                    "how are you", "what is up", "nice to meet you"})) &&
      all_in(w, [] {
        Set s = kGreetFiller;
        s.insert(kGreetings.begin(), kGreetings.end());
        return s;
      }()))
    return simple(Kind::greeting);
  return std::nullopt;
}

std::optional<Request> read_capabilities(const Words& w) {
  const std::string text = " " + join_low(w) + " ";
  static const std::initializer_list<std::string_view> phrases{
      "what can you do", "what can i ask", "what can i say", "what can i do with you", "what do you do",
      "what do you understand", "what do you know how to do", "what do you support", "what are you able to do",
      "what are your capabilities", "what are your commands", "what are your features", "what commands",
      "which commands", "how does this work", "how do you work", "how do i use you", "how do i use this",
      "who are you", "what are you", "show help", "show me the help", "show the help", "list commands",
      "what else can you do", "what can you help with", "what can you help me with", "what kind of things",
      "what sort of things", "what requests", "can you help", "what can you", "what are you good for",
      "what do you know how", "what are you capable of", "what things can you",
      "what are the commands", "give me the help", "print the help", "how can you help", "what should i ask",
      "what can i tell you", "what you can do"};
  for (auto phrase : phrases)
    if (text.find(" " + std::string(phrase) + " ") != std::string::npos) return simple(Kind::capabilities);
  if (join_low(w) == "what is this" || join_low(w) == "what is this thing") return simple(Kind::capabilities);
  if ((w[0].low == "help" || w[0].low == "commands" || w[0].low == "usage" || w[0].low == "?") && w.size() <= 3)
    return simple(Kind::capabilities);
  return std::nullopt;
}

std::string strip_leading(std::string text, std::initializer_list<std::string_view> prefixes) {
  for (bool changed = true; changed;) {
    changed = false;
    const auto low = agntos::to_lower(text);
    std::string_view best;
    for (auto prefix : prefixes)
      if ((low == prefix || low.starts_with(std::string(prefix) + " ") || low.starts_with(std::string(prefix) + ":")) &&
          prefix.size() > best.size())
        best = prefix;
    if (!best.empty()) {
      text = agntos::trim(std::string_view(text).substr(best.size()));
      while (!text.empty() && (text[0] == ':' || text[0] == ',' || text[0] == '-')) text = agntos::trim(text.substr(1));
      changed = true;
    }
  }
  return text;
}

std::optional<Request> read_memory(const Words& w) {
  // forget
  const auto forget = starts_any(w, {"forget", "please forget", "you can forget", "delete the note", "remove the note",
                                     "drop the note", "erase the note", "delete my note", "remove my note",
                                     "delete the memory", "stop remembering", "no need to remember", "unlearn",
                                     "delete your note", "remove your note", "forget all about", "forget about"});
  if (forget) {
    std::string target = join_text(slice(w, phrase_words(*forget)));
    target = strip_leading(target, {"that", "about", "the fact that", "what i said about", "what i told you about",
                                    "my note about", "the note about", "my preference for", "my preference about",
                                    "the thing about", "everything about", "about the fact that", "about how",
                                    "about", "my", "the note that", "the note saying", "saying", "which says"});
    for (auto tail : {" from your memory", " from memory", " from your notes"}) {
      const auto low = agntos::to_lower(target);
      if (low.ends_with(tail)) target = target.substr(0, target.size() - std::string_view(tail).size());
    }
    const auto low = agntos::to_lower(target);
    if (low.empty() || low == "that" || low == "it" || low == "this" || low == "what i just said" ||
        low == "what i said" || low == "the last note" || low == "the last one" || low == "that note" ||
        low == "this note")
      return simple(Kind::forget, low == "it" ? "it" : "");
    return simple(Kind::forget, target);
  }
  // remember
  const auto remember = starts_any(
      w, {"remember that", "remember", "note that", "note down", "note", "make a note that", "make a note of",
          "make a note", "take a note that", "take a note", "keep in mind that", "keep in mind", "bear in mind that",
          "bear in mind", "do not forget that", "do not forget", "memorize that", "memorize", "memorise that",
          "memorise", "save a note that", "save a note", "please note that", "please note", "for the record",
          "fyi", "just so you know", "jot down that", "jot down", "write down that", "write down",
          "for future reference", "remember this", "note this", "learn that", "store that", "save that",
          "add a note that", "add a note", "add to your memory that", "add to memory that", "put in your notes that"});
  if (remember && !has_any(w, {"what", "anything"})) {
    std::string content = join_text(slice(w, phrase_words(*remember)));
    content = strip_leading(content, {"that", "this", "down", "of", "the fact that", "to memory", "to your memory"});
    if (content.empty()) return said("What should I remember? Say for example \"remember that I prefer vim\".");
    return simple(Kind::remember, content);
  }
  if (starts_any(w, {"do you remember", "did you remember", "do you still remember"})) {
    if (has_any(w, {"talked", "discussed", "said", "asked", "mentioned", "told"})) return std::nullopt;
    return simple(Kind::memory_show);
  }
  // Statements about oneself are preferences to keep, as a model would note them.
  if (starts_any(w, {"i prefer", "i like", "i love", "i always", "i usually", "i never", "i hate", "i dislike",
                     "i mostly", "i normally", "i generally", "my favorite", "my favourite", "my preferred",
                     "i am a", "i work", "i use", "i mainly use", "i would rather", "i enjoy", "my name is",
                     "call me", "i speak", "i live in", "i tend to"}) &&
      w.size() >= 3)
  {
    Request r = simple(Kind::remember, join_text(w));
    r.focus = "statement";
    return r;
  }
  const std::string text = " " + join_low(w) + " ";
  for (auto phrase : {"know about me", "remember about me", "what do you remember", "what have you noted",
                      "what have you remembered", "what did you note", "what notes", "show my notes",
                      "show your notes", "show notes", "show me your notes", "show me my notes",
                      "show your memory", "show me your memory", "your memory",
                      "my preferences", "what is in your memory", "what is in memory", "list notes",
                      "list your notes", "what have you saved", "what do you have on me", "your notes", "my notes",
                      "what do you know of me", "what you know about me", "what you remember",
                      "what have you learned about me", "what have you learnt about me", "curated memory",
                      "your memories", "my memories", "list memories", "show memories", "what do you know"})
    if (text.find(" " + std::string(phrase) + " ") != std::string::npos) return simple(Kind::memory_show);
  return std::nullopt;
}

const Set kWhyStop{"why", "is", "was", "are", "were", "do", "does", "did", "i", "we", "you", "have", "has", "had",
                   "got", "installed", "install", "enabled", "there", "on", "this", "the", "my", "system", "machine",
                   "computer", "here", "a", "an", "package", "service", "been", "so", "it", "set", "to", "what",
                   "how", "come", "who", "added", "add", "turned", "switched", "open", "opened", "running", "in",
                   "config", "configuration", "still", "always", "get", "where", "from", "comes", "come", "does",
                   "reason", "for", "of", "that", "program", "tool", "app", "active", "present", "available",
                   "exist", "exists", "put", "our", "box", "laptop", "server", "now", "at", "all", "even",
                   "end", "up", "ended", "made", "make", "enable", "did", "changed", "change", "us", "anyone",
                   "somebody", "someone", "again", "around", "along", "thing", "things", "stuff", "actually",
                   "mean", "means", "happen", "happened", "need", "needed", "included", "include", "being",
                   "listed", "here", "installing", "adding", "enabling", "opening", "they", "them", "its", "with"};

// The longest service name in names.h starting at w[at]: its entry and how many words it took.
std::optional<std::pair<const ServiceName*, size_t>> service_at(const Words& w, size_t at) {
  for (size_t n = std::min(longest_service_name_words(), w.size() - at); n >= 1; --n)
    if (const auto* service = find_service(join_low(w, at, at + n))) return std::pair{service, n};
  return std::nullopt;
}

std::optional<std::pair<const ServiceName*, size_t>> first_service(const Words& w, size_t from = 0) {
  for (size_t i = from; i < w.size(); ++i)
    if (auto found = service_at(w, i)) return std::pair{found->first, i};
  return std::nullopt;
}

std::vector<int> numbers_in(const Words& w) {
  std::vector<int> ports;
  for (const auto& word : w) {
    std::string token = word.low;
    if (auto slash = token.find('/'); slash != std::string::npos) token = token.substr(0, slash);
    if (auto port = port_number(token); port && std::find(ports.begin(), ports.end(), *port) == ports.end())
      ports.push_back(*port);
  }
  return ports;
}

// Whether the clause names UDP (only), TCP (only) or both for its ports.
std::pair<bool, bool> protocols(const Words& w) {
  bool tcp = false;
  bool udp = false;
  for (const auto& word : w) {
    if (word.low == "tcp" || word.low.ends_with("/tcp")) tcp = true;
    if (word.low == "udp" || word.low.ends_with("/udp")) udp = true;
  }
  if (has(w, "both")) tcp = udp = true;
  if (!tcp && !udp) tcp = true;
  return {tcp, udp};
}

std::optional<Request> read_why(const Words& w) {
  const bool why = has(w, "why") || starts(w, "how come") ||
                   (w[0].low == "who" && has_any(w, {"installed", "added", "enabled", "opened", "put", "set",
                                                      "changed", "turned", "asked", "wanted"})) ||
                   (has(w, "where") && has(w, "from") && has_any(w, {"come", "comes", "came"})) ||
                   (starts(w, "how did") && has_any(w, {"get", "end", "installed", "come", "got"})) ||
                   starts(w, "what installed") || has_phrase(w, "reason for") || has_phrase(w, "the reason");
  if (!why) return std::nullopt;
  Request r;
  if (has_any(w, {"port", "ports"}) || std::any_of(w.begin(), w.end(), [](const Word& x) {
        return x.low.ends_with("/tcp") || x.low.ends_with("/udp");
      })) {
    const auto ports = numbers_in(w);
    if (!ports.empty()) {
      r.kind = Kind::why_port;
      const auto [tcp, udp] = protocols(w);
      (udp && !tcp ? r.udp : r.tcp).push_back(ports.front());
      return r;
    }
  }
  r.kind = Kind::why;
  if (has(w, "hostname") || has_phrase(w, "host name")) {
    r.subject = "networking.hostName";
    r.label = "the host name";
    return r;
  }
  if (has(w, "timezone") || has_phrase(w, "time zone")) {
    r.subject = "time.timeZone";
    r.label = "the time zone";
    return r;
  }
  if (has(w, "locale") || has(w, "language")) {
    r.subject = "i18n.defaultLocale";
    r.label = "the locale";
    return r;
  }
  if (has_any(w, {"user", "account"})) {
    for (size_t i = 0; i < w.size(); ++i)
      if (!in(kWhyStop, w[i].low) && w[i].low != "user" && w[i].low != "account" && looks_like_name(w[i].low)) {
        r.subject = "users.users." + w[i].low;
        r.label = "the user " + w[i].low;
        return r;
      }
  }
  // A service or switch the table knows is asked about by its option.
  for (size_t i = 0; i < w.size(); ++i) {
    if (in(kWhyStop, w[i].low)) continue;
    if (auto found = service_at(w, i)) {
      // "why is htop installed" names no service; a word that is only in the table as a
      // generic word ("sound") still counts, since the table is what people call things.
      r.subject = std::string(found->first->option);
      r.label = std::string(found->first->label);
      return r;
    }
  }
  for (const auto& word : w)
    if (!in(kWhyStop, word.low) && looks_like_name(word.text) && valid_attribute_path(word.text)) {
      r.subject = word.text;
      r.label = word.text;
      return r;
    }
  return said("Why is what? Name the package, service or port, e.g. \"why is htop installed?\" or \"why is port 22 open?\"");
}

std::optional<Request> read_recent(const Words& w) {
  if (has_any(w, {"installed", "install"})) return std::nullopt;
  const std::string text = " " + join_low(w) + " ";
  for (auto phrase : {"what changed", "what has changed", "what have you changed", "what did you change",
                      "what did you do", "what have you done", "what happened", "recent changes", "latest changes",
                      "last changes", "last change", "changes recently", "changes lately", "change log", "changelog",
                      "show history", "show the history", "show me the history", "my history", "show changes",
                      "show the changes", "show me the changes", "list changes", "list the changes", "audit log",
                      "the log", "show log", "history of changes", "what was changed", "what got changed",
                      "what was done", "what you did", "what you changed", "anything changed", "recent activity",
                      "what did we change", "what have we changed", "what did we do", "what have we done",
                      "changes made", "changes you made", "changes have you made", "changes did you make",
                      "the audit", "audit trail", "changes have been made", "what has been changed",
                      "what is different", "what has been done", "what was modified", "what did you modify",
                      "recently changed", "changed recently", "changed lately", "recent history", "change history",
                      "what you have done", "what has happened"})
    if (text.find(" " + std::string(phrase) + " ") != std::string::npos) return simple(Kind::recent_changes);
  if (w.size() <= 2 && has_any(w, {"history", "audit", "log", "changes"})) return simple(Kind::recent_changes);
  return std::nullopt;
}

std::optional<Request> read_search(const Words& w) {
  static const Set talk{"talked", "talk", "discussed", "discuss", "mentioned", "mention", "chatted", "chat", "spoke",
                        "speak", "conversation", "conversations", "said", "say", "told", "asked", "ask", "brought",
                        "discussion", "discussions", "covered", "chats", "wrote", "typed"};
  static const Set past{"before", "earlier", "previously", "ever", "already", "past", "last", "we", "did", "have",
                        "when", "once", "prior", "yesterday", "ago", "had", "remember", "recall"};
  std::optional<size_t> about;
  for (size_t i = 0; i < w.size(); ++i)
    if (w[i].low == "about" || w[i].low == "regarding" || w[i].low == "concerning") about = i;
  const bool searching = w[0].low == "search" || w[0].low == "find" || w[0].low == "look" || w[0].low == "grep";
  const bool in_history = has_any(w, {"history", "conversations", "chats", "sessions", "messages", "conversation"});
  std::optional<size_t> query_from;
  if (has_any(w, talk) && about && has_any(w, past)) query_from = *about + 1;
  else if (has_any(w, talk) && has_any(w, past) && !searching) {
    // "did we discuss tailscale earlier?": the words after the verb.
    for (size_t i = 0; i < w.size(); ++i)
      if (in(talk, w[i].low)) query_from = i + 1;
    while (query_from && *query_from < w.size() && in({"of", "on", "over", "you", "me", "it"}, w[*query_from].low))
      ++*query_from;
  }
  else if (searching && in_history) {
    if (auto at = find(w, "for")) query_from = *at + 1;
    else if (about) query_from = *about + 1;
  }
  if (!query_from) return std::nullopt;
  static const Set tail{"before", "earlier", "previously", "ever", "already", "yet", "in", "the", "past", "last", "to", "for",
                        "time", "week", "month", "again", "at", "all", "with", "you", "me", "once", "ago",
                        "yesterday", "our", "my", "conversations", "history", "chats", "sessions", "a", "while"};
  size_t end = w.size();
  while (end > *query_from && in(tail, w[end - 1].low)) --end;
  size_t begin = *query_from;
  while (begin < end && in({"the", "a", "an", "my", "our", "any", "some"}, w[begin].low)) ++begin;
  const auto query = join_text(w, begin, end);
  if (query.empty()) return said("What should I look for in our past conversations? Say for example \"have we talked about docker before?\"");
  return simple(Kind::search_sessions, query);
}

std::optional<Request> read_undo_and_generations(const Words& w) {
  const bool generation = has_any(w, {"generation", "generations", "gen", "gens"});
  std::string number;
  for (size_t i = 0; i + 1 < w.size(); ++i)
    if ((w[i].low == "generation" || w[i].low == "gen" || w[i].low == "to" || w[i].low == "number" ||
         w[i].low == "#") &&
        is_number(w[i + 1].low))
      number = w[i + 1].low;
  for (const auto& word : w)
    if (word.low.size() > 1 && word.low[0] == '#' && is_number(word.low.substr(1))) number = word.low.substr(1);
  static const Set back{"back", "roll", "rollback", "switch", "revert", "restore", "return", "boot", "previous",
                        "activate", "go", "undo", "rewind", "downgrade", "reset"};
  if (generation) {
    if (has_any(w, back) || !number.empty()) {
      for (const auto& word : w)
        if (in({"two", "three", "four", "five", "2", "3", "4", "5"}, word.low) && number.empty() &&
            has_any(w, {"generations", "gens"}))
          return said("I go back one generation at a time, or to a numbered one: say \"list my generations\" to see "
                      "the numbers, then \"go back to generation N\".");
      return simple(Kind::rollback_generation, number);
    }
    return simple(Kind::list_generations);
  }
  for (const auto& word : w)
    if (is_id(word.low, 'a') && has_any(w, {"undo", "revert", "roll", "rollback", "reverse", "back"}))
      return simple(Kind::undo, word.low);
  if (starts_any(w, {"undo", "revert that", "revert it", "revert the last", "revert my last", "revert the change",
                     "revert this", "revert", "take that back", "take it back", "put it back", "put that back",
                     "put things back", "reverse that", "reverse it", "reverse the last", "roll that back",
                     "roll it back", "roll this back", "roll back that", "roll back the last change",
                     "roll back my last change", "roll back the change", "roll back the last", "roll back what you",
                     "cancel the last change", "cancel that change", "cancel my last change", "back out",
                     "that was a mistake", "scrap that change", "revert what you", "reverse what you",
                     "unapply", "un-apply", "undo what you", "change it back", "change that back",
                     "set it back", "restore what it was", "go back to how it was", "go back to the way it was",
                     "make it like before", "put it back the way it was"}) ||
      (has(w, "undo") && w.size() <= 6))
    return simple(Kind::undo);
  const bool roll = starts(w, "roll back") || starts(w, "rollback") || starts(w, "go back") ||
                    starts(w, "rollback to") || starts(w, "roll the system back") || starts(w, "revert the system") ||
                    starts(w, "restore the previous") || starts(w, "boot the previous") ||
                    starts(w, "switch back") || starts(w, "return to the previous");
  if (roll) return simple(Kind::rollback_generation, number);
  return std::nullopt;
}

std::optional<Request> read_yes_no(const Words& w) {
  for (const auto& word : w)
    if (is_id(word.low, 'p')) return simple(Kind::apply, word.low);
  static const Set yes_words{"yes", "y", "yeah", "yep", "yup", "sure", "ok", "okay", "approve", "approved", "confirm",
                             "confirmed", "affirmative", "correct", "right", "absolutely", "definitely", "please",
                             "do", "it", "go", "ahead", "apply", "that", "the", "change", "proposal", "proceed",
                             "fine", "alright", "k", "yea", "ya", "exactly", "now", "one", "sounds", "good", "looks",
                             "let", "us", "make", "so", "ship", "is", "indeed", "of", "course", "exactly", "perfect",
                             "great", "this", "changes", "pending", "them", "all", "thanks", "and", "yes,", "why",
                             "not", "lgtm", "i", "agree", "accept", "accepted", "will", "would"};
  const bool yes_start = in({"yes", "y", "yeah", "yep", "yup", "sure", "ok", "okay", "approve", "approved", "confirm",
                             "alright", "k", "yea", "ya", "absolutely", "definitely", "correct", "proceed", "apply",
                             "lgtm", "accept", "affirmative", "indeed"},
                            w[0].low) ||
                         starts_any(w, {"go ahead", "do it", "make it so", "ship it", "sounds good", "looks good",
                                        "that is right", "that is correct", "let us do it", "let us go",
                                        "of course", "why not", "i agree", "please do", "that is fine",
                                        "please apply", "yes please"});
  if (yes_start && all_in(w, yes_words) && w.size() <= 7) {
    if (has(w, "not") && !starts(w, "why not")) return std::nullopt;
    return simple(Kind::apply);
  }
  if (w[0].low == "apply" && w.size() <= 5) return simple(Kind::apply);
  static const Set no_words{"no", "nope", "nah", "n", "cancel", "never", "mind", "nevermind", "stop", "abort", "do",
                            "not", "it", "that", "thanks", "thank", "you", "please", "forget", "don't", "dont",
                            "wait", "hold", "on", "nothing", "skip", "leave", "as", "is", "thing", "i", "changed",
                            "my", "deny", "denied", "reject", "ok"};
  if ((in({"no", "nope", "nah", "n", "cancel", "nevermind", "abort", "deny", "reject"}, w[0].low) ||
       starts_any(w, {"never mind", "do not", "forget it", "hold on", "wait", "leave it", "i changed my mind",
                      "not now"})) &&
      all_in(w, no_words) && w.size() <= 6)
    return said("OK, I won't change anything.");
  return std::nullopt;
}

const Set kUserStop{"the", "a", "an", "new", "user", "users", "account", "accounts", "called", "named", "name", "for",
                    "with", "and", "to", "in", "into", "on", "group", "groups", "admin", "sudo", "rights", "access",
                    "privileges", "normal", "regular", "standard", "login", "me", "please", "also", "as", "their",
                    "his", "her", "them", "him", "add", "create", "make", "set", "up", "give", "put", "let", "who",
                    "can", "that", "is", "be", "should", "username", "of", "person", "people", "someone", "somebody",
                    "my", "our", "friend", "colleague", "kid", "son", "daughter", "wife", "husband", "partner",
                    "local", "unix", "linux", "system", "this", "machine", "computer", "id", "it", "an", "one",
                    "another", "second", "extra", "administrator", "permissions", "membership", "member", "members",
                    "join", "grant", "allow", "able", "use", "using", "so", "they", "he", "she", "register",
                    "setup", "wheel", "sudoers", "sudoer", "root", "password", "home", "directory", "shell",
                    "same", "both", "docker", "networkmanager", "audio", "video", "lets", "gets", "right"};

std::optional<Request> read_user(const Words& w) {
  static const Set user_words{"user", "users", "account", "accounts", "login", "username", "logins"};
  static const Set group_words{"group", "groups"};
  const bool has_user = has_any(w, user_words);
  const bool group_request = has_any(w, group_words) && has_any(w, {"add", "put", "join", "make", "give", "include"});
  const bool admin_request = has_any(w, {"give", "make", "grant", "let"}) &&
                             has_any(w, {"sudo", "admin", "administrator", "root", "wheel", "sudoer"}) &&
                             !has_any(w, {"port", "firewall"});
  if (!has_user && !group_request && !admin_request) return std::nullopt;
  if (has_user && in({"list", "show", "what", "which", "who", "how"}, w[0].low))
    return said("I can't list user accounts offline; `getent passwd` shows them, and \"why is the user NAME there?\" "
                "tells you whether AgntOS added one.");
  if (has_any(w, {"remove", "delete", "drop", "deactivate", "disable", "lock", "kill", "erase"}) && !has(w, "add"))
    return said("I don't remove user accounts offline: removing a user needs care with their files. Delete the "
                "module AgntOS wrote for them (modules/user-NAME.nix) with `agntctl propose --delete`, or configure "
                "an LLM with `agntctl model add` and ask again.");
  // The name: after a marker word, or right after the verb ("add bob to the docker group").
  std::string name;
  auto take_after = [&](size_t from) {
    for (size_t i = from; i < w.size() && name.empty(); ++i) {
      const auto& low = w[i].low;
      if (in({"with", "to", "in", "into", "and", "who", "without", "so", "because", "as"}, low)) break;
      if (in(kUserStop, low)) continue;
      if (std::regex_match(low, std::regex("[a-z_][a-z0-9_-]{0,31}"))) name = low;
      break;
    }
  };
  for (auto marker : {"called", "named", "username", "user", "account", "for"})
    if (name.empty())
      if (auto at = find(w, marker)) take_after(*at + 1);
  if (name.empty())
    for (auto verb : {"add", "put", "give", "make", "let", "grant", "create"})
      if (name.empty())
        if (auto at = find(w, verb)) take_after(*at + 1);
  if (name.empty())
    return said("What should the user be called? Say for example \"add the user bob\" or \"add the user bob to the "
                "wheel group\".");
  Request r;
  r.kind = Kind::user;
  r.subject = name;
  r.create = has_user || has_any(w, {"new", "create"});
  const bool group_context = has_any(w, {"group", "groups", "access", "rights", "privileges", "permissions", "sudo",
                                         "admin", "administrator", "administrators", "wheel", "sudoer", "sudoers",
                                         "root"});
  if (group_context)
    for (const auto& word : w) {
      if (word.low == name) continue;
      if (auto group = group_named(word.low);
          group && std::find(r.groups.begin(), r.groups.end(), *group) == r.groups.end())
        r.groups.emplace_back(*group);
    }
  if (!r.create && r.groups.empty())
    return said("What should I do for " + name + "? Say for example \"add the user " + name + "\" or \"add " + name +
                " to the docker group\".");
  return r;
}

const Set kOpenVerbs{"open", "allow", "unblock", "permit", "accept", "expose", "let", "enable", "add", "forward",
                     "whitelist", "allowlist", "unlock", "opened", "through"};
const Set kCloseVerbs{"close", "block", "deny", "shut", "remove", "disallow", "drop", "disable", "reject", "stop",
                      "closed", "blacklist", "lock", "delete", "forbid"};
const Set kOnVerbs{"enable", "activate", "start", "on", "up", "enabled", "restore", "reenable", "re-enable"};
const Set kOffVerbs{"disable", "deactivate", "stop", "off", "kill", "disabled", "down", "remove", "drop", "rid",
                    "without", "uninstall", "delete"};
const Set kQuestionStarts{"is", "are", "was", "what", "which", "why", "does", "do", "did", "show", "tell", "check",
                          "list", "how", "has", "have"};

std::optional<Request> read_firewall(const Words& w) {
  const bool firewall = has(w, "firewall") || has(w, "iptables") || has(w, "nftables");
  const bool port_words = has_any(w, {"port", "ports"}) || std::any_of(w.begin(), w.end(), [](const Word& x) {
                            return (x.low.ends_with("/tcp") || x.low.ends_with("/udp")) && x.low.size() > 4;
                          });
  auto ports = numbers_in(w);
  const bool bare_port = !ports.empty() && (has_any(w, {"tcp", "udp"}) ||
                                            in({"open", "close", "unblock", "block", "allow"}, w[0].low));
  if (!firewall && !port_words && !bare_port) return std::nullopt;
  auto [tcp, udp] = protocols(w);
  std::vector<int> named_tcp;
  std::vector<int> named_udp;
  if (ports.empty())
    for (const auto& word : w)
      for (const auto& named : ports_named(word.low)) {
        if (named.tcp) named_tcp.push_back(named.port);
        if (named.udp) named_udp.push_back(named.port);
      }
  const bool question = in(kQuestionStarts, w[0].low);
  const bool unblocking = has_phrase(w, "stop blocking") || has_phrase(w, "no longer block") ||
                          has_phrase(w, "do not block");
  const bool close = !unblocking && (has_any(w, kCloseVerbs) || has_phrase(w, "get rid of"));
  const bool open = unblocking || has_any(w, kOpenVerbs);
  if (ports.empty() && named_tcp.empty() && named_udp.empty()) {
    if (!firewall) return said("Which port? Say for example \"open port 443\" or \"open port 51820 udp\".");
    if (question) {
      Request r;
      r.kind = Kind::is_installed;
      r.option = "networking.firewall.enable";
      r.label = "the firewall";
      return r;
    }
    const bool off = has_any(w, kOffVerbs) || has_phrase(w, "get rid of") || has_phrase(w, "turn off");
    const bool on = has_any(w, kOnVerbs);
    if (!off && !on)
      return said("What should I do with the firewall? Say for example \"open port 443\" or \"disable the firewall\".");
    Request r;
    r.kind = Kind::switches;
    r.switches.push_back(Switch{"networking.firewall.enable", "the firewall", !off});
    return r;
  }
  Request r;
  if (question && !open && !close) {
    r.kind = Kind::why_port;
    if (!ports.empty()) (udp && !tcp ? r.udp : r.tcp).push_back(ports.front());
    else if (!named_tcp.empty()) r.tcp.push_back(named_tcp.front());
    else r.udp.push_back(named_udp.front());
    return r;
  }
  if (!open && !close)
    return said("Should I open or close that port? Say for example \"open port " +
                std::to_string(ports.empty() ? (named_tcp.empty() ? named_udp.front() : named_tcp.front()) : ports.front()) +
                "\".");
  r.kind = Kind::firewall_ports;
  r.on = !close || (open && has_any(w, {"open", "allow", "unblock"}) && !has_any(w, {"close", "block", "shut"}));
  if (!ports.empty()) {
    // Per-port protocol when written as 53/udp; otherwise the clause's.
    for (const auto& word : w) {
      if (!word.low.ends_with("/udp") && !word.low.ends_with("/tcp")) continue;
      if (auto port = port_number(word.low.substr(0, word.low.find('/')))) {
        (word.low.ends_with("/udp") ? r.udp : r.tcp).push_back(*port);
        std::erase(ports, *port);
      }
    }
    for (int port : ports) {
      if (tcp) r.tcp.push_back(port);
      if (udp) r.udp.push_back(port);
    }
  } else {
    r.tcp = named_tcp;
    r.udp = named_udp;
  }
  return r;
}

std::optional<std::string> value_after_marker(const Words& w, size_t from, size_t max_words = 3) {
  static const Set stop{"please", "thanks", "now", "for", "instead", "permanently", "from", "on"};
  for (size_t i = w.size(); i-- > from;) {
    if (in({"to", "as", "be", "=", "into", "called", "named", "is"}, w[i].low) && i + 1 < w.size()) {
      size_t end = i + 1;
      while (end < w.size() && end < i + 1 + max_words && !in(stop, w[end].low)) ++end;
      if (end > i + 1) return join_text(w, i + 1, end);
    }
  }
  return std::nullopt;
}

std::optional<Request> read_hostname(const Words& w) {
  static const Set machine{"machine", "computer", "box", "host", "system", "laptop", "pc", "server", "desktop",
                           "device", "workstation", "it", "this", "node", "vm"};
  const auto marker = find(w, "hostname") ? find(w, "hostname") : find_phrase(w, "host name");
  const bool rename = (has_any(w, {"rename", "name", "call", "named", "called"}) && has_any(w, machine) &&
                       !has_any(w, {"user", "account", "file", "folder", "directory"})) ||
                      has_phrase(w, "machine name") || has_phrase(w, "computer name");
  if (!marker && !rename) return std::nullopt;
  if (in({"what", "which", "show", "tell"}, w[0].low) && !has_any(w, {"change", "set", "rename", "to"})) {
    Request r = simple(Kind::inspect, "system");
    r.focus = "hostname";
    return r;
  }
  std::optional<std::string> value = value_after_marker(w, 0, 3);
  if (!value) {
    // "name this machine devbox", "hostname devbox": the last word that is not the marker.
    const auto& last = w.back();
    if (!in(machine, last.low) && last.low != "hostname" && last.low != "name" && !in(kWhyStop, last.low))
      value = last.text;
  }
  if (!value) return said("What should the machine be called? Say for example \"rename this machine to devbox\".");
  if (!std::regex_match(*value, std::regex("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")))
    return said("\"" + *value + "\" can't be a host name: use letters, digits and hyphens (at most 63, no dots or "
                "spaces), e.g. \"devbox\".");
  Request r;
  r.kind = Kind::set_option;
  r.option = "networking.hostName";
  r.value = *value;
  r.label = "the host name";
  return r;
}

std::optional<Request> read_time_zone(const Words& w) {
  auto marker = find(w, "timezone");
  if (!marker) marker = find_phrase(w, "time zone");
  if (!marker) marker = find(w, "time-zone");
  if (!marker) marker = find(w, "tz");
  if (!marker) marker = find(w, "timezones");
  if (!marker) return std::nullopt;
  if (in(kQuestionStarts, w[0].low) && !has_any(w, {"change", "set", "to", "switch", "make"})) {
    Request r = simple(Kind::why, "time.timeZone");
    r.label = "the time zone";
    return r;
  }
  std::vector<std::string> candidates;
  if (auto value = value_after_marker(w, 0, 3)) {
    // "to new york", "to Europe/Berlin": the longest prefix that is a zone wins.
    const auto words = agntos::split(*value, ' ');
    for (size_t n = words.size(); n >= 1; --n)
      candidates.push_back(agntos::join(std::vector<std::string>(words.begin(), words.begin() + static_cast<long>(n)), " "));
  }
  const size_t after = *marker + (w[*marker].low == "time" ? 2 : 1);
  for (size_t n = std::min<size_t>(3, w.size() - std::min(after, w.size())); n >= 1; --n)
    candidates.push_back(join_text(w, after, after + n));
  for (size_t i = w.size(); i-- > 0;) candidates.push_back(w[i].text);
  std::optional<std::string> first_candidate;
  for (const auto& candidate : candidates) {
    const auto low = agntos::to_lower(candidate);
    if (low.empty() || in({"the", "my", "to", "set", "change", "timezone", "zone", "time", "make", "as", "be",
                           "please", "system", "clock", "machine", "this", "of", "update", "switch"},
                          low))
      continue;
    if (!first_candidate) first_candidate = candidate;
    const auto match = find_time_zone(candidate);
    if (!match.have_tzdata)
      return said("I can't check time zone names here: this system has no tzdata (no /usr/share/zoneinfo). Say "
                  "\"set time.timeZone Europe/Berlin\" to set it anyway.");
    if (match.zone) {
      Request r;
      r.kind = Kind::set_option;
      r.option = "time.timeZone";
      r.value = *match.zone;
      r.label = "the time zone";
      return r;
    }
  }
  if (!first_candidate) return said("Which time zone? Say for example \"set the time zone to Europe/Berlin\".");
  const auto match = find_time_zone(*first_candidate);
  std::string text = "\"" + *first_candidate + "\" is not a time zone I know (I checked the system's tzdata).";
  if (!match.suggestions.empty()) text += " Did you mean " + agntos::join(match.suggestions, ", ") + "?";
  else text += " Use a name like Europe/Berlin or America/New_York.";
  return said(text);
}

std::optional<std::string> locale_code(std::string text) {
  static const std::regex pattern("([a-z]{2,3})_([a-z]{2})(\\.(utf-?8))?(@[a-z]+)?", std::regex::icase);
  std::smatch m;
  if (!std::regex_match(text, m, pattern)) return std::nullopt;
  return agntos::to_lower(m[1].str()) + "_" + [&] {
    auto country = m[2].str();
    std::transform(country.begin(), country.end(), country.begin(), ::toupper);
    return country;
  }() + ".UTF-8" + m[5].str();
}

std::optional<Request> read_locale(const Words& w) {
  const bool marker = has_any(w, {"locale", "locales", "language", "lang"});
  if (!marker) return std::nullopt;
  if (in(kQuestionStarts, w[0].low) && !has_any(w, {"change", "set", "to", "switch", "make"})) {
    Request r = simple(Kind::why, "i18n.defaultLocale");
    r.label = "the locale";
    return r;
  }
  std::vector<std::string> candidates;
  if (auto value = value_after_marker(w, 0, 2)) candidates.push_back(*value);
  for (size_t i = 0; i < w.size(); ++i) {
    if (i + 1 < w.size()) candidates.push_back(join_low(w, i, i + 2));
    candidates.push_back(w[i].text);
  }
  for (const auto& candidate : candidates) {
    if (auto code = locale_code(candidate)) {
      Request r;
      r.kind = Kind::set_option;
      r.option = "i18n.defaultLocale";
      r.value = *code;
      r.label = "the locale";
      return r;
    }
    if (auto code = locale_for_language(agntos::to_lower(candidate))) {
      Request r;
      r.kind = Kind::set_option;
      r.option = "i18n.defaultLocale";
      r.value = std::string(*code);
      r.label = "the locale";
      return r;
    }
  }
  return said("Which locale? Say for example \"set the locale to en_GB.UTF-8\" or \"change the language to German\".");
}

std::optional<Request> read_explicit_set(const Words& w) {
  if (!in({"set", "change", "make"}, w[0].low) || w.size() < 2) return std::nullopt;
  const auto& path = w[1].text;
  if (path.find('.') == std::string::npos || !valid_attribute_path(path)) return std::nullopt;
  size_t v = 2;
  if (v < w.size() && in({"to", "=", "as", "be"}, w[v].low)) ++v;
  if (v >= w.size()) return said("What value should " + path + " have? Say for example \"set " + path + " VALUE\".");
  // The value as written, commas included (JSON lists), taken from the original words.
  std::string value;
  for (size_t i = v; i < w.size(); ++i) {
    value += (value.empty() ? "" : " ") + w[i].text;
    if (w[i].comma_after && i + 1 < w.size()) value += ",";
  }
  Request r;
  r.kind = Kind::set_option;
  r.option = path;
  r.value = value;
  r.label = path;
  return r;
}

std::optional<Request> read_list_installed(const Words& w) {
  const bool asks = has_any(w, {"what", "which", "list", "show", "tell", "everything", "anything"});
  const bool about = has_any(w, {"installed", "install", "packages", "programs", "software", "apps", "applications",
                                 "manage", "managing", "managed", "tools"});
  if (!asks || !about || has(w, "why")) return std::nullopt;
  if (has_any(w, {"can", "could"}) && has(w, "install")) return simple(Kind::capabilities);
  return simple(Kind::list_installed);
}

struct InspectWord {
  std::string_view phrase;
  std::string_view target;
  std::string_view focus;
};

const std::initializer_list<InspectWord> kInspectWords{
    {"cpu", "cpu", ""},          {"cpus", "cpu", ""},           {"processor", "cpu", ""},     {"processors", "cpu", ""},
    {"cores", "cpu", ""},        {"core", "cpu", ""},           {"threads", "cpu", ""},       {"load", "cpu", ""},
    {"ram", "memory", ""},       {"memory", "memory", ""},      {"swap", "memory", ""},       {"mem", "memory", ""},
    {"disk", "disk", ""},        {"disks", "disk", ""},         {"space", "disk", ""},        {"storage", "disk", ""},
    {"drive", "disk", ""},       {"drives", "disk", ""},        {"partition", "disk", ""},    {"partitions", "disk", ""},
    {"filesystem", "disk", ""},  {"filesystems", "disk", ""},   {"ssd", "disk", ""},          {"hdd", "disk", ""},
    {"full", "disk", ""},        {"room", "disk", ""},          {"ip", "network", ""},        {"ips", "network", ""},
    {"ip address", "network", ""}, {"addresses", "network", ""}, {"address", "network", ""},  {"network", "network", ""},
    {"interfaces", "network", ""}, {"interface", "network", ""}, {"ethernet", "network", ""}, {"mac", "network", ""},
    {"gateway", "network", ""},  {"route", "network", ""},      {"online", "network", ""},    {"internet", "network", ""},
    {"nic", "network", ""},      {"nics", "network", ""},       {"ipv4", "network", ""},      {"ipv6", "network", ""},
    {"uptime", "system", "uptime"}, {"booted", "system", "uptime"}, {"boot", "system", "uptime"},
    {"rebooted", "system", "uptime"}, {"up for", "system", "uptime"}, {"been up", "system", "uptime"},
    {"been running", "system", "uptime"}, {"running for", "system", "uptime"}, {"how long", "system", "uptime"},
    {"failing", "services", ""}, {"failed", "services", ""},    {"broken", "services", ""},   {"crashed", "services", ""},
    {"errors", "services", ""},  {"units", "services", ""},     {"unit", "services", ""},     {"problems", "services", ""},
    {"wrong", "services", ""},   {"health", "services", ""},    {"services", "services", ""}, {"crashing", "services", ""},
    {"nixos", "nixos", ""},      {"version", "nixos", ""},      {"release", "nixos", ""},     {"channel", "nixos", ""},
    {"flake", "nixos", ""},      {"gpu", "gpu", ""},            {"gpus", "gpu", ""},          {"graphics", "gpu", ""},
    {"video card", "gpu", ""},   {"graphics card", "gpu", ""},  {"kernel", "system", "kernel"}, {"os", "system", "os"},
    {"distro", "system", "os"},  {"distribution", "system", "os"}, {"specs", "system", ""},   {"specifications", "system", ""},
    {"hardware", "system", ""},  {"overview", "system", ""},    {"status", "system", ""},     {"system info", "system", ""},
    {"system information", "system", ""}, {"machine", "system", ""}, {"computer", "system", ""}, {"system", "system", ""},
    {"architecture", "system", "arch"}, {"arch", "system", "arch"}, {"agntos", "agntos", ""},
    {"proposals", "agntos", "proposals"}, {"pending", "agntos", "proposals"},
};

// specific_only: only when the clause names a particular fact (cpu, disk, ip, …), not just
// "machine" or "status".
std::vector<Request> read_inspect(const Words& w, bool specific_only = false) {
  static const Set look{"what", "which", "how", "show", "tell", "list", "check", "is", "are", "do", "does", "am",
                        "inspect", "give", "display", "get", "print", "report", "any", "anything", "see", "view",
                        "where", "when", "whats", "info", "information", "status", "find", "know", "have", "has",
                        "my", "current", "free", "used", "left", "remaining", "available", "much", "many", "quick",
                        "summary", "about", "your", "the", "this"};
  const bool looking = has_any(w, look) || w.size() <= 3;
  if (!looking) return {};
  std::vector<Request> found;
  std::set<std::string> seen;
  for (size_t i = 0; i < w.size(); ++i)
    for (const auto& entry : kInspectWords) {
      if (!phrase_at(w, i, entry.phrase)) continue;
      // "services" alone is the list of failed units; "version" and "channel" only about NixOS or the system.
      if (entry.target == "nixos" && (entry.phrase == "version" || entry.phrase == "release" || entry.phrase == "channel") &&
          (!has_any(w, {"nixos", "system", "os", "my", "this", "which", "what"}) || has(w, "kernel")))
        continue;
      const std::string key = std::string(entry.target) + "/" + std::string(entry.focus);
      if (seen.count(key)) continue;
      seen.insert(key);
      Request r = simple(Kind::inspect, std::string(entry.target));
      r.focus = std::string(entry.focus);
      found.push_back(r);
    }
  // The generic words (machine, system, status) only stand when nothing more specific was asked.
  const bool specific = std::any_of(found.begin(), found.end(), [](const Request& r) { return r.subject != "system" || !r.focus.empty(); });
  if (specific_only && !specific) return {};
  if (found.size() > 1)
    std::erase_if(found, [](const Request& r) { return r.subject == "system" && r.focus.empty(); });
  // "nixos version" and "version" both say nixos; keep one per target and focus.
  if (found.size() > 1 && std::any_of(found.begin(), found.end(), [](const Request& r) { return r.subject == "nixos"; }))
    std::erase_if(found, [](const Request& r) { return r.subject == "system" && r.focus == "os"; });
  if (found.size() > 3) found.resize(3);
  return found;
}

const Set kIsStop{"is", "are", "do", "does", "did", "i", "we", "you", "have", "has", "got", "installed", "install",
                  "there", "on", "this", "the", "my", "machine", "computer", "system", "here", "a", "an", "package",
                  "program", "available", "present", "already", "check", "if", "whether", "it", "any", "still",
                  "yet", "set", "up", "already", "of", "box", "laptop", "server", "currently", "now", "actually",
                  "enabled", "running", "active", "turned", "switched", "configured", "tool", "app", "by", "agntos",
                  "via", "through", "for", "me", "in", "see", "tell", "can", "could", "know", "whether", "or",
                  "not", "again", "service", "daemon", "working", "work", "we", "our", "been", "added", "get",
                  "find", "out", "let", "did", "your", "config", "configuration", "please"};

std::optional<Request> read_is_installed(const Words& w) {
  const bool asks = in({"is", "are", "do", "does", "did", "have", "has", "check", "got", "was", "can"}, w[0].low) ||
                    w.back().low == "installed" || w.back().low == "enabled" || has_phrase(w, "find out");
  if (!asks) return std::nullopt;
  if (in({"get", "install", "put", "add", "make"}, w[0].low)) return std::nullopt;
  if (!has_any(w, {"installed", "install", "have", "enabled", "running", "on", "there", "available", "present",
                   "active", "got", "setup", "configured", "working", "added"}))
    return std::nullopt;
  for (size_t i = 0; i < w.size(); ++i) {
    if (in(kIsStop, w[i].low) && !find_service(w[i].low)) continue;
    if (auto found = service_at(w, i); found && (found->first->install_means_enable || !has(w, "installed"))) {
      Request r;
      r.kind = Kind::is_installed;
      r.option = std::string(found->first->option);
      r.label = std::string(found->first->label);
      return r;
    }
    if (in(kIsStop, w[i].low)) continue;
    if (looks_like_name(w[i].text) && valid_attribute_path(w[i].text)) return simple(Kind::is_installed, w[i].text);
  }
  return std::nullopt;
}

std::optional<std::pair<size_t, size_t>> find_any_phrase(const Words& w, std::initializer_list<std::string_view> phrases,
                                                         size_t from = 0) {
  for (size_t i = from; i < w.size(); ++i) {
    std::optional<size_t> best;
    for (auto phrase : phrases)
      if (phrase_at(w, i, phrase) && (!best || phrase_words(phrase) > *best)) best = phrase_words(phrase);
    if (best) return std::pair{i, *best};
  }
  return std::nullopt;
}

const Set kSwitchFiller{"the", "a", "an", "service", "services", "daemon", "support", "please", "for", "me", "my",
                        "this", "machine", "it", "and", "also", "both", "on", "off", "up", "down", "computer",
                        "system", "server", "again", "now", "permanently", "module", "feature", "too", "as", "well",
                        "plus", "or", "at", "boot", "startup", "automatically", "here", "of"};

std::optional<Request> read_switches(const Words& w) {
  if (starts_any(w, {"restart", "reload", "reboot", "restart the", "relaunch"})) {
    if (w[0].low == "reboot")
      return said("I can't reboot the machine offline: run `sudo systemctl reboot` when you are ready.");
    std::string unit = w.size() > 1 ? w.back().low : "SERVICE";
    if (auto found = first_service(w)) unit = std::string(agntos::split(found->first->option, '.').size() > 1
                                                            ? agntos::split(found->first->option, '.')[1]
                                                            : unit);
    return said("I can't restart services offline: a restart is a runtime action, not a configuration change. Run "
                "`sudo systemctl restart " + unit + "`.");
  }
  const auto on_verb = find_any_phrase(w, {"enable", "activate", "start", "turn on", "switch on", "set up", "setup",
                                           "bring up", "fire up", "reenable", "re-enable", "launch", "power on"});
  const auto off_verb = find_any_phrase(w, {"disable", "deactivate", "stop", "turn off", "switch off", "shut down",
                                            "shut off", "kill", "power off"});
  // "turn bluetooth on", "switch the ssh server off"
  // Only the words that mean "this NixOS module, on or off" let an unknown name become
  // services.NAME.enable; "start" or "stop" with an unknown word is not guessed at.
  const bool explicit_verb = (on_verb && in({"enable", "activate", "reenable", "re-enable"}, w[on_verb->first].low)) ||
                             (off_verb && in({"disable", "deactivate"}, w[off_verb->first].low));
  std::optional<std::pair<size_t, bool>> verb;
  if (on_verb && (!off_verb || on_verb->first < off_verb->first)) verb = std::pair{on_verb->first + on_verb->second, true};
  else if (off_verb) verb = std::pair{off_verb->first + off_verb->second, false};
  if (!verb && in({"turn", "switch", "put"}, w[0].low) && (w.back().low == "on" || w.back().low == "off"))
    verb = std::pair{size_t{1}, w.back().low == "on"};
  if (!verb && w.size() <= 4 && (w.back().low == "on" || w.back().low == "off") && first_service(w))
    verb = std::pair{size_t{0}, w.back().low == "on"};
  // "make sure docker is running", "get tailscale going", "I'd like bluetooth turned on"
  if (!verb && first_service(w) &&
      (starts_any(w, {"make sure", "ensure", "get", "have", "keep", "i want", "i would like", "i need", "we need"}) ||
       has_phrase(w, "make sure")) &&
      has_any(w, {"running", "going", "working", "enabled", "on", "active", "up", "started", "turned"}) &&
      !has_any(w, {"off", "disabled", "stopped", "not"}))
    verb = std::pair{size_t{0}, true};
  if (!verb) return std::nullopt;
  Request r;
  r.kind = Kind::switches;
  std::vector<std::string> unknown;
  for (size_t i = verb->first; i < w.size();) {
    if (auto found = service_at(w, i)) {
      const bool dup = std::any_of(r.switches.begin(), r.switches.end(),
                                   [&](const Switch& s) { return s.option == found->first->option; });
      if (!dup) r.switches.push_back(Switch{std::string(found->first->option), std::string(found->first->label), verb->second});
      i += found->second;
      continue;
    }
    if (in(kSwitchFiller, w[i].low) || in({"to", "with", "so", "because", "if", "when", "that", "which", "then"}, w[i].low)) {
      if (in({"so", "because", "if", "when", "that", "which", "then", "to", "with"}, w[i].low)) break;
      ++i;
      continue;
    }
    unknown.push_back(w[i].text);
    ++i;
  }
  if (r.switches.empty()) {
    // One unknown name: the NixOS convention services.NAME.enable, checked by propose's
    // validation like any option; more words than a name is not guessed at.
    if (explicit_verb && unknown.size() == 1 && looks_like_name(unknown.front()) && valid_attribute_path(unknown.front()) &&
        unknown.front().find('.') == std::string::npos) {
      const auto name = agntos::to_lower(unknown.front());
      r.switches.push_back(Switch{"services." + name + ".enable", name, verb->second});
      return r;
    }
    if (unknown.empty() || !explicit_verb) return std::nullopt;
    return said("I don't know which NixOS option \"" + agntos::join(unknown, " ") +
                "\" is. Say \"enable SERVICE\" with the service's NixOS name (e.g. \"enable openssh\"), or \"set "
                "OPTION VALUE\" (e.g. \"set services.openssh.enable true\").");
  }
  return r;
}

std::optional<Request> read_upgrade(const Words& w) {
  static const Set verbs{"upgrade", "update", "updates", "upgrades", "upgrading", "updating", "nixos-rebuild"};
  if (has_phrase(w, "up to date") || has_any(w, {"outdated", "out-of-date"}) || has_phrase(w, "out of date"))
    return simple(Kind::upgrade);
  if (!has_any(w, verbs)) return std::nullopt;
  static const Set objects{"my", "the", "system", "everything", "nixos", "packages", "all", "machine", "computer",
                           "channel", "channels", "flake", "os", "software", "it", "this", "now", "please", "to",
                           "latest", "newest", "version", "versions", "of", "apps", "programs", "nix", "inputs",
                           "lock", "and", "rebuild", "upgrade", "update", "updates", "upgrades", "upgrading",
                           "updating", "install", "any", "are", "there", "available", "check", "for", "is", "an",
                           "a", "new", "run", "do", "full", "system-wide", "whole", "entire", "pkgs", "nixpkgs",
                           "stuff", "things", "release", "next", "most", "recent", "box", "laptop", "server"};
  std::vector<std::string> rest;
  for (const auto& word : w)
    if (!in(objects, word.low)) rest.push_back(word.text);
  Request r = simple(Kind::upgrade);
  if (rest.size() == 1 && looks_like_name(rest.front())) r.subject = rest.front();
  else if (!rest.empty()) return std::nullopt;
  return r;
}

// ---- packages ----

const std::initializer_list<std::string_view> kInstallPhrases{
    "install", "add", "put", "get me", "get", "grab", "give me", "i need", "i want", "i would like", "we need",
    "need", "want", "can i have", "could i have", "can i get", "could i get", "download", "include", "reinstall",
    "bring in", "i also need", "i also want", "set me up with", "hook me up with", "provide", "pull in", "fetch",
    "deploy", "installing", "adding", "we want", "i require", "get hold of", "obtain", "i could use",
    "i could really use", "could really use", "slap", "chuck", "throw in", "throw on", "stick"};
const std::initializer_list<std::string_view> kRemovePhrases{
    "remove", "uninstall", "delete", "drop", "purge", "get rid of", "take off", "take out", "throw out",
    "throw away", "ditch", "erase", "i do not need", "i do not want", "we do not need", "no longer need",
    "do not need", "do not want", "lose", "kill", "removing", "uninstalling", "wipe", "clear out", "dump", "nuke",
    "i no longer need", "i no longer want", "trash", "scrap", "take away", "eliminate", "deinstall", "un-install"};

const Set kPackageStop{"for", "on", "onto", "to", "in", "into", "from", "off", "now", "so", "because", "since", "as",
                       "if", "but", "then", "with", "via", "using", "that", "which", "while", "when", "anymore",
                       "again", "too", "right", "asap", "here", "there", "please", "thanks", "instead", "at", "by",
                       "any", "anymore", "more", "i", "we", "it", "is", "are", "was", "will", "would", "should",
                       "could", "can", "thank", "cheers", "thx", "though", "ok", "okay", "already", "permanently",
                       "globally", "system-wide", "systemwide", "everywhere", "after", "before", "today", "yet",
                       "soon", "quickly", "first", "either", "well", "under", "going", "turned", "running",
                       "working", "enabled", "installed", "ready", "done", "active", "started", "switched",
                       "set", "up", "added", "there", "available"};
const Set kPackageFiller{"the", "a", "an", "some", "package", "packages", "program", "programs", "app", "apps",
                         "application", "applications", "tool", "tools", "utility", "utilities", "called", "named",
                         "latest", "newest", "new", "version", "versions", "of", "also", "both", "nice", "cool",
                         "good", "me", "my", "these", "those", "following", "command", "cli", "binary", "nix",
                         "nixpkgs", "pkgs", "pkg", "little", "handy", "great", "useful", "please", "just", "cool",
                         "thing", "called", "known", "as", "software", "and", "or", "plus", "&", "as well as",
                         "another", "copy", "again", "editor", "browser", "viewer", "monitor", "manager"};
const Set kVague{"something", "anything", "stuff", "thing", "things", "them", "this", "that", "everything", "one",
                 "ones", "software", "programs", "it", "all", "everything", "more", "whatever", "some", "what"};

// Everyday spellings of package attribute names.
std::string package_alias(const std::string& name) {
  static const std::initializer_list<std::pair<std::string_view, std::string_view>> aliases{
      {"rg", "ripgrep"},       {"nvim", "neovim"},         {"hx", "helix"},          {"node", "nodejs"},
      {"node.js", "nodejs"},   {"python", "python3"},      {"chrome", "google-chrome"}, {"vs-code", "vscode"},
      {"visual-studio-code", "vscode"}, {"golang", "go"},   {"postgres-client", "postgresql"}};
  for (const auto& [alias, attr] : aliases)
    if (name == alias) return std::string(attr);
  return name;
}

std::vector<Request> read_packages(const Words& w) {
  // The verb: the earliest install or remove phrase.
  const auto install = find_any_phrase(w, kInstallPhrases);
  const auto remove = find_any_phrase(w, kRemovePhrases);
  if (!install && !remove) return {};
  const bool removing = remove && (!install || remove->first <= install->first);
  const auto [at, length] = removing ? *remove : *install;
  Request packages;
  packages.kind = removing ? Kind::remove : Kind::install;
  Request switches;
  switches.kind = Kind::switches;
  std::vector<Request> out;
  size_t i = at + length;
  size_t segment_names = 0;
  bool first_segment = true;
  auto end_segment = [&] {
    first_segment = false;
    segment_names = 0;
  };
  while (i < w.size()) {
    const auto& word = w[i];
    if (in({"and", "or", "plus", "&"}, word.low)) {
      end_segment();
      ++i;
      continue;
    }
    if (in(kPackageStop, word.low)) break;
    // A later segment with more than one word that is not a name is a new request ("install htop
    // and write me a poem"): it is left for the reader to report, not installed.
    if (!first_segment && segment_names == 0) {
      size_t words_here = 0;
      for (size_t j = i; j < w.size(); ++j) {
        if (in({"and", "or", "plus", "&"}, w[j].low) || in(kPackageStop, w[j].low)) break;
        if (!in(kPackageFiller, w[j].low)) ++words_here;
        if (w[j].comma_after) break;
      }
      if (words_here > 1) {
        Request rest;
        rest.kind = Kind::unknown;
        rest.text = join_text(w, i);
        out.push_back(packages);
        out.push_back(switches);
        out.push_back(rest);
        std::erase_if(out, [](const Request& r) {
          return (r.kind == Kind::install || r.kind == Kind::remove) ? r.names.empty()
                                                                     : r.kind == Kind::switches && r.switches.empty();
        });
        return out;
      }
    }
    if (auto found = service_at(w, i); found && found->first->install_means_enable &&
                                       !(found->second == 1 && in(kPackageFiller, word.low))) {
      switches.switches.push_back(Switch{std::string(found->first->option), std::string(found->first->label), !removing});
      i += found->second;
      ++segment_names;
      if (w[i - 1].comma_after) end_segment();
      continue;
    }
    if (!in(kPackageFiller, word.low)) {
      if (in(kVague, word.low) || !looks_like_name(word.text) || !valid_attribute_path(word.text)) break;
      const auto name = package_alias(word.low == word.text ? word.text : word.low);
      if (std::find(packages.names.begin(), packages.names.end(), name) == packages.names.end())
        packages.names.push_back(name);
      ++segment_names;
    }
    ++i;
    if (word.comma_after) end_segment();
  }
  if (!packages.names.empty()) out.push_back(packages);
  if (!switches.switches.empty()) out.push_back(switches);
  if (out.empty() && at + length < w.size() && in({"it", "them", "that"}, w[at + length].low)) {
    // "I'm done with bat, remove it": the name said before the verb.
    for (size_t j = at; j-- > 0;) {
      const auto& word = w[j];
      if (in(kPackageStop, word.low) || in(kPackageFiller, word.low) || in(kVague, word.low) || in(kWhyStop, word.low) ||
          !looks_like_name(word.text) || !valid_attribute_path(word.text))
        continue;
      packages.names.push_back(package_alias(word.low));
      return {packages};
    }
  }
  if (out.empty()) {
    // "install it", "add something": no name to act on.
    if (removing) return {said("Which package should I remove? Say for example \"remove htop\".")};
    return {said("Which package should I install? Say for example \"install htop\".")};
  }
  return out;
}

// ---- one clause ----

std::vector<Request> read_clause_words(const Words& raw) {
  // Small talk first, before politeness is taken off ("hey there" is a greeting, not "there").
  if (auto r = read_social(raw)) return {*r};
  const Words w = strip_politeness(raw);
  if (w.empty()) {
    if (has(raw, "help")) return {simple(Kind::capabilities)};
    return {};
  }
  if (auto r = read_social(w)) return {*r};
  if (auto r = read_capabilities(w)) return {*r};
  if (auto r = read_memory(w)) return {*r};
  if (auto r = read_why(w)) return {*r};
  if (auto r = read_search(w)) return {*r};
  if (auto r = read_undo_and_generations(w)) return {*r};
  if (auto r = read_recent(w)) return {*r};
  if (auto r = read_yes_no(w)) return {*r};
  if (auto r = read_explicit_set(w)) return {*r};
  if (auto r = read_user(w)) return {*r};
  if (auto r = read_firewall(w)) return {*r};
  if (auto r = read_time_zone(w)) return {*r};
  if (auto r = read_hostname(w)) return {*r};
  if (auto r = read_locale(w)) return {*r};
  if (auto r = read_list_installed(w)) return {*r};
  const bool asks = in(kQuestionStarts, w[0].low) || in({"whats", "how", "where", "when"}, w[0].low);
  if (asks && !first_service(w)) {
    auto inspect = read_inspect(w, true);
    if (!inspect.empty()) return inspect;
  }
  if (auto r = read_upgrade(w)) return {*r};
  if (auto r = read_is_installed(w)) return {*r};
  if (auto r = read_switches(w)) return {*r};
  if (asks) {
    auto inspect = read_inspect(w);
    if (!inspect.empty()) return inspect;
  }
  auto packages = read_packages(w);
  if (!packages.empty()) return packages;
  auto inspect = read_inspect(w);
  if (!inspect.empty()) return inspect;
  Request unknown;
  unknown.kind = Kind::unknown;
  unknown.text = join_text(raw);
  return {unknown};
}

// The verbs a typo is corrected to. Question words are left out: "who" is a word of its own,
// not a misspelt "why".
const std::initializer_list<std::string_view> kVerbs{
    "install", "uninstall", "remove", "enable", "disable", "open", "close", "allow", "block", "remember", "forget",
    "undo", "revert", "rollback", "rename", "upgrade", "update", "show", "list", "delete", "activate", "deactivate",
    "restart", "inspect", "search", "start", "stop", "create", "change", "apply", "check"};

bool known_word(std::string_view word) {
  return std::find(kVerbs.begin(), kVerbs.end(), word) != kVerbs.end();
}

// "instll htop" -> "install htop" when the corrected clause is understood.
std::optional<std::string> corrected(const Words& raw) {
  const Words w = strip_politeness(raw);
  for (size_t position = 0; position < std::min<size_t>(2, w.size()); ++position) {
    const auto& word = w[position].low;
    if (known_word(word) || word.size() < 4) continue;
    std::string best;
    size_t best_distance = 3;
    for (auto verb : kVerbs) {
      const size_t distance = typo_distance(word, verb);
      const size_t allowed = word.size() >= 7 ? 2 : 1;
      if (distance <= allowed && distance < best_distance) {
        best = verb;
        best_distance = distance;
      }
    }
    if (best.empty()) continue;
    Words fixed = w;
    fixed[position].low = best;
    fixed[position].text = best;
    const auto requests = read_clause_words(fixed);
    if (!requests.empty() && requests.front().kind != Kind::unknown && requests.front().kind != Kind::said)
      return join_text(fixed);
  }
  return std::nullopt;
}

std::vector<Request> read_clause(const Words& raw) {
  auto requests = read_clause_words(raw);
  if (requests.size() == 1 && (requests.front().kind == Kind::unknown || requests.front().kind == Kind::said))
    if (auto fixed = corrected(raw)) {
      Request r;
      r.kind = Kind::did_you_mean;
      r.subject = *fixed;
      return {r};
    }
  return requests;
}

const Set kConnectors{"and", "then", "also", "plus", "afterwards", "after", "next", "finally", "lastly", "additionally"};
const Set kTriggers{"install", "uninstall", "remove", "add", "put", "get", "enable", "disable", "turn", "switch",
                    "start", "stop", "restart", "open", "close", "allow", "block", "set", "change", "make", "rename",
                    "create", "delete", "drop", "undo", "revert", "roll", "rollback", "go", "list", "show", "tell",
                    "what", "which", "how", "why", "is", "are", "do", "does", "did", "have", "has", "remember",
                    "note", "forget", "check", "give", "update", "upgrade", "search", "find", "who", "where", "when",
                    "thanks", "thank", "please", "can", "could", "would", "i", "my", "let", "whats", "uninstall",
                    "activate", "deactivate", "apply", "purge", "grab", "unblock", "yes", "no", "tell", "inspect"};

bool starts_request(const Words& rest) {
  const Words w = strip_politeness(rest);
  return !w.empty() && in(kTriggers, w[0].low);
}

// Clause boundaries: a connector word or a comma, when what follows starts a request that reads
// as one on its own.
std::vector<Words> split_clauses(const Words& w) {
  std::vector<Words> clauses;
  Words current;
  size_t i = 0;
  while (i < w.size()) {
    const bool connector = in(kConnectors, w[i].low);
    const bool after_comma = i > 0 && w[i - 1].comma_after;
    if ((connector || after_comma) && !current.empty()) {
      size_t j = i;
      while (j < w.size() && (in(kConnectors, w[j].low) || w[j].low == "that")) ++j;
      if (j < w.size() && (j > i || after_comma)) {
        // The words up to the next possible boundary make the candidate clause.
        size_t end = j + 1;
        while (end < w.size() && !in(kConnectors, w[end].low) && !w[end - 1].comma_after) ++end;
        const Words candidate = slice(w, j, end);
        const Words rest = slice(w, j);
        if (starts_request(candidate)) {
          const auto read = read_clause_words(rest);
          const bool statement = !read.empty() && read.front().kind == Kind::remember && read.front().focus == "statement";
          if (!read.empty() && read.front().kind != Kind::unknown && read.front().kind != Kind::said && !statement) {
            clauses.push_back(current);
            current.clear();
            i = j;
            continue;
          }
        }
      }
    }
    current.push_back(w[i]);
    ++i;
  }
  if (!current.empty()) clauses.push_back(current);
  return clauses;
}

}  // namespace

// "I'm done with bat, remove it": a package verb whose object is "it" or "them" takes the last
// name of the clause before it, which was only context.
std::optional<Words> with_pronoun_resolved(const Words& clause, const Words& before) {
  std::optional<size_t> pronoun;
  for (size_t i = 0; i < clause.size(); ++i)
    if (clause[i].low == "it" || clause[i].low == "them" || clause[i].low == "that") pronoun = i;
  if (!pronoun || before.empty()) return std::nullopt;
  const auto& last = before.back();
  if (!looks_like_name(last.text) || in(kPackageStop, last.low) || in(kPackageFiller, last.low) || in(kVague, last.low) ||
      in(kWhyStop, last.low))
    return std::nullopt;
  Words resolved = clause;
  resolved[*pronoun] = Word{last.text, last.low, false};
  return resolved;
}

std::vector<Request> parse_message(std::string_view message) {
  std::vector<Request> requests;
  Words previous;
  for (const auto& sentence : sentences(message)) {
    const auto words = tokenize(sentence);
    if (words.empty()) continue;
    for (const auto& clause : split_clauses(words)) {
      auto read = read_clause(clause);
      if (read.size() == 1 && read.front().kind == Kind::said && !requests.empty() &&
          requests.back().kind == Kind::unknown)
        if (auto resolved = with_pronoun_resolved(clause, previous)) {
          auto again = read_clause(*resolved);
          if (!again.empty() && (again.front().kind == Kind::install || again.front().kind == Kind::remove)) {
            requests.pop_back();
            read = again;
          }
        }
      for (auto& request : read) requests.push_back(std::move(request));
      previous = clause;
    }
  }
  const bool social_only = std::all_of(requests.begin(), requests.end(), [](const Request& r) {
    return r.kind == Kind::thanks || r.kind == Kind::greeting;
  });
  if (!social_only) {
    // "hi, install htop, thanks": the pleasantries need no answer of their own.
    std::erase_if(requests, [](const Request& r) { return r.kind == Kind::thanks || r.kind == Kind::greeting; });
  } else if (requests.size() > 1) {
    requests.resize(1);
  }
  // A word or two not understood next to real requests ("I moved, set the time zone to London")
  // is context, not a request to report.
  const bool actionable = std::any_of(requests.begin(), requests.end(), [](const Request& r) {
    return r.kind != Kind::unknown && r.kind != Kind::said && r.kind != Kind::did_you_mean;
  });
  if (actionable)
    std::erase_if(requests, [](const Request& r) {
      return r.kind == Kind::unknown && agntos::split(agntos::trim(r.text), ' ').size() <= 2;
    });
  if (requests.empty()) {
    Request unknown;
    unknown.kind = Kind::unknown;
    unknown.text = agntos::trim(message);
    requests.push_back(unknown);
  }
  return requests;
}

}  // namespace agntd::offline
