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
// A crash at any point leaves a journal behind; recover_interrupted_transaction (run by every
// mutating agntctl command before it starts) reverts a transaction that had not activated and
// finishes one that had, and audits what it did with a Recover entry.

#include <optional>
#include <string>
#include <vector>

#include "agntctl/pipeline/backend.h"
#include "agntctl/pipeline/change_set.h"
#include "common/audit.h"
#include "common/paths.h"

namespace agntctl {

struct TransactionRequest {
  std::string kind;  // "Apply" | "Undo" | "Rollback"
  std::string summary;
  std::optional<std::string> prompt;
  std::optional<std::string> rationale;
  std::optional<std::string> proposal_id;
  std::optional<std::string> undoes;
  std::optional<std::string> session_id;
  std::optional<std::string> model;
  std::string approved_by;
  std::vector<std::string> packages;
  std::vector<FileChange> changes;
  std::optional<long long> target_generation;  // Rollback: switch to it instead of rebuilding
  std::optional<std::string> store_path;       // the system built for the plan: activated as is

  agntos::Json to_json() const;
  static TransactionRequest from_json(const agntos::Json& value);
};

// Runs the transaction; returns the Success audit entry, or throws after the rollback of a
// failure (with the Failed entry already appended).
agntos::AuditEntry run_transaction(const agntos::Paths& paths, Backend& backend,
                                   const TransactionRequest& request, const ProgressSink& progress);

// The human summary of a finished transaction: summary, audit id, generations, commit.
std::string describe_result(const agntos::AuditEntry& entry);

// Refuses (Errc::not_found) when the config dir does not exist, saying how to point at one.
void require_config_dir(const agntos::Paths& paths);

// Finishes or reverts a transaction a crash interrupted. No-op without a journal. Takes the lock.
void recover_interrupted_transaction(const agntos::Paths& paths);


}  // namespace agntctl
