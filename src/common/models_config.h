// SPDX-License-Identifier: MIT
#pragma once
// models.toml (SPEC §2): the LLM endpoints the daemon may use, and which one serves which task.
//
//   [default]            the profile used when no route applies
//   [profiles.<name>]    further profiles
//   [<name>]             legacy flat form of a profile (any other top-level table that has an
//                        `endpoint` or `model` key), kept so files of the earlier prototype work
//   [routing]            task class -> profile name, e.g. chat = "fast"
//
// Profile keys: provider ("openai" | "anthropic" | "offline"), endpoint, model, api_key_env,
// max_tokens, temperature, supports_tools. A key a profile leaves out is taken from [default]
// (endpoint, model and api_key_env only when the profile does not name another provider).
// Without a provider, a profile with an endpoint is "openai" and one without is "offline".
// A missing file means the offline provider.
//
// Secrets: the API key itself is never part of any type here. A profile only names the
// environment variable that holds it; read_api_key() reads the variable when a request is
// made, and its errors name the variable, never a value.
//
// `agntctl model` changes the file with agntctl/models_toml_editor.h, which keeps the user's
// comments, key order and blank lines.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/json.h"

namespace agntos {

enum class ProviderKind { openai, anthropic, offline };

// "openai", "anthropic", "offline".
std::string_view provider_name(ProviderKind kind);

struct ModelProfile {
  std::string name;                 // "default", or the profile's table name
  ProviderKind provider = ProviderKind::offline;
  std::string endpoint;             // base URL without a trailing slash, e.g. http://127.0.0.1:8081/v1
  std::string model;
  std::string api_key_env;          // name of the variable holding the key; empty: send no key
  long max_tokens = 4096;
  std::optional<double> temperature;  // not sent when absent
  bool supports_tools = true;

  // {"name","provider","endpoint","model","api_key_env","max_tokens","temperature",
  //  "supports_tools"}; empty strings and an absent temperature are null.
  Json to_json() const;
};

// The profile used when nothing is configured.
ModelProfile offline_profile();

struct ModelsConfig {
  std::filesystem::path file;       // where it was read from (may not exist)
  bool file_exists = false;
  std::vector<ModelProfile> profiles;                        // in file order
  std::vector<std::pair<std::string, std::string>> routes;   // task class -> profile, file order

  // Reads `file`; a missing file gives an empty config (offline). A malformed file, a value of
  // the wrong type or a route to an unknown profile throws Error(Errc::failed) naming the file,
  // the line and the key.
  static ModelsConfig load(const std::filesystem::path& file);
  // Same rules for text; `where` names the source in errors.
  static ModelsConfig parse(std::string_view text, const std::string& where);

  const ModelProfile* find(std::string_view name) const;
  // The profile a route names for `task_class`, if there is a route.
  std::optional<std::string> route(std::string_view task_class) const;
  // The profile serving `task_class`: its route, else [default], else the offline profile.
  ModelProfile resolve(std::string_view task_class = "chat") const;
};

// The API key for a request: nullopt when the profile names no variable. Throws
// Error(Errc::failed) naming the variable (never a value) when it is unset or empty.
std::optional<std::string> read_api_key(const ModelProfile& profile);

// True for names usable as a profile or task class: letters, digits, '-' and '_'.
bool is_valid_profile_name(std::string_view name);

}  // namespace agntos
