// SPDX-License-Identifier: MIT
#include "agntctl/propose/intent_grammar.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <utility>

#include "common/error.h"
#include "common/nix_names.h"
#include "common/nix_values.h"
#include "common/text.h"

namespace agntctl {
namespace {

using agntos::Errc;
using agntos::Error;
using agntos::join;
using agntos::quoted_for_message;
using agntos::to_lower;
using agntos::trim;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

struct Verb {
  std::string_view word;
  Intent::Kind kind;
};

constexpr std::array<Verb, 7> kVerbs{{
    {"install", Intent::Kind::install},
    {"remove", Intent::Kind::remove},
    {"uninstall", Intent::Kind::remove},
    {"enable", Intent::Kind::enable},
    {"disable", Intent::Kind::disable},
    {"set", Intent::Kind::set},
    {"set-home-option", Intent::Kind::set_home_option},
}};

constexpr std::string_view kFormsUnderstood =
    "\nForms understood: install <package...> | remove <package...> (or uninstall) | enable <service> | "
    "disable <service> | set <option.path> <value> (or set <option.path> = <value>) | "
    "set-home-option <option.path> <value>. Join several with ';' or 'and' before the next verb, "
    "e.g. \"install htop btop and enable openssh\".";

[[noreturn]] void refuse(Errc code, const std::string& problem) {
  throw Error(code, problem + std::string(kFormsUnderstood));
}

const Verb* find_verb(std::string_view word) {
  const std::string lower = to_lower(word);
  for (const auto& verb : kVerbs)
    if (verb.word == lower) return &verb;
  return nullptr;
}

// The whitespace-delimited word that starts at or after `pos`.
std::string_view word_at(std::string_view text, size_t pos) {
  while (pos < text.size() && is_space(text[pos])) ++pos;
  size_t end = pos;
  while (end < text.size() && !is_space(text[end])) ++end;
  return text.substr(pos, end - pos);
}

// Splits at ';' and at the word "and" when the next word is a verb, so that a `set` value may
// hold either ("set users.motd fish and chips").
std::vector<std::string_view> split_intents(std::string_view text) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    size_t joiner = 0;
    if (text[i] == ';') joiner = 1;
    else if ((i == 0 || is_space(text[i - 1])) && word_at(text, i).size() == 3 && to_lower(text.substr(i, 3)) == "and")
      joiner = 3;
    if (joiner == 0 || !find_verb(word_at(text, i + joiner))) continue;
    parts.push_back(text.substr(start, i - start));
    start = i + joiner;
    i += joiner - 1;
  }
  parts.push_back(text.substr(start));
  return parts;
}

void check_name(std::string_view name, std::string_view what) {
  if (auto problem = agntos::attribute_path_problem(name, what)) refuse(Errc::invalid_name, *problem);
}

// "the time zone to Europe/Berlin", "time zone to UTC", "my hostname = demo": an article, or
// two or more plain words, before "to" (or "="). Returns the lowercased words and the value.
std::optional<std::pair<std::string, std::string>> natural_setting(std::string_view all) {
  std::vector<std::string> names;
  size_t pos = 0;
  bool article = false;
  while (pos < all.size()) {
    const std::string_view word = word_at(all, pos);
    if (word.empty()) break;
    const size_t next = static_cast<size_t>(word.data() - all.data()) + word.size();
    const std::string lower = to_lower(word);
    if (lower == "to" || lower == "=") {
      if (names.empty() || (!article && names.size() < 2)) return std::nullopt;
      return std::make_pair(join(names, " "), trim(all.substr(next)));
    }
    const bool plain = std::isalpha(static_cast<unsigned char>(word[0])) &&
                       std::all_of(word.begin(), word.end(), [](char c) {
                         return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
                       });
    if (names.empty() && !article && (lower == "the" || lower == "a" || lower == "an" || lower == "my")) {
      article = true;
    } else if (!plain || names.size() >= 5) {
      if (article) refuse(Errc::usage, "say which setting and its value: 'set the <setting> to <value>' or 'set <option.path> <value>'");
      return std::nullopt;
    } else {
      names.push_back(lower);
    }
    pos = next;
  }
  if (article) refuse(Errc::usage, "say which setting and its value: 'set the <setting> to <value>' or 'set <option.path> <value>'");
  return std::nullopt;
}

