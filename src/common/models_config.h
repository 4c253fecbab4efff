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
// ModelsTomlEditor changes the text of the file line by line, so the user's comments, key order
// and blank lines survive `agntctl model add|route|remove`.

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

// Line-based edits of models.toml text. Every line the edit is not about stays byte for byte.
// The result is not validated: re-parse it with ModelsConfig::parse before writing it.
class ModelsTomlEditor {
public:
  explicit ModelsTomlEditor(std::string_view text);

  // Sets string keys (key -> unquoted value) in the profile's table: `[default]` for
  // "default", otherwise an existing `[profiles.<name>]` or legacy `[<name>]`, or a new
  // `[profiles.<name>]` placed after the last profile (before [routing]). Existing key lines
  // keep their place, indentation and trailing comment. Returns true when the table is new.
  bool set_profile(std::string_view name, const std::vector<std::pair<std::string, std::string>>& values);
  // Removes the profile's table header and its keys; comments outside the table stay. Returns
  // false when there is no such table.
  bool remove_profile(std::string_view name);
  // Sets `task_class = "profile"` in [routing], creating the table at the end when absent.
  void set_route(std::string_view task_class, std::string_view profile);
  // Removes the `task_class = ...` line from [routing]; false when absent.
  bool remove_route(std::string_view task_class);
  // True when the profile is written as its own table (the editor can change it).
  bool has_profile_table(std::string_view name) const;

  std::string text() const;

private:
  struct Block {
    size_t header;        // index of the header line
    size_t content_end;   // one past the last key line or header (comments before the next header excluded)
    size_t end;           // index of the next header, or the line count
  };
  std::optional<Block> find_table(std::string_view dotted_name) const;
  std::optional<Block> find_profile_table(std::string_view name) const;
  std::vector<Block> all_tables() const;
  Block block_at(size_t header) const;
  std::optional<size_t> find_key(const Block& block, std::string_view key) const;
  void set_key(const Block& block, std::string_view key, std::string_view toml_value);
  void insert_table(size_t at, std::vector<std::string> table_lines);
  void classify();

  std::vector<std::string> m_lines;
  // Per line: the normalised table name of a header line ("profiles.fast"), nullopt for other
  // lines. Lines inside multi-line strings are never headers or keys.
  std::vector<std::optional<std::string>> m_headers;
  std::vector<bool> m_in_multiline_string;
};

// A TOML basic string literal for `value`, with quotes and escapes.
std::string toml_quote(std::string_view value);

}  // namespace agntos
