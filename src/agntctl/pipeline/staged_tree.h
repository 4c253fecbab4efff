// SPDX-License-Identifier: MIT
#pragma once
// A private copy of the config dir's module tree with a set of changes applied, in a fresh
// temporary directory that the destructor removes. Validation parses and evaluates it and the
// plan builds it, so nothing ever touches the config dir before the human's yes.

#include <filesystem>
#include <vector>

#include "agntctl/pipeline/change_set.h"

namespace agntctl {

class StagedTree {
public:
  StagedTree(const std::filesystem::path& config_dir, const std::vector<FileChange>& changes);
  StagedTree(const StagedTree&) = delete;
  StagedTree& operator=(const StagedTree&) = delete;
  ~StagedTree();
  const std::filesystem::path& dir() const { return m_dir; }

private:
  std::filesystem::path m_dir;
};

// Nix's messages name the staged copy; the user knows the file by its place in the config dir.
std::string in_config_terms(std::string message, const std::filesystem::path& staged,
                            const std::filesystem::path& config_dir);

}  // namespace agntctl
