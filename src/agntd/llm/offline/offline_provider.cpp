// SPDX-License-Identifier: MIT
#include "agntd/offline_provider.h"

#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include "common/text.h"

namespace agntd {
namespace {

using agntos::Json;
using llm::Message;
using llm::Role;
using Kind = OfflineIntent::Kind;

constexpr std::string_view kHelp =
    "[offline] I am AgntOS's offline assistant: no LLM is configured (no models.toml, or provider = \"offline\"), "
    "so I understand only these requests:\n"
    "- install PACKAGE… / remove PACKAGE…   e.g. \"install htop\"\n"
    "- enable SERVICE / disable SERVICE     e.g. \"enable openssh\"\n"
    "- set OPTION VALUE                     e.g. \"set networking.hostName demo\"\n"
    "- show system (or cpu, memory, disk, network, gpu, nixos, agntos, services)\n"
    "- why is PACKAGE installed?\n"
    "- undo the last change / roll back the system / list generations\n"
    "- apply p-… / yes apply it\n"
    "- remember that I prefer …\n"
    "- search history for …\n"
    "- show the audit log / what do you remember?\n"
    "Add a real model with 'agntctl model add' to ask anything else.";

struct Token {
  std::string word;   // as written, without surrounding punctuation
  std::string lower;
  bool ends_clause = false;  // followed by , ; . ! ? (a list of names stops there)
};

std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> tokens;
  std::string current;
  auto flush = [&] {
    const auto strip = std::string_view("?!,.;:\"'()`");
    size_t begin = 0;
    size_t end = current.size();
    while (begin < end && strip.find(current[begin]) != std::string_view::npos) ++begin;
    while (end > begin && strip.find(current[end - 1]) != std::string_view::npos) --end;
    if (end > begin) {
      std::string word = current.substr(begin, end - begin);
      const bool clause = end < current.size() && std::string_view(",;.!?").find(current.back()) != std::string_view::npos;
      tokens.push_back(Token{word, agntos::to_lower(word), clause});
    }
    current.clear();
  };
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') flush();
    else current += c;
  }
  flush();
  return tokens;
}

bool has(const std::vector<Token>& tokens, std::string_view word) {
  return std::any_of(tokens.begin(), tokens.end(), [&](const Token& t) { return t.lower == word; });
}

std::optional<size_t> index_of(const std::vector<Token>& tokens, std::string_view word, size_t from = 0) {
  for (size_t i = from; i < tokens.size(); ++i)
    if (tokens[i].lower == word) return i;
  return std::nullopt;
}

bool is_id_token(const std::string& word, char prefix) {
  return word.size() > 2 && word[0] == prefix && word[1] == '-' &&
         word.find_first_not_of("0123456789abcdef", 2) == std::string::npos;
}

std::string find_id(const std::vector<Token>& tokens, char prefix) {
  for (const auto& token : tokens)
    if (is_id_token(token.lower, prefix)) return token.lower;
  return {};
}

bool looks_like_name(const std::string& word) {
  if (word.empty() || !(std::isalpha(static_cast<unsigned char>(word[0])) || word[0] == '_')) return false;
  return std::all_of(word.begin(), word.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == '\'';
  });
}

// The words left after dropping the ones that carry no subject.
std::string without(const std::vector<Token>& tokens, const std::set<std::string>& drop, size_t from = 0) {
  std::vector<std::string> kept;
  for (size_t i = from; i < tokens.size(); ++i)
    if (!drop.count(tokens[i].lower)) kept.push_back(tokens[i].word);
  return agntos::join(kept, " ");
}

// The text after the first occurrence of `word` (case-insensitive), trimmed.
std::string text_after(std::string_view message, std::string_view word) {
  const auto lower = agntos::to_lower(message);
  const auto at = lower.find(word);
  if (at == std::string::npos) return {};
  return agntos::trim(message.substr(at + word.size()));
}

std::string strip_final_punctuation(std::string text) {
  while (!text.empty() && std::string_view(".!?").find(text.back()) != std::string_view::npos) text.pop_back();
  return agntos::trim(text);
}

const std::set<std::string> kChangeVerbs{"install", "add", "remove", "uninstall", "enable", "disable", "set"};

