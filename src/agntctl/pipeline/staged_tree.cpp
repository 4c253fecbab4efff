// SPDX-License-Identifier: MIT
#include "agntctl/pipeline/staged_tree.h"

#include <stdlib.h>

#include "common/error.h"
#include "common/files.h"
#include "common/text.h"

namespace agntctl {

namespace fs = std::filesystem;

StagedTree::StagedTree(const fs::path& config_dir, const std::vector<FileChange>& changes) {
  std::string pattern = (fs::temp_directory_path() / "agntos-stage-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) agntos::throw_errno("cannot create staging directory", pattern);
  m_dir = pattern;
  for (const auto& [path, content] : read_module_tree(config_dir))
    agntos::write_file_atomic(m_dir / path, content, 0644, agntos::MakeParents::yes);
  for (const auto& change : changes) {
    if (change.content) agntos::write_file_atomic(m_dir / change.path, *change.content, 0644, agntos::MakeParents::yes);
    else agntos::remove_file_durably(m_dir / change.path);
  }
}

StagedTree::~StagedTree() {
  std::error_code ec;
  fs::remove_all(m_dir, ec);
}

std::string in_config_terms(std::string message, const fs::path& staged, const fs::path& config_dir) {
  const std::string from = staged.string();
  const std::string to = config_dir.string();
  for (size_t at = message.find(from); at != std::string::npos; at = message.find(from, at + to.size()))
    message.replace(at, from.size(), to);
  return agntos::trim(message);
}

}  // namespace agntctl
