// SPDX-License-Identifier: MIT
#include "agntctl/pipeline/history.h"

#include <algorithm>
#include <regex>
#include <set>

#include "common/audit_index.h"
#include "common/error.h"
#include "common/files.h"
#include "common/text.h"

namespace agntctl {
namespace {

namespace fs = std::filesystem;
using agntos::AuditEntry;
using agntos::Errc;
using agntos::Error;

bool is_change(const AuditEntry& entry) {
  using enum agntos::AuditActionType;
  const auto type = entry.action.type;
  return entry.result.status == agntos::AuditStatus::success && entry.commit &&
         (type == apply || type == undo || type == rollback);
}

std::string describe(const AuditEntry& entry) { return entry.id + " (" + entry.summary + ")"; }

std::string day(const AuditEntry& entry) { return entry.timestamp.substr(0, 16); }

// `word` occurs in `text` delimited by characters that cannot continue a Nix identifier.
bool contains_word(const std::string& text, const std::string& word) {
  auto is_ident = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '\''; };
  for (size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
    const bool left = at == 0 || !is_ident(text[at - 1]);
    const size_t end = at + word.size();
    const bool right = end >= text.size() || (!is_ident(text[end]) && text[end] != '.');
    if (left && right) return true;
  }
  return false;
}

}  // namespace

History::History(const agntos::Paths& paths) : m_paths(paths) {
  for (auto& [path, content] : read_module_tree(paths.config_dir)) m_current[path] = std::move(content);
}

const AuditEntry* History::keep(AuditEntry entry) const {
  const std::string id = entry.id;
  return &m_read.try_emplace(id, std::move(entry)).first->second;
}

const AuditEntry* History::change(size_t i) const {
  while (i >= m_changes.size() && !m_all_read) read_older_changes();
  return i < m_changes.size() ? m_changes[i] : nullptr;
}

void History::read_older_changes() const {
  using enum agntos::AuditActionType;
  try {
    auto index = agntos::state_audit_index(m_paths, {m_paths.audit_log()});
    for (auto& entry : index.newest({apply, undo, rollback}, m_page, m_cursor))
      if (is_change(entry)) m_changes.push_back(keep(std::move(entry)));
    m_all_read = m_cursor == 0;
    m_page = std::min<size_t>(m_page * 8, 8192);
    return;
  } catch (const Error&) {
    // The index cannot be used (no state dir, a full disk, a file another user owns): the log
    // itself is read, from after the oldest change already read.
  }
  auto all = agntos::AuditLog(m_paths.audit_log()).read_all();
  std::set<std::string> held;
  for (const AuditEntry* change : m_changes) held.insert(change->id);
  for (auto it = all.rbegin(); it != all.rend(); ++it)
    if (is_change(*it) && !held.count(it->id)) m_changes.push_back(keep(std::move(*it)));
  m_all_read = true;
}

const AuditEntry* History::entry_with_id(const std::string& id) const {
  if (const auto it = m_read.find(id); it != m_read.end()) return &it->second;
  try {
    auto found = agntos::state_audit_index(m_paths, {m_paths.audit_log()}).find(id);
    return found ? keep(std::move(*found)) : nullptr;
  } catch (const Error&) {
  }
  for (auto& entry : agntos::AuditLog(m_paths.audit_log()).read_all())
    if (entry.id == id) return keep(std::move(entry));
  return nullptr;
}

std::vector<const AuditEntry*> History::changes_mentioning(const std::string& words) const {
  using enum agntos::AuditActionType;
  std::vector<const AuditEntry*> changes;
  try {
    if (auto found = agntos::state_audit_index(m_paths, {m_paths.audit_log()}).mentioning(words, {apply, undo, rollback})) {
      for (auto& entry : *found)
        if (is_change(entry)) changes.push_back(keep(std::move(entry)));
      return changes;
    }
  } catch (const Error&) {
  }
  for (size_t i = 0; const AuditEntry* entry = change(i); ++i) changes.push_back(entry);
  return changes;
}

std::vector<std::string> History::files_of(const AuditEntry& entry) const {
  std::vector<std::string> absolute = entry.files_written;
  absolute.insert(absolute.end(), entry.files_deleted.begin(), entry.files_deleted.end());
  if (absolute.empty()) absolute = entry.files_changed;
  std::vector<std::string> relative;
  for (const auto& file : absolute) relative.push_back(fs::path(file).lexically_relative(m_paths.config_dir).string());
  return relative;
}

const std::map<std::string, std::string>& History::tree_at(const std::string& commit) const {
  if (auto it = m_trees.find(commit); it != m_trees.end()) return it->second;
  if (!m_repo) m_repo.emplace(agntos::GitRepo::open_or_init(m_paths.config_dir));
  return m_trees.emplace(commit, m_repo->files_at(commit)).first->second;
}