// "install htop and btop for me, and enable ssh" -> "install htop btop and enable openssh".
std::string change_intents(const std::vector<Token>& tokens) {
  static const std::set<std::string> fillers{"the", "a", "an", "package", "packages", "program", "programs", "and",
                                             "also", "&", "service", "daemon", "tool", "app"};
  static const std::set<std::string> stops{"for", "on", "to", "please", "now", "so", "because", "from", "it",
                                           "me", "with", "in", "into", "then", "that", "this", "if", "but", "i", "we", "you",
                                           "since", "as", "because"};
  static const std::map<std::string, std::string> services{{"ssh", "openssh"}, {"sshd", "openssh"}};
  std::vector<std::string> intents;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string verb = tokens[i].lower;
    if (!kChangeVerbs.count(verb)) continue;
    if (verb == "set") {
      if (i + 2 >= tokens.size() || !looks_like_name(tokens[i + 1].word)) continue;
      size_t v = i + 2;
      if (tokens[v].lower == "=" || tokens[v].lower == "to") ++v;
      std::vector<std::string> value;
      for (; v < tokens.size() && !kChangeVerbs.count(tokens[v].lower) && tokens[v].lower != "and"; ++v)
        value.push_back(tokens[v].word);
      if (value.empty()) continue;
      intents.push_back("set " + tokens[i + 1].word + " " + agntos::join(value, " "));
      i = v - 1;
      continue;
    }
    std::vector<std::string> names;
    size_t j = i + 1;
    for (; j < tokens.size(); ++j) {
      const auto& word = tokens[j].lower;
      if (kChangeVerbs.count(word) || stops.count(word)) break;
      if (fillers.count(word) || !looks_like_name(tokens[j].word)) continue;
      names.push_back(tokens[j].word);
      if (tokens[j].ends_clause) {
        ++j;
        break;
      }
      if (verb == "enable" || verb == "disable") {
        ++j;
        break;
      }
    }
    i = j - 1;
    if (names.empty()) continue;
    if (verb == "enable" || verb == "disable") {
      const auto alias = services.find(agntos::to_lower(names[0]));
      intents.push_back(verb + " " + (alias != services.end() ? alias->second : names[0]));
    } else {
      intents.push_back(std::string(verb == "install" || verb == "add" ? "install " : "remove ") + agntos::join(names, " "));
    }
  }
  return agntos::join(intents, " and ");
}

std::optional<std::string> inspect_target(const std::vector<Token>& tokens) {
  static const std::map<std::string, std::string> targets{
      {"system", "system"},   {"cpu", "cpu"},         {"cpus", "cpu"},        {"processor", "cpu"},
      {"memory", "memory"},   {"ram", "memory"},      {"mem", "memory"},      {"gpu", "gpu"},
      {"graphics", "gpu"},    {"disk", "disk"},       {"disks", "disk"},      {"storage", "disk"},
      {"network", "network"}, {"net", "network"},     {"ip", "network"},      {"nixos", "nixos"},
      {"agntos", "agntos"},   {"services", "services"}, {"failed", "services"}, {"units", "services"}};
  for (const auto& token : tokens)
    if (auto it = targets.find(token.lower); it != targets.end()) return it->second;
  return std::nullopt;
}

}  // namespace

