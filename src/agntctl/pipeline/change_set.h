// SPDX-License-Identifier: MIT
#pragma once
// The config dir's module tree: reading it, checking module paths, diffing changes against it.
// A change (FileChange) is declared with proposals in common/proposal.h.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/proposal.h"

namespace agntctl {

using agntos::FileChange;
using agntos::Proposal;

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

// The previous content of files a transaction touches (relative path -> bytes; nullopt: the file
// did not exist), as the journal and the pending confirmation keep it: [{path, before_base64}].
using FilesBefore = std::map<std::string, std::optional<std::string>>;
agntos::Json files_before_to_json(const FilesBefore& files);
FilesBefore files_before_from_json(const agntos::Json& list);

// Absolute paths of the changed files, for the audit entry.
std::vector<std::string> absolute_paths(const std::filesystem::path& config_dir, const std::vector<FileChange>& changes,
                                        const char* action = nullptr);

}  // namespace agntctl