std::vector<std::string> History::differing_files(const AuditEntry& entry) const {
  std::vector<std::string> differing;
  const auto& tree = tree_at(*entry.commit);
  for (const auto& path : files_of(entry)) {
    const auto then = tree.find(path);
    const auto now = m_current.find(path);
    const bool same = (then == tree.end()) == (now == m_current.end()) &&
                      (then == tree.end() || then->second == *now->second);
    if (!same) differing.push_back(path);
  }
  return differing;
}

const AuditEntry* History::last_toucher(const std::string& path, const std::string& since) const {
  for (size_t i = 0; const AuditEntry* entry = change(i); ++i) {
    if (entry->timestamp < since) break;
    const auto files = files_of(*entry);
    if (std::find(files.begin(), files.end(), path) != files.end()) return entry;
  }
  return nullptr;
}

const AuditEntry* History::writer_of_current(const std::string& path) const {
  const auto now = m_current.find(path);
  for (const AuditEntry* entry : changes_mentioning(path)) {
    const auto files = files_of(*entry);
    if (std::find(files.begin(), files.end(), path) == files.end()) continue;
    const auto& tree = tree_at(*entry->commit);
    const auto then = tree.find(path);
    if ((then == tree.end()) != (now == m_current.end())) continue;
    if (then == tree.end() || then->second == *now->second) return entry;
  }
  return nullptr;
}

std::string History::who_changed(const std::string& path, const std::string& since) const {
  const AuditEntry* toucher = last_toucher(path, since);
  if (toucher && writer_of_current(path) == toucher)
    return std::string(m_current.count(path) ? "changed" : "deleted") + " by " + describe(*toucher);
  return std::string(m_current.count(path) ? "changed" : "deleted") + " by hand";
}

UndoChoice History::undo_target(const std::optional<std::string>& id) const {
  if (id) {
    const AuditEntry* const it = entry_with_id(*id);
    if (!it) throw Error(Errc::not_found, "no audit entry " + *id + "; see 'agntctl audit list'");
    if (!is_change(*it))
      throw Error(Errc::refused, it->id + " is not a successful apply, undo or rollback with a commit; only those can "
                                          "be undone");
    const auto differing = differing_files(*it);
    if (differing.empty()) return UndoChoice{it, "named explicitly and still in effect"};
    std::vector<std::string> later;
    bool undone = false;
    for (const auto& path : differing) {
      const AuditEntry* toucher = last_toucher(path, it->timestamp);
      if (toucher && toucher->id == it->id) toucher = nullptr;
      if (toucher && toucher->undoes == it->id) undone = true;
      later.push_back(path + " " + (toucher && writer_of_current(path) == toucher ? "by " + describe(*toucher)
                                                                                  : std::string("by hand")));
    }
    if (undone)
      throw Error(Errc::refused, it->id + " was already undone and is not in effect (" + agntos::join(later, "; ") +
                                     "); see 'agntctl rollback list'");
    throw Error(Errc::refused, "cannot undo " + it->id + ": it is no longer in effect, later changes touched the same "
                                   "files: " + agntos::join(later, "; ") + "; undo those first");
  }
  const AuditEntry* partial = nullptr;
  for (size_t i = 0; const AuditEntry* entry = change(i); ++i) {
    if (entry->action.type != agntos::AuditActionType::apply) continue;
    const auto differing = differing_files(*entry);
    const auto files = files_of(*entry);
    if (differing.empty()) {
      if (!partial) return UndoChoice{entry, "chosen as the newest change still in effect"};
      throw Error(Errc::ambiguous, "cannot tell which change to undo: the newest, " + describe(*partial) +
                                       ", is only partly in effect (" + agntos::join(differing_files(*partial), ", ") +
                                       " changed since); the newest change fully in effect is " + describe(*entry) +
                                       ". Name one: agntctl rollback undo " + entry->id);
    }
    if (differing.size() < files.size() && !partial) partial = entry;
  }
  if (partial)
    throw Error(Errc::ambiguous, "cannot undo exactly: the newest change, " + describe(*partial) +
                                     ", is only partly in effect (" + agntos::join(differing_files(*partial), ", ") +
                                     " changed since) and no older change is fully in effect; propose the change you "
                                     "want instead");
  throw Error(Errc::not_found, "there is no applied change in effect to undo (see 'agntctl rollback list')");
}