Intent parse_one_intent(std::string_view part) {
  const std::string text = trim(part);
  if (text.empty()) refuse(Errc::usage, "empty intent (a stray ';' or 'and'?)");
  const std::string_view view = text;
  const std::string_view word = word_at(view, 0);
  const Verb* verb = find_verb(word);
  if (!verb) refuse(Errc::usage, "unknown action " + quoted_for_message(word) + " in " + quoted_for_message(text));
  const std::string rest = trim(view.substr(word.size()));
  Intent intent{verb->kind, {}, {}};
  switch (verb->kind) {
    case Intent::Kind::install:
    case Intent::Kind::remove: {
      // Names are separated by spaces, commas or "and" ("install htop, btop and jq").
      std::string spaced = rest;
      std::replace(spaced.begin(), spaced.end(), ',', ' ');
      for (size_t pos = 0; pos < spaced.size();) {
        const std::string_view name = word_at(spaced, pos);
        if (name.empty()) break;
        pos = static_cast<size_t>(name.data() - spaced.data()) + name.size();
        if (to_lower(name) == "and") continue;
        check_name(name, "package name");
        if (std::find(intent.names.begin(), intent.names.end(), name) == intent.names.end())
          intent.names.emplace_back(name);
      }
      if (intent.names.empty()) refuse(Errc::usage, std::string(verb->word) + " needs at least one package name");
      break;
    }
    case Intent::Kind::enable:
    case Intent::Kind::disable: {
      const std::string_view name = word_at(rest, 0);
      if (name.empty()) refuse(Errc::usage, std::string(verb->word) + " needs a service name");
      if (name.size() != rest.size())
        refuse(Errc::usage, std::string(verb->word) + " takes one service name, got " + quoted_for_message(rest) + " (write \"" +
                                std::string(verb->word) + " a and " + std::string(verb->word) + " b\")");
      check_name(name, "service name");
      intent.names.emplace_back(name);
      break;
    }
    case Intent::Kind::set:
    case Intent::Kind::set_home_option: {
      const std::string_view all = rest;
      // "set the time zone to Europe/Berlin": words that name a setting, not an option path.
      if (auto natural = natural_setting(all)) {
        if (verb->kind != Intent::Kind::set)
          refuse(Errc::usage, "set-home-option needs an option path (programs.git.userName), got " + quoted_for_message(text));
        if (natural->second.empty()) refuse(Errc::usage, "set needs a value after 'to', got " + quoted_for_message(text));
        agntos::render_nix_value(natural->second);
        intent.phrase = natural->first;
        intent.value = natural->second;
        break;
      }
      size_t end = 0;
      while (end < all.size() && !is_space(all[end]) && all[end] != '=') ++end;
      const std::string_view path = all.substr(0, end);
      size_t value_at = end;
      while (value_at < all.size() && is_space(all[value_at])) ++value_at;
      if (value_at < all.size() && all[value_at] == '=') ++value_at;
      // "set networking.hostName to demo": "to" separates like "=".
      else if (to_lower(word_at(all, value_at)) == "to" && value_at + 2 < all.size() && is_space(all[value_at + 2]))
        value_at += 2;
      const std::string value = trim(all.substr(value_at));
      if (path.empty() || value.empty())
        refuse(Errc::usage, std::string(verb->word) + " needs an option path and a value, got " + quoted_for_message(text));
      if (auto problem = agntos::option_path_problem(path)) refuse(Errc::invalid_name, *problem);
      agntos::render_nix_value(value);  // refuses values that have no Nix literal now, not at apply time
      intent.names.emplace_back(path);
      // One word is a top-level option (fileSystems) or a setting's name (timezone).
      if (verb->kind == Intent::Kind::set && path.find('.') == std::string_view::npos) intent.phrase = to_lower(path);
      intent.value = value;
      break;
    }
  }
  return intent;
}

// A value for a one-line summary: control characters escaped, long text cut short.
std::string summary_value(std::string_view value) {
  const std::string shown = quoted_for_message(value, 60);
  return shown.substr(1, shown.size() - 2);
}

}  // namespace

std::vector<Intent> parse_intents(std::string_view words) {
  if (trim(words).empty()) refuse(Errc::usage, "no intent given");
  std::vector<Intent> intents;
  for (const auto part : split_intents(words)) intents.push_back(parse_one_intent(part));
  return intents;
}

std::string summarize_intents(const std::vector<Intent>& intents) {
  std::vector<std::string> parts;
  for (const auto& intent : intents) {
    const std::string names = join(intent.names, ", ");
    switch (intent.kind) {
      case Intent::Kind::install: parts.push_back("Install package: " + names); break;
      case Intent::Kind::remove: parts.push_back("Remove package: " + names); break;
      case Intent::Kind::enable: parts.push_back("Enable service: " + names); break;
      case Intent::Kind::disable: parts.push_back("Disable service: " + names); break;
      case Intent::Kind::set:
        parts.push_back("Set option: " + (names.empty() ? "the " + intent.phrase : names) + " = " + summary_value(intent.value));
        break;
      case Intent::Kind::set_home_option:
        parts.push_back("Set home option: " + names + " = " + summary_value(intent.value));
        break;
    }
  }
  return join(parts, "; ");
}

}  // namespace agntctl