OfflineIntent parse_offline_intent(std::string_view message) {
  const auto tokens = tokenize(message);
  if (tokens.empty()) return {Kind::help, ""};
  const auto first = tokens.front().lower;

  if (has(tokens, "why")) {
    static const std::set<std::string> drop{"why", "is", "was", "are", "were", "do", "does", "did", "i", "we",
                                            "have", "has", "installed", "enabled", "there", "on", "this", "the",
                                            "my", "system", "machine", "here", "a", "an", "package", "service",
                                            "been", "so", "it", "set", "to", "what", "changed", "how", "come"};
    auto query = without(tokens, drop);
    if (!query.empty()) return {Kind::why, query};
  }
  if (has(tokens, "remember") || has(tokens, "memorize") || has(tokens, "memorise")) {
    if (first == "what" || first == "show" || first == "list") return {Kind::memory_show, ""};
    auto content = text_after(message, has(tokens, "remember") ? "remember" : "memori");
    if (!has(tokens, "remember")) content = text_after(content, " ");
    content = strip_final_punctuation(content);
    if (agntos::to_lower(content).starts_with("that ")) content = agntos::trim(content.substr(5));
    if (!content.empty()) return {Kind::remember, content};
    return {Kind::memory_show, ""};
  }
  if ((has(tokens, "search") || has(tokens, "find")) &&
      (has(tokens, "history") || has(tokens, "sessions") || has(tokens, "conversations") || has(tokens, "past"))) {
    std::string query;
    if (auto at = index_of(tokens, "for")) query = without(tokens, {}, *at + 1);
    if (query.empty())
      query = without(tokens, {"search", "find", "my", "the", "history", "in", "sessions", "past", "conversations", "our"});
    if (!query.empty()) return {Kind::search_history, query};
  }
  if (has(tokens, "undo") || has(tokens, "revert")) return {Kind::undo, find_id(tokens, 'a')};
  const bool roll_back = has(tokens, "rollback") || (has(tokens, "roll") && has(tokens, "back"));
  if (roll_back || has(tokens, "generations")) {
    if (has(tokens, "list") || has(tokens, "generations") || has(tokens, "show")) return {Kind::generations, ""};
    std::string number;
    for (const auto& token : tokens)
      if (!token.lower.empty() && token.lower.find_first_not_of("0123456789") == std::string::npos) number = token.lower;
    if (!number.empty() || has(tokens, "generation") || has(tokens, "system") || has(tokens, "whole"))
      return {Kind::rollback_generation, number};
    return {Kind::undo, find_id(tokens, 'a')};
  }
  if (auto intents = change_intents(tokens); !intents.empty()) return {Kind::change, intents};
  static const std::set<std::string> yes{"yes", "y", "ok", "okay", "sure", "yep", "approve"};
  if (has(tokens, "apply") || yes.count(first) || (first == "go" && has(tokens, "ahead")) ||
      (first == "do" && has(tokens, "it")))
    return {Kind::apply, find_id(tokens, 'p')};
  if (has(tokens, "memory") && (has(tokens, "your") || has(tokens, "my") || has(tokens, "curated")))
    return {Kind::memory_show, ""};
  if (has(tokens, "memories")) return {Kind::memory_show, ""};
  if (has(tokens, "audit") || (has(tokens, "what") && has(tokens, "changed")) ||
      (has(tokens, "recent") && has(tokens, "changes")))
    return {Kind::audit_list, ""};
  static const std::set<std::string> look{"inspect", "show", "status", "info", "information", "what", "how",
                                          "check", "list", "describe", "tell"};
  const bool looking = std::any_of(tokens.begin(), tokens.end(), [&](const Token& t) { return look.count(t.lower) > 0; });
  if (has(tokens, "inspect")) return {Kind::inspect, inspect_target(tokens).value_or("system")};
  if (looking)
    if (auto target = inspect_target(tokens)) return {Kind::inspect, *target};
  static const std::set<std::string> greetings{"help", "hi", "hello", "hey", "?"};
  if (greetings.count(first) || (has(tokens, "what") && has(tokens, "can") && has(tokens, "do"))) return {Kind::help, ""};
  return {Kind::unknown, ""};
}

