// SPDX-License-Identifier: MIT
// agntctl rollback [list | undo [<audit-id>] | generation [<N>]] (SPEC §3.3).
#include <algorithm>
#include <set>

#include "agntctl/commands.h"
#include "agntctl/pipeline/confirm.h"
#include "agntctl/pipeline/progress.h"
#include "agntctl/pipeline/transaction.h"
#include "common/audit.h"
#include "common/error.h"
#include "common/file_lock.h"
#include "common/files.h"
#include "common/git_repo.h"
#include "common/text.h"

namespace agntctl {
namespace {

namespace fs = std::filesystem;
using agntos::AuditEntry;
using agntos::Errc;
using agntos::Error;

bool is_system_change(const AuditEntry& entry) {
  const auto type = entry.action_type();
  return entry.status == "Success" && (type == "Apply" || type == "Undo" || type == "Rollback");
}

std::string relative_to(const fs::path& config_dir, const std::string& absolute) {
  return fs::path(absolute).lexically_relative(config_dir).string();
}

// The successful entry that made generation N (a Rollback only switches to an existing one).
const AuditEntry* entry_for_generation(const std::vector<AuditEntry>& entries, long long number) {
  for (auto it = entries.rbegin(); it != entries.rend(); ++it)
    if (is_system_change(*it) && it->action_type() != "Rollback" && it->generation_after == number) return &*it;
  return nullptr;
}

Output list(const agntos::Paths& paths, Backend& backend) {
  const auto entries = agntos::AuditLog(paths.audit_log()).read_all();
  Output output;
  Json generations = Json::array();
  for (const auto& generation : backend.generations()) {
    const AuditEntry* entry = entry_for_generation(entries, generation.number);
    generations.push_back(Json{{"number", generation.number},
                               {"date", generation.date},
                               {"current", generation.current},
                               {"audit_id", entry ? Json(entry->id) : Json()},
                               {"summary", entry ? Json(entry->summary) : Json()},
                               {"prompt", entry ? agntos::json_or_null(entry->prompt) : Json()},
                               {"commit", entry ? agntos::json_or_null(entry->commit) : Json()}});
    output.text += (generation.current ? "* " : "  ") + std::to_string(generation.number) + "  " + generation.date +
                   "  " + (entry ? entry->id + "  " + entry->summary : std::string("(not made by AgntOS)")) + "\n";
    if (entry && entry->prompt) output.text += "       prompt: \"" + *entry->prompt + "\"\n";
  }
  if (generations.empty()) output.text = "no generations yet (backend " + backend.name() + ")\n";
  output.json = Json{{"backend", backend.name()}, {"generations", generations}};
  return output;
}

TransactionRequest undo_request(const agntos::Paths& paths, const std::vector<AuditEntry>& entries,
                                std::optional<std::string> id) {
  std::set<std::string> undone;
  for (const auto& entry : entries)
    if (entry.undoes && entry.status == "Success") undone.insert(*entry.undoes);
  auto target = entries.end();
  for (auto it = entries.begin(); it != entries.end(); ++it) {
    if (id ? it->id == *id : (is_system_change(*it) && it->action_type() == "Apply" && !undone.count(it->id))) target = it;
  }
  if (target == entries.end())
    throw Error(Errc::not_found, id ? "no audit entry " + *id + "; see 'agntctl audit list'"
                                    : std::string("there is no applied change left to undo"));
  if (!is_system_change(*target) || !target->commit)
    throw Error(Errc::refused, target->id + " is not a successful apply, undo or rollback with a commit; only those can be undone");
  if (undone.count(target->id)) throw Error(Errc::refused, target->id + " was already undone");

  std::vector<std::string> files = target->files_written;
  files.insert(files.end(), target->files_deleted.begin(), target->files_deleted.end());
  if (files.empty()) files = target->files_changed;
  // Later changes to the same files block the undo, unless they were undone themselves
  // (a later change and the undo of it cancel out).
  std::set<std::string> cancelled;
  for (auto it = std::next(target); it != entries.end(); ++it)
    if (it->status == "Success" && it->undoes && undone.count(*it->undoes) && *it->undoes != target->id) {
      cancelled.insert(it->id);
      cancelled.insert(*it->undoes);
    }
  std::vector<std::string> later;
  for (auto it = std::next(target); it != entries.end(); ++it) {
    if (!is_system_change(*it) || cancelled.count(it->id)) continue;
    for (const auto& file : files)
      if (std::find(it->files_changed.begin(), it->files_changed.end(), file) != it->files_changed.end()) {
        later.push_back(it->id + " (" + it->summary + ")");
        break;
      }
  }
  if (!later.empty())
    throw Error(Errc::refused, "cannot undo " + target->id + ": later changes touched the same files: " +
                                   agntos::join(later, ", ") + "; undo those first");

  auto repo = agntos::GitRepo::open_or_init(paths.config_dir);
  const auto parent = repo.parent_of(*target->commit);
  if (!parent) throw Error(Errc::failed, "commit " + *target->commit + " of " + target->id + " has no parent to restore from");
  const auto before = repo.files_at(*parent);

  TransactionRequest request;
  request.kind = "Undo";
  request.summary = "Undo " + target->id + ": " + target->summary;
  request.prompt = target->prompt;
  request.undoes = target->id;
  for (const auto& file : files) {
    const std::string path = relative_to(paths.config_dir, file);
    const auto current = agntos::read_file_if_exists(paths.config_dir / path);
    const auto it = before.find(path);
    FileChange change;
    change.path = path;
    change.content = it == before.end() ? std::nullopt : std::optional<std::string>(it->second);
    change.expected_hash = current ? std::optional<std::string>(agntos::git_blob_hash(*current)) : std::nullopt;
    request.changes.push_back(std::move(change));
  }
  return request;
}

TransactionRequest generation_request(const agntos::Paths& paths, const std::vector<AuditEntry>& entries,
                                      Backend& backend, std::optional<long long> number) {
  const auto generations = backend.generations();
  const auto current = backend.current_generation();
  if (!number) {
    for (const auto& generation : generations)
      if (current && generation.number < *current) number = generation.number;
    if (!number) throw Error(Errc::not_found, "there is no generation before the current one to roll back to");
  }
  if (std::none_of(generations.begin(), generations.end(), [&](const Generation& g) { return g.number == *number; }))
    throw Error(Errc::not_found, "generation " + std::to_string(*number) + " does not exist; see 'agntctl rollback list'");
  if (current == number) throw Error(Errc::refused, "generation " + std::to_string(*number) + " is already the running one");

  TransactionRequest request;
  request.kind = "Rollback";
  request.target_generation = number;
  request.summary = "Rolled back to generation " + std::to_string(*number);
  const AuditEntry* entry = entry_for_generation(entries, *number);
  if (!entry || !entry->commit) {
    std::fprintf(stderr, "warning: no AgntOS commit is recorded for generation %lld; the config tree is left as it is "
                         "and 'agntctl doctor' will report the drift\n", *number);
    return request;
  }
  request.summary += " (" + entry->summary + ")";
  auto repo = agntos::GitRepo::open_or_init(paths.config_dir);
  const auto target_files = repo.files_at(*entry->commit);
  const auto current_files = read_module_tree(paths.config_dir);
  for (const auto& [path, content] : target_files) {
    const auto it = current_files.find(path);
    if (it != current_files.end() && it->second == content) continue;
    request.changes.push_back(FileChange{path, content,
                                         it == current_files.end() ? std::nullopt
                                                                   : std::optional<std::string>(agntos::git_blob_hash(it->second))});
  }
  for (const auto& [path, content] : current_files)
    if (!target_files.count(path)) request.changes.push_back(FileChange{path, std::nullopt, agntos::git_blob_hash(content)});
  return request;
}

}  // namespace

Output run_rollback(Invocation& inv) {
  CLI::App app{"Undo changes.\n"
               "  rollback list               generations with the audit entries and prompts that made them\n"
               "  rollback undo [<audit-id>]  restore exactly the files an apply changed (default: the last)\n"
               "  rollback generation [<N>]   switch the whole system to generation N (default: the previous)\n"
               "                              and restore the config tree recorded for it"};
  std::string action = "list";
  std::optional<std::string> target;
  bool yes = false;
  std::optional<std::string> approved_by;
  app.add_option("action", action, "list | undo | generation")->check(CLI::IsMember({"list", "undo", "generation"}));
  app.add_option("target", target, "audit id for undo, generation number for generation");
  app.add_flag("--yes,-y", yes, "do not ask: the change was reviewed");
  app.add_option("--approved-by", approved_by, "who approved, recorded in the audit entry (with --yes)");
  inv.parse(app);

  const auto& paths = inv.paths();
  const auto settings = agntos::Settings::load(paths);
  auto backend = make_backend(paths, settings);
  if (action == "list") {
    if (target) throw Error(Errc::usage, "rollback list takes no argument");
    return list(paths, *backend);
  }

  require_config_dir(paths);
  agntos::FileLock lock(paths.config_lock(), agntos::default_lock_timeout(), "config dir " + paths.config_dir.string());
  lock.share_with_children();
  const auto entries = agntos::AuditLog(paths.audit_log()).read_all();
  TransactionRequest request;
  if (action == "undo") {
    request = undo_request(paths, entries, target);
  } else {
    std::optional<long long> number;
    if (target) {
      try {
        number = std::stoll(*target);
      } catch (const std::exception&) {
        throw Error(Errc::usage, "'" + *target + "' is not a generation number");
      }
    }
    request = generation_request(paths, entries, *backend, number);
  }
  const std::string details = diff_changes(paths.config_dir, request.changes);
  request.approved_by = obtain_confirmation(yes, approved_by, request.summary + "?", details);
  std::fprintf(stderr, "%s...\n", request.summary.c_str());
  const auto entry = run_transaction(paths, *backend, request, stderr_progress());

  Output output;
  output.json = entry.to_json();
  output.text = describe_result(entry);
  return output;
}

}  // namespace agntctl
