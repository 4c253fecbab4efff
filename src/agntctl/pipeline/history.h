// SPDX-License-Identifier: MIT
#pragma once
// The history of the config tree as the audit log and its git commits record it, read
// against the tree as it is now. One owner for the questions the pipeline answers about the
// past: who changed a file, which change is still in effect (and so can be undone), which
// change made a generation, and why a package or option is in the tree.
//
// A change (a successful Apply, Undo or Rollback entry with a commit) is "in effect" when
// every file it wrote or deleted still has the content its commit gave it; that survives
// undos and generation rollbacks in any order, because it looks only at content.
//
// The changes are read newest first, from the audit index, only as far back as a question goes:
// a history of a million entries costs a question about the recent past what ten would.

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "agntctl/pipeline/change_set.h"
#include "common/audit.h"
#include "common/git_repo.h"
#include "common/paths.h"

namespace agntctl {

struct UndoChoice {
  const agntos::AuditEntry* entry = nullptr;
  std::string why;  // "the newest change still in effect", "named explicitly"
};

// What `audit why <thing>` answers.
struct WhyAnswer {
  std::string thing;
  bool present = false;                     // in the current config tree
  std::optional<std::string> file;          // the module that defines it (relative path)
  const agntos::AuditEntry* entry = nullptr;       // the change that wrote that file's current content
  const agntos::AuditEntry* removed_by = nullptr;  // when absent: the change that took it out
  std::string message;                      // the answer in one or two sentences
};

class History {
public:
  explicit History(const agntos::Paths& paths);

  // "changed by a-… (summary)" / "deleted by a-…" / "changed by hand" for a module file whose
  // content differs from what a proposal made at `since` expected.
  std::string who_changed(const std::string& path, const std::string& since) const;

  // The change `rollback undo [<id>]` would undo. Throws Error: not_found (nothing in effect,
  // unknown id), refused (not a change, no longer in effect, naming the files and who changed
  // them), ambiguous (the newest change is only partly in effect; lists the candidates).
  UndoChoice undo_target(const std::optional<std::string>& id) const;
  // The file changes that restore what `entry` replaced (content before its commit).
  std::vector<FileChange> undo_changes(const agntos::AuditEntry& entry) const;

  // The successful change that made generation N (a Rollback only switches to one), or null.
  const agntos::AuditEntry* entry_for_generation(long long number) const;
  // The file changes that turn the current tree into the module tree of `commit`.
  std::vector<FileChange> changes_to_commit(const std::string& commit) const;

  // Why a package, option path or module path is (or is not) in the current tree.
  WhyAnswer why(const std::string& thing) const;

  // How far back the questions so far had to go: the changes read newest first, and all the
  // entries read (those plus the ones found by id or by the words they mention).
  size_t changes_read() const { return m_changes.size(); }
  size_t entries_read() const { return m_read.size(); }

private:
  // The i-th newest change (a successful Apply, Undo or Rollback with a commit), or null past
  // the oldest. Reads the next page from the audit index when a question goes further back.
  const agntos::AuditEntry* change(size_t i) const;
  void read_older_changes() const;
  // The entry with this id, of any type, or null.
  const agntos::AuditEntry* entry_with_id(const std::string& id) const;
  // The changes whose entries mention `words` (every word; a superset of those that wrote,
  // deleted or named it), newest first; every change when the index cannot narrow them down.
  std::vector<const agntos::AuditEntry*> changes_mentioning(const std::string& words) const;
  // The entry kept for the life of the History: one copy per id, so pointers compare.
  const agntos::AuditEntry* keep(agntos::AuditEntry entry) const;
  // Relative paths of the module files `entry` wrote or deleted.
  std::vector<std::string> files_of(const agntos::AuditEntry& entry) const;
  // Module files at `commit` (cached).
  const std::map<std::string, std::string>& tree_at(const std::string& commit) const;
  // The module files of `entry` whose current content is not what its commit gave them.
  std::vector<std::string> differing_files(const agntos::AuditEntry& entry) const;
  // The newest change after `since` that touched `path` (any content), or null.
  const agntos::AuditEntry* last_toucher(const std::string& path, const std::string& since) const;
  // The newest change whose commit gave `path` the content it has now, or null.
  const agntos::AuditEntry* writer_of_current(const std::string& path) const;

  agntos::Paths m_paths;
  mutable std::map<std::string, agntos::AuditEntry> m_read;  // every entry read, by id
  mutable std::deque<const agntos::AuditEntry*> m_changes;     // newest first
  mutable int64_t m_cursor = 0;                                // where the next page of the index starts
  mutable bool m_all_read = false;
  mutable size_t m_page = 16;  // entries per page, growing as a question goes back
  std::map<std::string, std::optional<std::string>> m_current;  // path -> content now
  mutable std::optional<agntos::GitRepo> m_repo;
  mutable std::map<std::string, std::map<std::string, std::string>> m_trees;
};

}  // namespace agntctl