std::vector<FileChange> History::undo_changes(const AuditEntry& entry) const {
  if (!m_repo) m_repo.emplace(agntos::GitRepo::open_or_init(m_paths.config_dir));
  const auto parent = m_repo->parent_of(*entry.commit);
  if (!parent) throw Error(Errc::failed, "commit " + *entry.commit + " of " + entry.id + " has no parent to restore from");
  const auto& before = tree_at(*parent);
  std::vector<FileChange> changes;
  for (const auto& path : files_of(entry)) {
    const auto then = before.find(path);
    FileChange change;
    change.path = path;
    change.content = then == before.end() ? std::nullopt : std::optional<std::string>(then->second);
    change.expected_hash = agntos::current_hash(m_paths.config_dir / path);
    changes.push_back(std::move(change));
  }
  return changes;
}

const AuditEntry* History::entry_for_generation(long long number) const {
  for (size_t i = 0; const AuditEntry* entry = change(i); ++i)
    if (entry->action.type != agntos::AuditActionType::rollback && entry->generation_after == number) return entry;
  return nullptr;
}

std::vector<FileChange> History::changes_to_commit(const std::string& commit) const {
  const auto& target = tree_at(commit);
  std::vector<FileChange> changes;
  for (const auto& [path, content] : target) {
    const auto now = m_current.find(path);
    if (now != m_current.end() && *now->second == content) continue;
    changes.push_back(FileChange{path, content,
                                 now == m_current.end() ? std::nullopt
                                                        : std::optional<std::string>(agntos::git_blob_hash(*now->second))});
  }
  for (const auto& [path, content] : m_current)
    if (!target.count(path)) changes.push_back(FileChange{path, std::nullopt, agntos::git_blob_hash(*content)});
  return changes;
}

WhyAnswer History::why(const std::string& raw) const {
  WhyAnswer answer;
  std::string thing = agntos::trim(raw);
  if (fs::path(thing).is_absolute()) thing = fs::path(thing).lexically_relative(m_paths.config_dir).string();
  answer.thing = thing;
  std::string dashed = thing;
  std::replace(dashed.begin(), dashed.end(), '.', '-');
  // The files that would define it, by AgntOS's own naming, then any module that mentions it.
  std::vector<std::string> named{thing, "packages/" + thing + ".nix", "services/" + thing + ".nix",
                                 "options/" + dashed + ".nix", "home/" + dashed + ".nix"};
  for (const auto& path : named)
    if (m_current.count(path)) {
      answer.file = path;
      break;
    }
  if (!answer.file)
    for (const auto& [path, content] : m_current)
      if (contains_word(*content, "pkgs." + thing) || (thing.find('.') != std::string::npos && contains_word(*content, thing))) {
        answer.file = path;
        break;
      }

  if (answer.file) {
    answer.present = true;
    answer.entry = writer_of_current(*answer.file);
    answer.message = thing + " is in the config tree: " + *answer.file + " defines it";
    if (answer.entry) {
      answer.message += ", written by " + answer.entry->id + " on " + day(*answer.entry) + " (" + answer.entry->summary + ")";
      if (answer.entry->origin.prompt) answer.message += " when you asked: \"" + *answer.entry->origin.prompt + "\"";
      answer.message += ".";
    } else {
      answer.message += "; its current content was not written by AgntOS (edited by hand).";
    }
    return answer;
  }
  for (const AuditEntry* entry : changes_mentioning(thing)) {
    if (answer.removed_by) break;
    const auto files = files_of(*entry);
    const bool names_it = std::find(entry->packages.begin(), entry->packages.end(), thing) != entry->packages.end() ||
                          std::any_of(named.begin(), named.end(), [&](const std::string& path) {
                            return std::find(files.begin(), files.end(), path) != files.end();
                          });
    if (names_it) answer.removed_by = entry;
  }
  const bool removed_by_hand = answer.removed_by && [&] {
    const auto& tree = tree_at(*answer.removed_by->commit);
    return std::any_of(named.begin(), named.end(), [&](const std::string& path) { return tree.count(path) > 0; });
  }();
  if (removed_by_hand) {
    answer.message = thing + " is not in the config tree: " + answer.removed_by->id + " on " + day(*answer.removed_by) +
                     " (" + answer.removed_by->summary + ") added it, and it was removed by hand since.";
    answer.removed_by = nullptr;
  } else if (answer.removed_by) {
    answer.message = thing + " is not in the config tree: it was last changed by " + answer.removed_by->id + " on " +
                     day(*answer.removed_by) + " (" + answer.removed_by->summary + ")" +
                     (answer.removed_by->origin.prompt ? " when you asked: \"" + *answer.removed_by->origin.prompt + "\"" : std::string()) +
                     ", which took it out.";
  } else {
    answer.message = thing + " is not in the config tree, and AgntOS never managed it: no module mentions it and no "
                             "change in the audit log touched it.";
  }
  return answer;
}

}  // namespace agntctl
