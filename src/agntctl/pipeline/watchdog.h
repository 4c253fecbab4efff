// SPDX-License-Identifier: MIT
#pragma once
// The watchdog of confirm or revert: whoever acts on a pending confirmation (confirm_timer.h)
// when nobody confirmed it in time.
//
// It is armed before the activation (run_transaction), so no kill of agntctl, agntd or agnt
// after that point leaves an unconfirmed change without one:
//   profile  a detached process in its own session (fork, setsid, fork again, every inherited
//            file descriptor closed, stdio on /dev/null) running `agntctl confirm --watch <id>`;
//            it holds <config>/.agntos-confirm-watch.lock (and writes its pid there) for as long
//            as it lives, which is how the next agntctl run sees that it was killed and starts
//            another.
//   nixos    a transient systemd timer, `systemd-run --on-active=<timeout>s ... agntctl confirm
//            --watch <id>`, which lives in systemd, not under agntd's or the user's processes.
//            Not run on this machine (not NixOS).
// The watcher sleeps until the deadline (re-read from the record, which the transaction moves
// once the activation is done), then takes the config-dir lock and settles the record like
// every mutating agntctl run does: an interrupted transaction first (journal rules of
// transaction.h), then, past the deadline, the automatic revert.

#include <filesystem>
#include <string>
#include <vector>

#include "agntctl/pipeline/backend.h"
#include "agntctl/pipeline/confirm_timer.h"
#include "common/audit.h"
#include "common/paths.h"

namespace agntctl {

// Arms the watchdog for `record` (already saved) and records which kind it is in
// record.watchdog (the caller saves it). Throws Error(Errc::failed) when it cannot be armed.
void arm_watchdog(const agntos::Paths& paths, PendingConfirmation& record);

// Stops a systemd timer that is no longer needed (best effort; a detached watcher ends by
// itself when it finds the record gone).
void disarm_watchdog(const PendingConfirmation& record);

// The systemd-run command line of the nixos backend's timer.
std::vector<std::string> systemd_timer_argv(const std::filesystem::path& agntctl, const agntos::Paths& paths,
                                            const std::string& audit_id, long delay_s);

// The lock a living detached watcher holds; true when one holds it.
std::filesystem::path watchdog_lock_file(const agntos::Paths& paths);
bool watchdog_alive(const agntos::Paths& paths);

// With the config-dir lock held and no journal left: acts on the pending confirmation, if any.
// Past the deadline it reverts (auto_revert); a failed revert is kept in the record
// (revert_error) and retried by the next run. Before it, it starts a detached watcher again
// when the one armed for it is gone. An "activating" record with no journal belongs to a
// transaction that never activated and is removed.
void settle_pending_confirmation(const agntos::Paths& paths);

// The automatic revert of `record` as a transaction of kind AutoRevert (journal, files
// restored byte-exactly, the previous generation switched back, git commit, AutoRevert audit
// entry with `reason`); the record is removed when it is done.
agntos::AuditEntry auto_revert(const agntos::Paths& paths, Backend& backend, const PendingConfirmation& record,
                               const std::string& reason);

// `agntctl confirm --watch <id>`: waits for the deadline of the record of `audit_id` and
// settles it; returns when the record is gone or belongs to another transaction.
void watch_pending_confirmation(const agntos::Paths& paths, const std::string& audit_id);

}  // namespace agntctl
