// SPDX-License-Identifier: MIT
#include "agntctl/propose/intent_options.h"

#include <algorithm>

#include "common/error.h"
#include "common/nix_values.h"
#include "common/option_type.h"
#include "common/text.h"

namespace agntctl {
namespace {

using agntos::Errc;
using agntos::Error;
using agntos::Json;
using agntos::or_list;
using agntos::OptionsIndex;
using agntos::PathMatch;

std::string did_you_mean(const OptionsIndex& index, const std::string& path) {
  const auto near = index.suggestions(agntos::option_path_segments(path));
  if (near.empty())
    return " (no option has a similar name; 'agntctl inspect option <words>' searches the options)";
  return "; did you mean " + or_list(near) + "?";
}

// A short rendering of a value for the notes: 8080, "UTC", [ 443 80 ].
std::string shown(const Json& value) {
  const std::string text = value.dump();
  return text.size() > 60 ? std::string(agntos::utf8_prefix(text, 57)) + "..." : text;
}

}  // namespace

std::string IntentOptions::check_path(const std::string& path) {
  const OptionsIndex& index = *m_options.index;
  const auto match = index.match(path);
  switch (match.kind) {
    case PathMatch::Kind::option:
      if (match.option->read_only)
        throw Error(Errc::validation, path + " is a read-only option: NixOS sets it itself and refuses definitions");
      return path;
    case PathMatch::Kind::inside: return path;
    case PathMatch::Kind::group: {
      std::vector<std::string> some;
      for (const auto* option : index.search(path, 6)) some.push_back(option->name);
      throw Error(Errc::validation, path + " is a set of options, not an option; set one of them, such as " +
                                        or_list(some) + " ('agntctl inspect option " + path + "' lists them)");
    }
    case PathMatch::Kind::unknown:
      if (match.option)
        throw Error(Errc::validation, path + " does not exist: " + match.option->name + " is an option of type `" +
                                          match.option->type + "`, which has no attributes");
      throw Error(Errc::validation, path + " does not exist" + did_you_mean(index, path));
  }
  return path;
}

std::string IntentOptions::service_option(const std::string& service) {
  const std::string path = "services." + service + ".enable";
  if (!m_options.index) return path;
  const OptionsIndex& index = *m_options.index;
  if (index.match(path).kind == PathMatch::Kind::option) {
    m_notes.push_back(path + " exists (" + index.match(path).option->type + ")");
    return path;
  }
  // NixOS keeps some services elsewhere: virtualisation.docker.enable, hardware.bluetooth.enable.
  std::vector<std::string> same_name;
  for (const auto& name : index.suggestions(agntos::option_path_segments(path), 10)) {
    const auto segments = agntos::option_path_segments(name);
    if (segments.size() >= 2 && segments.back() == "enable" &&
        agntos::to_lower(segments[segments.size() - 2]) == agntos::to_lower(service) &&
        index.match(segments).kind == PathMatch::Kind::option)
      same_name.push_back(name);
  }
  if (same_name.size() == 1) {
    m_notes.push_back(path + " does not exist; NixOS's option for " + service + " is " + same_name.front() +
                      ", which this change sets");
    return same_name.front();
  }
  throw Error(Errc::validation, path + " does not exist" + did_you_mean(index, path));
}

std::string IntentOptions::resolve_phrase(const Intent& intent) {
  const std::string words = intent.phrase;
  const std::string asked = intent.names.empty() ? "the " + words : intent.names.front();
  if (!m_options.index)
    throw Error(Errc::validation,
                "\"" + asked + "\" is not an option path, and there is no options index to look it up in (" +
                    m_options.source + "); give the option's path: set <option.path> <value>");
  const OptionsIndex& index = *m_options.index;
  std::string key = words;
  std::erase(key, ' ');
  std::vector<std::string> named;     // options whose last segment is the words ("timezone" -> time.timeZone)
  std::vector<std::string> matching;  // options the words find
  for (const auto* option : index.search(words, 8)) {
    matching.push_back(option->name);
    const auto segments = agntos::option_path_segments(option->name);
    if (agntos::to_lower(segments.back()) == key) named.push_back(option->name);
  }
  if (named.size() == 1) {
    m_notes.push_back("\"" + asked + "\" is the option " + named.front());
    return named.front();
  }
  const auto& listed = named.empty() ? matching : named;
  if (listed.empty())
    throw Error(Errc::validation, "\"" + asked + "\" is not an option path, and no option matches those words" +
                                      did_you_mean(index, key));
  throw Error(Errc::validation, "\"" + asked + "\" is not an option path; options that match: " + or_list(listed) +
                                    ". Say which: set <option.path> <value>");
}

IntentOptions::Setting IntentOptions::setting(const Intent& intent, bool raw_nix, const ExistingValue& existing) {
  const std::string& value_text = intent.value;
  std::string path;
  if (!intent.phrase.empty() && m_options.index &&
      !(intent.names.size() == 1 && m_options.index->match(intent.names.front()).kind == PathMatch::Kind::option))
    path = resolve_phrase(intent);
  else if (intent.names.empty())
    path = resolve_phrase(intent);
  else
    path = intent.names.front();
  const std::string rendered = raw_nix ? value_text : agntos::render_nix_value(value_text);
  if (!m_options.index) return Setting{path, rendered};

  check_path(path);
  const auto match = m_options.index->match(path);
  if (match.kind == PathMatch::Kind::inside) {
    m_notes.push_back(path + " is inside the option " + match.option->name + " (" + match.option->type +
                      "); the value is checked when the system is built");
    return Setting{path, rendered};
  }
  const auto& option = *match.option;
  if (raw_nix) {
    m_notes.push_back(path + " exists (" + option.type + "); the value is a Nix expression, checked when the system is built");
    return Setting{path, rendered};
  }
  const auto type = agntos::OptionType::parse(option.type);
  Json value = agntos::nix_value_as_json(value_text);
  bool changed = false;
  std::string merged_note;
  if (const auto* list = type.list_type(); list && !value.is_null()) {
    if (!value.is_array() && list->element) {
      // One port for a list of ports: the element's own verdict says more ("out of range").
      const auto element = agntos::check_value(*list->element, value);
      if (element.result == agntos::TypeCheck::Result::does_not_fit && !element.reason.starts_with("got "))
        throw Error(Errc::validation, path + " is of type `" + option.type + "`: " + element.reason);
      if (element.result == agntos::TypeCheck::Result::fits) {
        value = Json::array({value});
        changed = true;
      }
    }
    if (value.is_array()) {
      const Json before = existing ? existing(path) : Json();
      if (before.is_array() && !before.empty()) {
        Json all = before;
        for (const auto& item : value)
          if (std::find(all.begin(), all.end(), item) == all.end()) all.push_back(item);
        merged_note = "; the tree already sets " + shown(before) + ", so it becomes " + shown(all);
        value = all;
        changed = true;
      }
    }
  }
  const auto verdict = agntos::check_value(type, value);
  if (verdict.result == agntos::TypeCheck::Result::does_not_fit)
    throw Error(Errc::validation, path + " is of type `" + option.type + "`: " + verdict.reason);
  if (verdict.result == agntos::TypeCheck::Result::unchecked)
    m_notes.push_back(path + " exists (" + option.type + "); " + verdict.reason);
  else
    m_notes.push_back(path + " is " + option.type + ": " + shown(value) + " fits" + merged_note);
  return Setting{path, changed ? agntos::render_nix_json(value) : rendered};
}

}  // namespace agntctl
