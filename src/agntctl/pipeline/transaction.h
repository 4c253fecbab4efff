// SPDX-License-Identifier: MIT
#pragma once
// The apply transaction (SPEC §3.2), shared by apply, rollback undo and rollback generation.
//
// The caller holds the config-dir lock and has checked staleness and confirmation. Then:
//   1. the journal (.agntos-journal.json: what will change and the exact previous bytes of
//      every touched file) is written and fsynced;
//   2. files are written atomically / deleted;
//   3. the backend rebuilds (or switches to the target generation), streaming progress;
//   4a. on failure every file is restored byte-exactly, the previous generation is made the
//       running one again, a Failed audit entry is appended, the journal removed, and the
//       error rethrown;
//   4b. on success the journal is marked "activated", the module tree is committed to git
//       (summary, prompt, audit id), the audit entry appended, the proposal and journal removed.
// A request with `confirm` (confirm_timer.h) must be confirmed: between steps 1 and 2 the
// pending-confirmation record is written ("activating") and the watchdog armed (watchdog.h);
// after activation and before the journal goes, the record becomes "waiting" with its deadline
// counted from the activation. A failure removes the record before the journal. While a record
// exists every other transaction is refused (Errc::conflict); an AutoRevert removes it last.
// A crash at any point leaves a journal behind; recover_interrupted_transaction (run by every
// mutating agntctl command before it starts) reverts a transaction that had not activated and
// finishes one that had, and audits what it did with a Recover entry; then it settles a
// pending confirmation (watchdog.h: past its deadline, the change is reverted).

#include <optional>
#include <string>
#include <vector>

#include "agntctl/approval.h"
#include "agntctl/pipeline/backend.h"
#include "agntctl/pipeline/change_set.h"
#include "common/audit.h"
#include "common/paths.h"

namespace agntctl {

struct TransactionRequest {
  agntos::AuditActionType kind = agntos::AuditActionType::apply;  // apply | undo | rollback | auto_revert
  std::string summary;
  agntos::ChangeOrigin origin;  // origin.proposal_id: the proposal applied (removed on success)
  std::optional<std::string> undoes;
  std::string approved_by;  // set by run_transaction from its Approval (kept for recovery)
  std::vector<std::string> packages;
  std::vector<FileChange> changes;
  std::optional<long long> target_generation;  // Rollback: switch to it instead of rebuilding
  std::optional<std::string> store_path;       // the system built for the plan: activated as is
  agntos::Json confirm = nullptr;              // ConfirmGate::to_json(): the change must be confirmed
  std::optional<std::string> reason;           // AutoRevert: why (in the audit entry)

  agntos::Json to_json() const;
  // Throws Error(Errc::unknown_value) for a kind outside the audit action types.
  static TransactionRequest from_json(const agntos::Json& value);
};

// Runs the transaction; returns the Success audit entry, or throws after the rollback of a
// failure (with the Failed entry already appended).
// `approval` is the human's yes to exactly this request (approval.h).
agntos::AuditEntry run_transaction(const agntos::Paths& paths, Backend& backend, const TransactionRequest& request,
                                   const Approval& approval, const ProgressSink& progress);

// The human summary of a finished transaction: summary, audit id, generations, commit.
std::string describe_result(const agntos::AuditEntry& entry);

// Refuses (Errc::not_found) when the config dir does not exist, saying how to point at one.
void require_config_dir(const agntos::Paths& paths);

// Finishes or reverts a transaction a crash interrupted, then settles a pending confirmation.
// No-op without a journal and a pending confirmation. Takes the lock.
void recover_interrupted_transaction(const agntos::Paths& paths);
// The same for a caller that holds the config-dir lock already (the confirm watchdog).
void recover_with_lock_held(const agntos::Paths& paths);

// Throws Error(Errc::conflict) while a change waits for `agntctl confirm`, naming it, the time
// left and what to do.
void refuse_while_confirmation_pending(const agntos::Paths& paths);


}  // namespace agntctl
