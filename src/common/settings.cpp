// SPDX-License-Identifier: MIT
#include "common/settings.h"

#include <toml++/toml.h>

#include <initializer_list>

#include "common/error.h"

namespace agntos {
namespace {

void read_string(const toml::table& table, const char* key, std::string& out, std::initializer_list<const char*> allowed,
                 const std::string& where) {
  const toml::node* node = table.get(key);
  if (!node) return;
  const auto value = node->value<std::string>();
  if (!value) throw Error(Errc::failed, where + ": " + key + " must be a string");
  if (allowed.size()) {
    bool ok = false;
    std::string choices;
    for (const char* choice : allowed) {
      ok = ok || *value == choice;
      choices += std::string(choices.empty() ? "" : ", ") + "\"" + choice + "\"";
    }
    if (!ok) throw Error(Errc::failed, where + ": " + key + " = \"" + *value + "\" is not one of " + choices);
  }
  out = *value;
}

// A key whose value is one of an enum's spellings (enum_names.h).
template <NamedEnum E>
void read_enum(const toml::table& table, const char* key, E& out, const std::string& where) {
  std::string text;
  read_string(table, key, text, {}, where);
  if (table.get(key)) out = parse_enum<E>(text, where + ": " + key + " =");
}

void read_int(const toml::table& table, const char* key, long& out, const std::string& where) {
  const toml::node* node = table.get(key);
  if (!node) return;
  // Only an integer node: toml++ converts a float to int64_t before checking its range.
  const auto value = node->is_integer() ? node->value<int64_t>() : std::nullopt;
  if (!value || *value <= 0) throw Error(Errc::failed, where + ": " + key + " must be a positive integer");
  out = static_cast<long>(*value);
}

// An array of option-path-like names ("networking", "services.openssh").
void read_names(const toml::table& table, const char* key, std::vector<std::string>& out, const std::string& where) {
  const toml::node* node = table.get(key);
  if (!node) return;
  const auto* array = node->as_array();
  if (!array) throw Error(Errc::failed, where + ": " + key + " must be an array of strings");
  std::vector<std::string> names;
  for (const auto& item : *array) {
    const auto value = item.value<std::string>();
    const bool ok = value && !value->empty() && value->front() != '.' && value->back() != '.' &&
                    value->find("..") == std::string::npos &&
                    value->find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-'.") ==
                        std::string::npos;
    if (!ok) throw Error(Errc::failed, where + ": " + key + " must hold class names or option paths such as \"networking\"");
    names.push_back(*value);
  }
  out = std::move(names);
}

}  // namespace

Settings Settings::load(const Paths& paths) {
  Settings settings;
  settings.rebuild.profile_path = (paths.state_dir / "profile" / "system").string();
  const fs::path file = paths.settings_file();
  std::error_code ec;
  if (!fs::exists(file, ec)) return settings;

  toml::table root;
  try {
    root = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    throw Error(Errc::failed, file.string() + ":" + std::to_string(e.source().begin.line) + ": " +
                                  std::string(e.description()) + " (fix the file or remove it to use defaults)");
  }
  const std::string where = file.string();
  if (const auto* rebuild = root["rebuild"].as_table()) {
    read_enum(*rebuild, "backend", settings.rebuild.backend, where + " [rebuild]");
    read_enum(*rebuild, "mode", settings.rebuild.mode, where + " [rebuild]");
    read_string(*rebuild, "flake", settings.rebuild.flake, {}, where + " [rebuild]");
    read_enum(*rebuild, "privilege", settings.rebuild.privilege, where + " [rebuild]");
    read_names(*rebuild, "confirm_classes", settings.rebuild.confirm_classes, where + " [rebuild]");
    if (rebuild->get("confirm_timeout")) {
      long timeout = 0;
      read_int(*rebuild, "confirm_timeout", timeout, where + " [rebuild]");
      settings.rebuild.confirm_timeout = timeout;
    }
    read_int(*rebuild, "confirm_class_timeout", settings.rebuild.confirm_class_timeout, where + " [rebuild]");
    if (const auto* profile = (*rebuild)["profile"].as_table()) {
      read_string(*profile, "path", settings.rebuild.profile_path, {}, where + " [rebuild.profile]");
      read_string(*profile, "pkgs", settings.rebuild.profile_pkgs, {}, where + " [rebuild.profile]");
      read_string(*profile, "lib", settings.rebuild.profile_lib, {}, where + " [rebuild.profile]");
    }
  }
  if (const auto* policy = root["policy"].as_table()) {
    read_enum(*policy, "auto_apply", settings.policy.auto_apply, where + " [policy]");
    read_enum(*policy, "bash_sandbox", settings.policy.bash_sandbox, where + " [policy]");
  }
  if (const auto* limits = root["limits"].as_table()) {
    read_int(*limits, "memory_chars", settings.limits.memory_chars, where + " [limits]");
    read_int(*limits, "user_chars", settings.limits.user_chars, where + " [limits]");
    read_int(*limits, "tool_output_chars", settings.limits.tool_output_chars, where + " [limits]");
    read_int(*limits, "max_rounds", settings.limits.max_rounds, where + " [limits]");
  }
  return settings;
}

}  // namespace agntos
