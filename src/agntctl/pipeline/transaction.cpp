// SPDX-License-Identifier: MIT
#include "agntctl/pipeline/transaction.h"

#include <algorithm>
#include <set>

#include "agntctl/pipeline/confirm_timer.h"
#include "agntctl/pipeline/journal.h"
#include "agntctl/pipeline/watchdog.h"
#include "common/proposal.h"
#include "common/error.h"
#include "common/file_lock.h"
#include "common/files.h"
#include "common/git_repo.h"
#include "common/ids.h"
#include "common/text.h"

namespace agntctl {
namespace {

namespace fs = std::filesystem;
using agntos::AuditEntry;
using agntos::AuditLog;
using agntos::Errc;
using agntos::Error;
using agntos::Json;

void write_change(const fs::path& config_dir, const std::string& path, const std::optional<std::string>& content) {
  if (content) agntos::write_file_atomic(config_dir / path, *content, 0644, agntos::MakeParents::yes);
  else agntos::remove_file_durably(config_dir / path);
}

// Puts every touched file back exactly as it was, and the previous generation back in place.
void revert(const agntos::Paths& paths, Backend& backend, const Journal& journal, const ProgressSink& progress) {
  for (const auto& [path, content] : journal.before) write_change(paths.config_dir, path, content);
  const auto current = backend.current_generation();
  if (journal.generation_before && current != journal.generation_before) {
    progress("switching back to generation " + std::to_string(*journal.generation_before) + "\n");
    backend.switch_to_generation(*journal.generation_before, progress);
  } else if (!journal.generation_before && current) {
    // The interrupted change was the first activation: there is nothing to switch back to.
    backend.remove_all_generations(progress);
  }
}

AuditEntry entry_for(const agntos::Paths& paths, const Journal& journal) {
  const auto& request = journal.request;
  AuditEntry entry;
  entry.id = journal.audit_id;
  entry.timestamp = agntos::iso8601_now();
  entry.action.type = request.kind;
  entry.action.generation = request.target_generation;
  entry.action.store_path = journal.activated;
  entry.action.mode = journal.mode;
  if (request.confirm.is_object()) {
    const auto gate = ConfirmGate::from_json(request.confirm);
    const long long deadline = journal.activated_at_ms.value_or(unix_ms_now()) + gate.timeout_s * 1000;
    entry.action.confirm = Json{{"timeout_s", gate.timeout_s},
                                {"deadline", iso_of_unix_ms(deadline)},
                                {"classes", gate.classes},
                                {"because", gate.because}};
  }
  if (request.kind == agntos::AuditActionType::auto_revert) {
    entry.action.reverts = request.undoes;
    entry.action.reason = request.reason;
    entry.result.message = request.reason;
  }
  entry.actor = "user";
  entry.approved_by = request.approved_by;
  entry.summary = request.summary;
  entry.origin = request.origin;
  entry.files_changed = absolute_paths(paths.config_dir, request.changes);
  entry.files_written = absolute_paths(paths.config_dir, request.changes, "write");
  entry.files_deleted = absolute_paths(paths.config_dir, request.changes, "delete");
  entry.packages = request.packages;
  entry.generation_before = journal.generation_before;
  entry.generation_after = journal.generation_after;
  entry.undoes = request.undoes;
  entry.rollback_hint = "agntctl rollback undo " + journal.audit_id;
  return entry;
}

std::string commit_message(const Journal& journal) {
  std::string message = journal.request.summary + "\n\n";
  const auto& origin = journal.request.origin;
  if (origin.prompt) message += "Prompt: " + *origin.prompt + "\n";
  if (origin.rationale) message += "Rationale: " + *origin.rationale + "\n";
  message += "Audit: " + journal.audit_id + "\n";
  return message;
}

bool audit_has(const agntos::Paths& paths, const std::string& id) {
  for (const auto& entry : AuditLog(paths.audit_log()).read_all())
    if (entry.id == id) return true;
  return false;
}

// Appends `entry` to the config dir's audit log; when that fails (a full disk), keeps it in the
// state dir's deferred log, which the next mutating run moves over (flush_deferred_audit).
void append_or_defer(const agntos::Paths& paths, const AuditEntry& entry) {
  try {
    AuditLog(paths.audit_log()).append(entry);
  } catch (const Error& first) {
    try {
      agntos::make_directories(paths.state_dir, 0700);
      AuditLog(paths.deferred_audit_log()).append(entry);
      std::fprintf(stderr, "agntctl: could not write the audit log (%s); entry %s is kept in %s until there is room\n",
                   first.what(), entry.id.c_str(), paths.deferred_audit_log().c_str());
    } catch (const Error&) {
      std::fprintf(stderr, "agntctl: could not write audit entry %s anywhere (%s): %s\n", entry.id.c_str(), first.what(),
                   entry.to_json().dump(-1, ' ', false, Json::error_handler_t::replace).c_str());
    }
  }
}

void flush_deferred_audit(const agntos::Paths& paths) {
  std::error_code ec;
  if (!fs::exists(paths.deferred_audit_log(), ec)) return;
  const AuditLog target(paths.audit_log());
  std::set<std::string> present;
  for (const auto& entry : target.read_all()) present.insert(entry.id);
  for (const auto& entry : AuditLog(paths.deferred_audit_log()).read_all())
    if (!present.count(entry.id)) target.append(entry);
  agntos::remove_file_durably(paths.deferred_audit_log());
}

// The record a confirmed-or-reverted transaction leaves while it waits (confirm_timer.h).
PendingConfirmation pending_for(const Journal& journal, agntos::RebuildBackend backend) {
  PendingConfirmation record;
  record.audit_id = journal.audit_id;
  record.phase = ConfirmPhase::activating;
  record.gate = ConfirmGate::from_json(journal.request.confirm);
  // Only a wake-up time until the activation is done: then it counts from the activation.
  record.deadline_ms = unix_ms_now() + record.gate.timeout_s * 1000;
  record.summary = journal.request.summary;
  record.backend = backend;
  record.watchdog = backend == agntos::RebuildBackend::nixos ? WatchdogKind::systemd : WatchdogKind::detached;
  record.generation_before = journal.generation_before;
  record.before = journal.before;
  return record;
}

// After the activation: the deadline counts from it. Idempotent (a resumed finish).
void start_confirm_clock(const agntos::Paths& paths, const Journal& journal) {
  auto record = PendingConfirmation::load(paths);
  if (!record || record->audit_id != journal.audit_id)
    record = pending_for(journal, agntos::Settings::load(paths).rebuild.backend);  // lost: written anew
  if (record->phase == ConfirmPhase::waiting) return;
  record->phase = ConfirmPhase::waiting;
  record->deadline_ms = journal.activated_at_ms.value_or(unix_ms_now()) + record->gate.timeout_s * 1000;
  record->save(paths);
}

void remove_pending_of(const agntos::Paths& paths, const std::optional<std::string>& audit_id) {
  if (!audit_id) return;
  const auto record = PendingConfirmation::load(paths);
  if (record && record->audit_id == *audit_id) PendingConfirmation::remove(paths);
}

enum class Resuming { no, yes };

// The steps after activation. When resuming after a crash, each step already done is skipped;
// a live transaction cannot have done any, so it does not read the (possibly huge) audit log.
AuditEntry finish(const agntos::Paths& paths, const Journal& journal, Resuming resuming) {
  if (journal.request.confirm.is_object()) start_confirm_clock(paths, journal);
  auto repo = agntos::GitRepo::open_or_init(paths.config_dir);
  auto entry = entry_for(paths, journal);
  const auto log = repo.log(1);
  if (!log.empty() && log.front().message.find("Audit: " + journal.audit_id) != std::string::npos) {
    entry.commit = log.front().id;
  } else {
    entry.commit = repo.commit_module_tree(commit_message(journal));
  }
  if (resuming == Resuming::no || !audit_has(paths, journal.audit_id)) append_or_defer(paths, entry);
  // Last, so that a crash before it reverts again rather than leave the change unconfirmed.
  if (journal.request.kind == agntos::AuditActionType::auto_revert) remove_pending_of(paths, journal.request.undoes);
  if (journal.request.origin.proposal_id) Proposal::remove(paths, *journal.request.origin.proposal_id);
  agntos::remove_file_durably(paths.journal());
  return entry;
}

}  // namespace

Json TransactionRequest::to_json() const {
  Json change_list = Json::array();
  for (const auto& change : changes) change_list.push_back(change.to_json());
  Json request{{"kind", agntos::to_string(kind)}, {"summary", summary}};
  origin.append_to(request);
  request["undoes"] = agntos::json_or_null(undoes);
  request["approved_by"] = approved_by;
  request["packages"] = packages;
  request["changes"] = change_list;
  request["target_generation"] = agntos::json_or_null(target_generation);
  request["store_path"] = agntos::json_or_null(store_path);
  request["confirm"] = confirm;
  request["reason"] = agntos::json_or_null(reason);
  return request;
}

TransactionRequest TransactionRequest::from_json(const Json& value) {
  TransactionRequest request;
  request.kind = agntos::parse_enum<agntos::AuditActionType>(agntos::json_string(value, "kind").value_or("Apply"));
  request.summary = agntos::json_string(value, "summary").value_or("");
  request.origin = agntos::ChangeOrigin::from_json(value);
  request.undoes = agntos::json_string(value, "undoes");
  request.approved_by = agntos::json_string(value, "approved_by").value_or("");
  request.target_generation = agntos::json_int(value, "target_generation");
  request.store_path = agntos::json_string(value, "store_path");
  if (auto it = value.find("confirm"); it != value.end() && it->is_object()) request.confirm = *it;
  request.reason = agntos::json_string(value, "reason");
  if (auto it = value.find("packages"); it != value.end() && it->is_array())
    request.packages = it->get<std::vector<std::string>>();
  if (auto it = value.find("changes"); it != value.end() && it->is_array())
    for (const auto& change : *it) request.changes.push_back(FileChange::from_json(change));
  return request;
}

AuditEntry run_transaction(const agntos::Paths& paths, Backend& backend, const TransactionRequest& request,
                           const Approval& approval, const ProgressSink& progress) {
  if (request.kind != agntos::AuditActionType::auto_revert) refuse_while_confirmation_pending(paths);
  auto repo = agntos::GitRepo::open_or_init(paths.config_dir);
  // Hand edits since the last transaction get their own commit, so history stays exact.
  if (repo.module_tree_dirty()) repo.commit_module_tree("Record module files changed outside AgntOS\n");

  Journal journal;
  journal.audit_id = agntos::make_id("a");
  journal.phase = JournalPhase::writing;
  journal.request = request;
  journal.request.approved_by = approval.by();
  journal.generation_before = backend.current_generation();
  for (const auto& change : request.changes)
    journal.before[change.path] = agntos::read_file_if_exists(paths.config_dir / change.path);
  try {
    journal.save(paths);
  } catch (const Error& failure) {
    // Nothing has changed yet; say so in the log (or in the deferred log if the disk is full).
    auto entry = entry_for(paths, journal);
    entry.result.status = agntos::AuditStatus::failed;
    entry.result.error = std::string("could not start: ") + failure.what();
    entry.generation_after = journal.generation_before;
    entry.rollback_hint = std::nullopt;
    append_or_defer(paths, entry);
    throw Error(failure.code(), std::string(failure.what()) + "\nNothing was changed; audit entry " + entry.id +
                                    " records the failure");
  }

  bool armed = false;
  try {
    if (request.confirm.is_object()) {
      // Armed before anything changes: no kill after this point leaves the change unwatched.
      auto record = pending_for(journal, backend.kind());
      record.save(paths);
      armed = true;
      arm_watchdog(paths, record);
      progress("a " + std::to_string(record.gate.timeout_s) + " s confirm-or-revert timer is armed (" +
               std::string(agntos::to_string(record.watchdog)) +
               " watchdog)\n");
    }
    for (const auto& change : request.changes) write_change(paths.config_dir, change.path, change.content);
    if (request.target_generation) backend.switch_to_generation(*request.target_generation, progress);
    else if (request.kind == agntos::AuditActionType::auto_revert) backend.remove_all_generations(progress);  // it undoes the first activation
    else if (request.store_path) backend.activate(*request.store_path, progress);  // exactly what was approved
    else backend.rebuild(paths.config_dir, progress);
  } catch (const Error& failure) {
    progress("rebuild failed; restoring the previous files\n");
    revert(paths, backend, journal, progress);
    if (armed) remove_pending_of(paths, journal.audit_id);
    auto entry = entry_for(paths, journal);
    entry.result.status = agntos::AuditStatus::failed;
    entry.result.error = failure.what();
    entry.generation_after = backend.current_generation();
    entry.rollback_hint = std::nullopt;
    append_or_defer(paths, entry);
    agntos::remove_file_durably(paths.journal());
    throw Error(failure.code(), std::string(failure.what()) + "\nEvery file was restored; audit entry " + entry.id +
                                    " records the failure" +
                                    (request.origin.proposal_id ? "; the proposal " + *request.origin.proposal_id + " is kept" : ""));
  }
  journal.generation_after = backend.current_generation();
  journal.activated = backend.running_system();
  journal.mode = backend.activation_mode();
  journal.activated_at_ms = unix_ms_now();
  journal.phase = JournalPhase::activated;
  journal.save(paths);
  return finish(paths, journal, Resuming::no);
}

std::string describe_result(const AuditEntry& entry) {
  auto generation = [](const std::optional<long long>& g) { return g ? std::to_string(*g) : std::string("none"); };
  std::string text = entry.summary + "\n  audit " + entry.id + " · generation " + generation(entry.generation_before) +
                     " -> " + generation(entry.generation_after) + " · commit " + entry.commit.value_or("").substr(0, 12);
  if (entry.action.mode == agntos::ActivationMode::boot)
    text += "\n  installed with 'boot' (kernel, initrd, systemd or dbus changed): reboot to use it";
  if (const Json& confirm = entry.action.confirm; confirm.is_object())
    text += "\n  confirm within " + std::to_string(confirm["timeout_s"].get<long>()) + " s with: agntctl confirm " + entry.id +
            "\n  (otherwise it is reverted at " + confirm["deadline"].get<std::string>() + ")";
  return text;
}

void require_config_dir(const agntos::Paths& paths) {
  std::error_code ec;
  if (!fs::is_directory(paths.config_dir, ec))
    throw Error(Errc::not_found, "config dir " + paths.config_dir.string() +
                                     " does not exist; create it as root (mkdir -p " + paths.config_dir.string() +
                                     ") or point AGNTOS_CONFIG_DIR or --config-dir at one");
}

void refuse_while_confirmation_pending(const agntos::Paths& paths) {
  const auto record = PendingConfirmation::load(paths);
  if (!record) return;
  const long long left = std::max(0LL, (record->deadline_ms - unix_ms_now() + 999) / 1000);
  throw Error(Errc::conflict, record->audit_id + " (" + record->summary + ") is waiting for confirmation (" +
                                  std::to_string(left) + " s left): run 'agntctl confirm' to keep it, or let it be "
                                  "reverted, then try again");
}

void recover_interrupted_transaction(const agntos::Paths& paths) {
  std::error_code ec;
  if (!fs::exists(paths.journal(), ec) && !fs::exists(pending_confirmation_file(paths), ec)) {
    if (fs::exists(paths.deferred_audit_log(), ec)) {
      auto lock = agntos::lock_config_dir(paths);
      flush_deferred_audit(paths);
    }
    return;
  }
  auto lock = agntos::lock_config_dir(paths);
  lock.share_with_children();
  recover_with_lock_held(paths);
}

namespace {

void recover_journal(const agntos::Paths& paths) {
  const auto text = agntos::read_file_if_exists(paths.journal());
  if (!text) {  // none, or another process recovered it while we waited
    std::error_code ec;
    if (fs::exists(paths.deferred_audit_log(), ec)) flush_deferred_audit(paths);
    return;
  }
  Journal journal;
  try {
    journal = Journal::from_json(Json::parse(*text));
  } catch (const std::exception& e) {
    // The journal is written atomically, so this is damage from outside; keep it for a human.
    throw Error(Errc::failed, "the transaction journal " + paths.journal().string() + " is unreadable (" + e.what() +
                                  "); move it away after checking the config dir by hand");
  }
  const auto settings = agntos::Settings::load(paths);
  auto backend = make_backend(paths, settings);
  std::string log;
  auto progress = [&](std::string_view chunk) { log += chunk; };

  auto recovery = AuditEntry::make(agntos::AuditActionType::recover, "");
  recovery.action.interrupted = journal.audit_id;
  recovery.files_changed = absolute_paths(paths.config_dir, journal.request.changes);
  const std::string kind(agntos::to_string(journal.request.kind));
  if (journal.phase == JournalPhase::activated) {
    const auto finished = finish(paths, journal, Resuming::yes);
    recovery.summary = "Finished interrupted " + kind + ": " + journal.request.summary;
    recovery.commit = finished.commit;
    recovery.generation_after = journal.generation_after;
  } else {
    revert(paths, *backend, journal, progress);
    recovery.summary = "Reverted interrupted " + kind + ": " + journal.request.summary;
    recovery.generation_after = backend->current_generation();
    remove_pending_of(paths, journal.audit_id);  // it never activated: nothing to confirm
    agntos::remove_file_durably(paths.journal());
  }
  recovery.generation_before = journal.generation_before;
  recovery.origin.prompt = journal.request.origin.prompt;
  flush_deferred_audit(paths);
  append_or_defer(paths, recovery);
  std::fprintf(stderr, "agntctl: %s (audit %s)\n", recovery.summary.c_str(), recovery.id.c_str());
}

}  // namespace

void recover_with_lock_held(const agntos::Paths& paths) {
  // A transaction killed inside its git commit left git's lock files; no writer is alive.
  agntos::remove_stale_git_locks(paths.config_dir);
  recover_journal(paths);
  settle_pending_confirmation(paths);
}

}  // namespace agntctl
