// SPDX-License-Identifier: MIT
#include "agntctl/pipeline/history.h"

#include <algorithm>
#include <regex>

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

History::History(const agntos::Paths& paths)
    : m_paths(paths), m_entries(agntos::AuditLog(paths.audit_log()).read_all()) {
  for (auto& [path, content] : read_module_tree(paths.config_dir)) m_current[path] = std::move(content);
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
  for (auto it = m_entries.rbegin(); it != m_entries.rend() && it->timestamp >= since; ++it) {
    if (!is_change(*it)) continue;
    const auto files = files_of(*it);
    if (std::find(files.begin(), files.end(), path) != files.end()) return &*it;
  }
  return nullptr;
}

const AuditEntry* History::writer_of_current(const std::string& path) const {
  const auto now = m_current.find(path);
  for (auto it = m_entries.rbegin(); it != m_entries.rend(); ++it) {
    if (!is_change(*it)) continue;
    const auto files = files_of(*it);
    if (std::find(files.begin(), files.end(), path) == files.end()) continue;
    const auto& tree = tree_at(*it->commit);
    const auto then = tree.find(path);
    if ((then == tree.end()) != (now == m_current.end())) continue;
    if (then == tree.end() || then->second == *now->second) return &*it;
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
    const auto it = std::find_if(m_entries.begin(), m_entries.end(), [&](const AuditEntry& e) { return e.id == *id; });
    if (it == m_entries.end()) throw Error(Errc::not_found, "no audit entry " + *id + "; see 'agntctl audit list'");
    if (!is_change(*it))
      throw Error(Errc::refused, it->id + " is not a successful apply, undo or rollback with a commit; only those can "
                                          "be undone");
    const auto differing = differing_files(*it);
    if (differing.empty()) return UndoChoice{&*it, "named explicitly and still in effect"};
    std::vector<std::string> later;
    bool undone = false;
    for (const auto& path : differing) {
      const AuditEntry* toucher = last_toucher(path, it->timestamp);
      if (toucher == &*it) toucher = nullptr;
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
  for (auto it = m_entries.rbegin(); it != m_entries.rend(); ++it) {
    if (!is_change(*it) || it->action.type != agntos::AuditActionType::apply) continue;
    const auto differing = differing_files(*it);
    const auto files = files_of(*it);
    if (differing.empty()) {
      if (!partial) return UndoChoice{&*it, "chosen as the newest change still in effect"};
      throw Error(Errc::ambiguous, "cannot tell which change to undo: the newest, " + describe(*partial) +
                                       ", is only partly in effect (" + agntos::join(differing_files(*partial), ", ") +
                                       " changed since); the newest change fully in effect is " + describe(*it) +
                                       ". Name one: agntctl rollback undo " + it->id);
    }
    if (differing.size() < files.size() && !partial) partial = &*it;
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
  for (auto it = m_entries.rbegin(); it != m_entries.rend(); ++it)
    if (is_change(*it) && it->action.type != agntos::AuditActionType::rollback && it->generation_after == number) return &*it;
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
  for (auto it = m_entries.rbegin(); it != m_entries.rend() && !answer.removed_by; ++it) {
    if (!is_change(*it)) continue;
    const auto files = files_of(*it);
    const bool names_it = std::find(it->packages.begin(), it->packages.end(), thing) != it->packages.end() ||
                          std::any_of(named.begin(), named.end(), [&](const std::string& path) {
                            return std::find(files.begin(), files.end(), path) != files.end();
                          });
    if (names_it) answer.removed_by = &*it;
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
