// SPDX-License-Identifier: MIT
#pragma once
// A set of file changes to the config dir's module tree, and the tree's state.
//
// Paths are relative to the config dir ("packages/htop.nix"). Each change carries the git blob
// hash of the content it expects to replace (nullopt: the file must not exist), so a change
// made against an older tree is detected.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"

namespace agntctl {

struct FileChange {
  std::string path;                          // relative, e.g. "packages/htop.nix"
  std::optional<std::string> content;        // new content; nullopt = delete the file
  std::optional<std::string> expected_hash;  // blob hash of the current content; nullopt = absent

  std::string action() const { return content ? "write" : "delete"; }
  agntos::Json to_json() const;
  static FileChange from_json(const agntos::Json& value);
};

// The module files of a config dir (relative path -> content).
std::map<std::string, std::string> read_module_tree(const std::filesystem::path& config_dir);

// A hash of the whole module tree: changes whenever any module file is added, changed or removed.
std::string tree_hash(const std::filesystem::path& config_dir);

// Refuses (Errc::invalid_path) a path outside "<kind>/<name>.nix" with kind one of the five
// module folders, name of letters, digits, '_', '-', '.', '\'' (no '..', no '/', not absolute),
// and any path that leads outside the config dir through a symlink.
void check_module_path(const std::filesystem::path& config_dir, const std::string& path);

// A unified diff of all changes against the current tree.
std::string diff_changes(const std::filesystem::path& config_dir, const std::vector<FileChange>& changes);

// Absolute paths of the changed files, for the audit entry.
std::vector<std::string> absolute_paths(const std::filesystem::path& config_dir, const std::vector<FileChange>& changes,
                                        const char* action = nullptr);

}  // namespace agntctl
