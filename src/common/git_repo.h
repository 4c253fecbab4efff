// SPDX-License-Identifier: MIT
#pragma once
// The config dir's git history (SPEC §2): one commit per apply, undo and rollback, covering
// only the five module folders (packages, services, options, modules, home). Built on libgit2;
// every libgit2 object is owned by a RAII handle inside the implementation, and every libgit2
// failure becomes Error(Errc::failed) with libgit2's message.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agntos {

// Git blob id (40 hex characters) of some bytes: the same hash `git hash-object` prints.
// Used as the content hash of proposals and journals.
std::string git_blob_hash(std::string_view content);

// Unified diff of one file between two versions (nullopt = absent), with "a/<path>" and
// "b/<path>" headers and 3 lines of context, as `git diff` prints it. Empty when equal.
std::string unified_diff(const std::string& path, const std::optional<std::string>& before,
                         const std::optional<std::string>& after);

struct CommitInfo {
  std::string id;       // full hex sha
  std::string message;
  long long time = 0;   // seconds since the epoch
};

class GitRepo {
public:
  // Opens the repository at `dir`, creating it (with an initial empty commit) if absent.
  static GitRepo open_or_init(const std::filesystem::path& dir);
  GitRepo(GitRepo&& other) noexcept;
  GitRepo& operator=(GitRepo&&) = delete;
  GitRepo(const GitRepo&) = delete;
  ~GitRepo();

  // Stages exactly the files currently under the module folders (additions, changes and
  // deletions) and commits them with `message` as "AgntOS <agntos@localhost>". Returns the new
  // commit id. Commits even when nothing changed (allow-empty), so each transaction has one.
  std::string commit_module_tree(const std::string& message);

  // HEAD's commit id, or nullopt for an empty repository.
  std::optional<std::string> head() const;
  // The module files (relative paths like "packages/htop.nix") and their contents at a commit.
  std::map<std::string, std::string> files_at(const std::string& commit) const;
  // The first parent of a commit, or nullopt for a root commit.
  std::optional<std::string> parent_of(const std::string& commit) const;
  // Commits reachable from HEAD, newest first.
  std::vector<CommitInfo> log(size_t limit) const;
  // True when the module folders differ from HEAD (uncommitted edits).
  bool module_tree_dirty() const;

private:
  struct Impl;
  explicit GitRepo(Impl* impl) : m_impl(impl) {}
  Impl* m_impl;
};

// Removes the lock files a git writer killed mid-write leaves in `dir`/.git (index.lock,
// HEAD.lock, refs/**/*.lock), which would fail every later commit. Only for a caller holding
// the config-dir lock, under which every write to this repository happens.
void remove_stale_git_locks(const std::filesystem::path& dir);

}  // namespace agntos
