// SPDX-License-Identifier: MIT
#pragma once
// The comment-preserving editor of models.toml (SPEC §2) behind `agntctl model add|route|remove`:
// it changes the text of the file line by line, so the user's comments, key order and blank
// lines survive. What the file means is common/models_config.h's business.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace agntctl {

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

}  // namespace agntctl
