// SPDX-License-Identifier: MIT
#include "agntctl/pipeline/staged_tree.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "common/error.h"
#include "common/fd.h"
#include "common/files.h"
#include "common/text.h"

namespace agntctl {

namespace fs = std::filesystem;

namespace {

// The stage is scratch that a crash discards, so its files are written without the fsyncs that
// make the config dir's own writes durable: two per file, which were 60 of the 70 fsyncs of an
// apply of a tree of 15 modules (the plan and the validation each stage it). The directory is
// ours alone (mkdtemp, 0700), and a file is never reached through a symbolic link.
//
// `relative` is a module path; one that is absolute or climbs out with ".." (an undo computes
// its paths from the audit log's) is refused, so nothing is written outside the stage.
fs::path inside(const fs::path& dir, const std::string& relative) {
  const fs::path path(relative);
  const bool climbs = std::any_of(path.begin(), path.end(), [](const fs::path& part) { return part == ".."; });
  if (relative.empty() || path.is_absolute() || climbs)
    throw agntos::Error(agntos::Errc::refused, "'" + relative + "' is not a path inside the config dir's module tree");
  return dir / path;
}

void write_scratch(const fs::path& path, std::string_view content) {
  agntos::make_directories(path.parent_path());
  agntos::Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644));
  if (!fd) agntos::throw_errno("cannot write", path.string());
  if (::fchmod(fd.get(), 0644) != 0) agntos::throw_errno("cannot set mode of", path.string());
  agntos::write_all(fd.get(), content, path.string());
}

void remove_scratch(const fs::path& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) agntos::throw_errno("cannot remove", path.string());
}

}  // namespace

StagedTree::StagedTree(const fs::path& config_dir, const std::vector<FileChange>& changes) {
  std::string pattern = (fs::temp_directory_path() / "agntos-stage-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) agntos::throw_errno("cannot create staging directory", pattern);
  m_dir = pattern;
  try {
    for (const auto& [path, content] : read_module_tree(config_dir)) write_scratch(inside(m_dir, path), content);
    for (const auto& change : changes) {
      if (change.content) write_scratch(inside(m_dir, change.path), *change.content);
      else remove_scratch(inside(m_dir, change.path));
    }
  } catch (...) {
    std::error_code ec;
    fs::remove_all(m_dir, ec);  // the destructor does not run for a constructor that throws
    throw;
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