namespace {

struct Step {
  std::string tool;
  Json args;
  std::string result;
};

std::optional<Json> parse_object(const std::string& text) {
  try {
    auto value = Json::parse(text);
    if (value.is_object()) return value;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

bool failed(const std::string& result) {
  const auto json = parse_object(result);
  return json && json->contains("error");
}

std::string error_message(const std::string& result) {
  const auto json = parse_object(result);
  if (json && json->contains("error") && (*json)["error"].is_object())
    return (*json)["error"].value("message", std::string("failed"));
  return result;
}

std::string string_at(const Json& json, const char* key) {
  return json.is_object() && json.contains(key) && json[key].is_string() ? json[key].get<std::string>() : std::string();
}

// The proposal ids mentioned in `text`, in order.
std::vector<std::string> proposal_ids(const std::string& text) {
  static const std::regex pattern("p-[0-9a-f]{6,}");
  std::vector<std::string> ids;
  for (std::sregex_iterator it(text.begin(), text.end(), pattern), end; it != end; ++it) ids.push_back(it->str());
  return ids;
}

// The proposal "yes apply it" means: the newest one this conversation mentions that is still
// pending (listed in the system prompt), else the newest pending one, else the newest mentioned.
std::string latest_proposal(const std::vector<Message>& messages) {
  std::vector<std::string> pending;
  if (!messages.empty() && messages.front().role == Role::system) {
    const auto& prompt = messages.front().content;
    const auto at = prompt.find("## Pending proposals");
    if (at != std::string::npos) {
      const auto end = prompt.find("\n## ", at + 1);
      pending = proposal_ids(prompt.substr(at, end == std::string::npos ? std::string::npos : end - at));
    }
  }
  std::string newest_mentioned;
  for (auto it = messages.rbegin(); it != messages.rend(); ++it) {
    if (it->role == Role::system) continue;
    auto ids = proposal_ids(it->content);
    for (const auto& call : it->tool_calls) {
      const auto more = proposal_ids(call.arguments_json);
      ids.insert(ids.end(), more.begin(), more.end());
    }
    for (auto id = ids.rbegin(); id != ids.rend(); ++id) {
      if (std::find(pending.begin(), pending.end(), *id) != pending.end()) return *id;
      if (newest_mentioned.empty()) newest_mentioned = *id;
    }
  }
  if (!pending.empty()) return pending.back();
  return newest_mentioned;
}

std::string scalar_text(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "-";
  return agntos::dump_json(value);
}

// A few readable lines from a JSON object: scalars as "key: value", objects one level down.
std::string flatten(const Json& json, const std::string& indent = "", int depth = 0) {
  std::string text;
  for (const auto& [key, value] : json.items()) {
    if (value.is_object() && depth < 2) {
      text += indent + key + ":\n" + flatten(value, indent + "  ", depth + 1);
    } else if (value.is_array()) {
      text += indent + key + ": ";
      size_t shown = 0;
      for (const auto& item : value) {
        if (shown++ == 6) {
          text += "…";
          break;
        }
        if (item.is_object()) {
          std::vector<std::string> parts;
          for (const auto& [k, v] : item.items())
            if (!v.is_structured()) parts.push_back(k + "=" + scalar_text(v));
          text += "\n" + indent + "  - " + agntos::join(parts, ", ");
        } else {
          text += scalar_text(item) + " ";
        }
      }
      text += "\n";
    } else if (!value.is_structured()) {
      text += indent + key + ": " + scalar_text(value) + "\n";
    }
  }
  return text;
}

std::string error_code(const std::string& result) {
  const auto json = parse_object(result);
  if (json && json->contains("error") && (*json)["error"].is_object())
    return (*json)["error"].value("code", std::string());
  return {};
}

std::string done_text(const std::string& result, const std::string& what) {
  if (error_code(result) == "denied") {
    // The gate's message is written for a model; the user gets the reason and the way on.
    auto reason = error_message(result);
    if (reason.starts_with("not approved: ")) reason = reason.substr(14);
    reason = reason.substr(0, reason.find(". Nothing was changed"));
    std::string text = "[offline] Nothing was changed: " + reason + ".";
    if (const auto ids = proposal_ids(error_message(result)); !ids.empty())
      text += " The proposal " + ids.front() + " stays pending: say \"apply " + ids.front() + "\" to apply it.";
    return text;
  }
  if (failed(result)) return "[offline] " + what + " did not happen: " + error_message(result);
  const auto json = parse_object(result).value_or(Json::object());
  const auto summary = string_at(json, "summary");
  std::string text = "[offline] " + (summary.empty() ? std::string("Done") : summary);
  if (json.contains("id")) text += " (audit " + string_at(json, "id");
  if (json.contains("generation_after") && json["generation_after"].is_number())
    text += ", generation " + agntos::dump_json(json["generation_after"]);
  if (json.contains("id")) text += ")";
  text += ".";
  if (what == "The change") text += " Say \"undo the last change\" to revert it.";
  return text;
}

std::string why_text(const std::string& subject, const std::string& result) {
  if (failed(result)) return "[offline] I could not search the audit log: " + error_message(result);
  const auto json = parse_object(result).value_or(Json::object());
  if (json.contains("present")) {  // audit why: the answer from the current config tree
    const Json& entry = json.value("entry", Json());
    if (!json.value("present", false) || !entry.is_object()) return "[offline] " + string_at(json, "message");
    std::string text = "[offline] " + subject + " is in your configuration (" + string_at(json, "file") + "): " +
                       string_at(entry, "summary") + " on " + string_at(entry, "timestamp").substr(0, 10) + " (audit " +
                       string_at(entry, "id") + ")";
    if (auto prompt = string_at(entry, "prompt"); !prompt.empty()) text += ", because you asked: \"" + prompt + "\"";
    text += ".";
    if (auto rationale = string_at(entry, "rationale"); !rationale.empty()) text += " Rationale: " + rationale + ".";
    return text;
  }
  const Json entries = json.value("entries", Json::array());
  if (entries.empty())
    return "[offline] The audit log has no entry about \"" + subject +
           "\": AgntOS did not change it, so it comes from your own configuration or a default.";
  const Json& entry = entries.front();
  std::string text = "[offline] " + subject + ": " + string_at(entry, "summary") + " on " +
                     string_at(entry, "timestamp").substr(0, 10) + " (audit " + string_at(entry, "id") + ")";
  if (auto prompt = string_at(entry, "prompt"); !prompt.empty()) text += ", because you asked: \"" + prompt + "\"";
  text += ".";
  if (auto rationale = string_at(entry, "rationale"); !rationale.empty()) text += " Rationale: " + rationale + ".";
  if (entries.size() > 1) text += " (" + std::to_string(entries.size() - 1) + " more matching entries: say \"show the audit log\".)";
  return text;
}

std::string list_text(const std::string& title, const std::string& empty, const Json& items,
                      const std::function<std::string(const Json&)>& line) {
  if (items.empty()) return "[offline] " + empty;
  std::string text = "[offline] " + title + ":\n";
  for (const auto& item : items) text += "- " + line(item) + "\n";
  return text;
}

std::string final_text(const OfflineIntent& intent, const Step& step) {
  if (failed(step.result) && intent.kind != Kind::change && intent.kind != Kind::apply && intent.kind != Kind::undo &&
      intent.kind != Kind::rollback_generation && intent.kind != Kind::why)
    return "[offline] " + step.tool + " failed: " + error_message(step.result);
  const auto json = parse_object(step.result).value_or(Json::object());
  switch (intent.kind) {
    case Kind::change:
    case Kind::apply:
      if (step.tool == "propose") return "[offline] I could not stage that change: " + error_message(step.result);
      return done_text(step.result, "The change");
    case Kind::undo:
    case Kind::rollback_generation:
      return done_text(step.result, "The rollback");
    case Kind::why:
      return why_text(intent.text, step.result);
    case Kind::inspect:
      return "[offline] agntctl inspect " + intent.text + ":\n" + flatten(json);
    case Kind::generations:
      return list_text("Generations (* = running)", "There are no generations yet.", json.value("generations", Json::array()),
                       [](const Json& g) {
                         return std::string(g.value("current", false) ? "* " : "") + scalar_text(g.value("number", Json())) +
                                " " + scalar_text(g.value("date", Json())) + " " +
                                (g["summary"].is_string() ? g["summary"].get<std::string>() : "(not made by AgntOS)");
                       });
    case Kind::remember:
      return "[offline] Noted in USER.md (" + string_at(json, "usage") + "): " + intent.text;
    case Kind::search_history:
      return list_text("Past messages about \"" + intent.text + "\"", "No past message matches \"" + intent.text + "\".",
                       json.value("results", Json::array()), [](const Json& hit) {
                         return string_at(hit, "created_at").substr(0, 16) + " " + string_at(hit, "session_id") + " " +
                                string_at(hit, "role") + ": " + string_at(hit, "snippet");
                       });
    case Kind::audit_list:
      return list_text("Recent changes, newest first", "The audit log is empty.", json.value("entries", Json::array()),
                       [](const Json& e) {
                         std::string line = string_at(e, "timestamp").substr(0, 19) + " " + string_at(e, "id") + " " +
                                            string_at(e, "summary");
                         if (auto prompt = string_at(e, "prompt"); !prompt.empty()) line += " (\"" + prompt + "\")";
                         return line;
                       });
    case Kind::memory_show: {
      std::string text = "[offline] Curated memory:\n";
      for (const auto& file : json.value("files", Json::array())) {
        text += string_at(file, "file") + " " + string_at(file, "usage") + "\n";
        for (const auto& section : file.value("sections", Json::array()))
          for (const auto& entry : section.value("entries", Json::array())) text += "- " + scalar_text(entry) + "\n";
      }
      return text;
    }
    case Kind::help:
    case Kind::unknown:
      break;
  }
  return std::string(kHelp);
}

struct Action {
  std::optional<std::pair<std::string, Json>> call;  // tool and arguments
  std::string text;
};

Action first_action(const OfflineIntent& intent, const std::string& user_text, const std::vector<Message>& messages) {
  switch (intent.kind) {
    case Kind::change:
      return {std::pair{std::string("propose"), Json{{"intent", intent.text}, {"prompt", user_text}}}, ""};
    case Kind::apply: {
      const auto id = intent.text.empty() ? latest_proposal(messages) : intent.text;
      if (id.empty())
        return {std::nullopt, "[offline] There is no pending proposal to apply. Ask for a change first, e.g. \"install htop\"."};
      return {std::pair{std::string("apply"), Json{{"id", id}}}, ""};
    }
    case Kind::inspect:
      return {std::pair{std::string("inspect"), Json{{"target", intent.text}}}, ""};
    case Kind::why:
      // One named thing: answered from the current config tree; several words: searched.
      if (intent.text.find(' ') == std::string::npos)
        return {std::pair{std::string("audit"), Json{{"action", "why"}, {"thing", intent.text}}}, ""};
      return {std::pair{std::string("audit"), Json{{"action", "search"}, {"query", intent.text}}}, ""};
    case Kind::undo: {
      Json args{{"action", "undo"}};
      if (!intent.text.empty()) args["target"] = intent.text;
      return {std::pair{std::string("rollback"), args}, ""};
    }
    case Kind::rollback_generation: {
      Json args{{"action", "generation"}};
      if (!intent.text.empty()) args["target"] = intent.text;
      return {std::pair{std::string("rollback"), args}, ""};
    }
    case Kind::generations:
      return {std::pair{std::string("rollback"), Json{{"action", "list"}}}, ""};
    case Kind::remember:
      return {std::pair{std::string("memory"),
                        Json{{"action", "add"}, {"file", "user"}, {"section", "Preferences"}, {"content", intent.text}}},
              ""};
    case Kind::search_history:
      return {std::pair{std::string("memory"), Json{{"action", "search"}, {"query", intent.text}}}, ""};
    case Kind::audit_list:
      return {std::pair{std::string("audit"), Json{{"action", "list"}, {"limit", 10}}}, ""};
    case Kind::memory_show:
      return {std::pair{std::string("memory"), Json{{"action", "show"}}}, ""};
    case Kind::help:
    case Kind::unknown:
      break;
  }
  return {std::nullopt, std::string(kHelp)};
}

Action next_action(const OfflineIntent& intent, const std::string& user_text, const std::vector<Message>& messages,
                   const std::vector<Step>& steps) {
  if (steps.empty()) return first_action(intent, user_text, messages);
  const Step& last = steps.back();
  if (intent.kind == Kind::change && last.tool == "propose" && steps.size() == 1 && !failed(last.result)) {
    const auto ids = proposal_ids(last.result);
    if (!ids.empty()) return {std::pair{std::string("apply"), Json{{"id", ids.front()}}}, ""};
  }
  return {std::nullopt, final_text(intent, last)};
}

}  // namespace

OfflineProvider::OfflineProvider(agntos::ModelProfile profile) : m_profile(std::move(profile)) {}

llm::ChatResponse OfflineProvider::chat(const llm::ChatRequest& request, llm::StreamSink& sink, const std::atomic<bool>& cancel) {
  llm::ChatResponse response;
  if (cancel) {
    response.finish_reason = "cancelled";
    return response;
  }
  const auto& messages = request.messages;
  size_t user = messages.size();
  for (size_t i = messages.size(); i-- > 0;)
    if (messages[i].role == Role::user) {
      user = i;
      break;
    }
  if (user == messages.size()) {
    response.content = std::string(kHelp);
  } else {
    std::vector<Step> steps;
    std::map<std::string, size_t> by_id;
    size_t tool_messages = 0;
    for (size_t i = 0; i < messages.size(); ++i) {
      if (messages[i].role == Role::tool) ++tool_messages;
      if (i <= user) continue;
      for (const auto& call : messages[i].tool_calls) {
        Json args = Json::object();
        try {
          args = Json::parse(call.arguments_json);
        } catch (const std::exception&) {
        }
        by_id[call.id] = steps.size();
        steps.push_back(Step{call.name, args, ""});
      }
      if (messages[i].role == Role::tool)
        if (auto it = by_id.find(messages[i].tool_call_id); it != by_id.end()) steps[it->second].result = messages[i].content;
    }
    const auto& text = messages[user].content;
    const auto action = steps.size() > 4 ? Action{std::nullopt, "[offline] Stopping here."}
                                         : next_action(parse_offline_intent(text), text, messages, steps);
    if (action.call) {
      llm::ToolCall call{"offline-" + std::to_string(tool_messages + 1), action.call->first, agntos::dump_json(action.call->second)};
      sink.on_tool_call_complete(call);
      response.tool_calls.push_back(call);
      response.finish_reason = "tool_calls";
      return response;
    }
    response.content = action.text;
  }
  // Stream the answer line by line, as a model would token by token.
  size_t start = 0;
  while (start < response.content.size()) {
    auto end = response.content.find('\n', start);
    end = end == std::string::npos ? response.content.size() : end + 1;
    sink.on_token(std::string_view(response.content).substr(start, end - start), llm::Channel::content);
    start = end;
  }
  response.finish_reason = "stop";
  return response;
}

}  // namespace agntd
