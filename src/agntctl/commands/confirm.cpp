// SPDX-License-Identifier: MIT
// agntctl confirm [<audit-id>]: keep a change that a confirm-or-revert timer would revert
// (docs/pipeline.md "Confirm or revert"). `confirm --watch <id>` is the watchdog itself.
#include <unistd.h>

#include <algorithm>

#include "agntctl/commands.h"
#include "agntctl/pipeline/confirm_timer.h"
#include "agntctl/pipeline/transaction.h"
#include "agntctl/pipeline/watchdog.h"
#include "common/audit.h"
#include "common/error.h"
#include "common/file_lock.h"

namespace agntctl {
namespace {

using agntos::AuditEntry;
using agntos::Errc;
using agntos::Error;

// What became of a change that is no longer waiting, from the audit log.
std::string fate_of(const agntos::Paths& paths, const std::optional<std::string>& id) {
  const auto entries = agntos::AuditLog(paths.audit_log()).read_all();
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    const auto type = it->action.type;
    if (type == agntos::AuditActionType::auto_revert && (!id || it->undoes == id))
      return "; " + it->undoes.value_or("?") + " was reverted by the timer (audit " + it->id + ", " +
             it->timestamp.substr(0, 19) + ")";
    if (type == agntos::AuditActionType::confirm && id && it->action.confirms == id)
      return "; " + *id + " was confirmed already (audit " + it->id + ")";
  }
  return "";
}

}  // namespace

Output run_confirm(Invocation& inv) {
  CLI::App app{"Keep a change that is waiting for confirmation. A change that touches remote access or the\n"
               "network ([rebuild] confirm_classes), or any change when [rebuild] confirm_timeout is set,\n"
               "is reverted by a watchdog (files, previous generation, commit, AutoRevert audit entry)\n"
               "unless this runs within the timeout after its activation."};
  std::optional<std::string> id;
  std::optional<std::string> watch;
  app.add_option("id", id, "the audit id of the change (default: the one waiting)");
  app.add_option("--watch", watch, "")->group("");  // the watchdog: wait for the deadline of <id>, then settle it
  inv.parse(app);

  const auto& paths = inv.paths();
  if (watch) {
    watch_pending_confirmation(paths, *watch);
    return Output{Json{{"watched", *watch}}, ""};
  }
  require_config_dir(paths);
  // Past its deadline the change is reverted here, before anything is confirmed.
  recover_interrupted_transaction(paths);
  auto lock = agntos::lock_config_dir(paths);
  const auto record = PendingConfirmation::load(paths);
  if (!record) throw Error(Errc::not_found, "no change is waiting for confirmation" + fate_of(paths, id));
  if (id && *id != record->audit_id)
    throw Error(Errc::not_found, *id + " is not waiting for confirmation (" + record->audit_id + " is)" + fate_of(paths, id));
  const long long left_ms = record->deadline_ms - unix_ms_now();
  if (left_ms <= 0 && !record->revert_error)
    throw Error(Errc::refused, "too late: the timeout of " + record->audit_id + " ended at " + record->deadline_iso() +
                                   "; the watchdog is reverting it");

  // The record goes first: from then on nothing reverts the change, whatever happens next.
  PendingConfirmation::remove(paths);
  disarm_watchdog(*record);
  auto entry = AuditEntry::make(agntos::AuditActionType::confirm, "Confirmed " + record->audit_id + ": " + record->summary);
  entry.action.confirms = record->audit_id;
  entry.approved_by = ::isatty(STDIN_FILENO) ? "tty" : "agntctl confirm";
  entry.result.message = record->revert_error ? "confirmed after the automatic revert failed: " + *record->revert_error
                                       : std::to_string(std::max(0LL, left_ms / 1000)) + " s before the deadline";
  agntos::AuditLog(paths.audit_log()).append(entry);

  Output output;
  output.json = entry.to_json();
  output.text = "Confirmed " + record->audit_id + " (" + record->summary + "): the change stays.\n  audit " + entry.id;
  return output;
}

}  // namespace agntctl
