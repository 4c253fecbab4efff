// SPDX-License-Identifier: MIT
#pragma once
// Plans (SPEC §3.1 "Plans"): exactly what `apply <id>`, `rollback undo [<id>]` and
// `rollback generation [<N>]` would do, computed from content and the current tree without
// changing anything. The commands run their own plan, so a plan never promises what the
// command will then refuse:
//
//   summary   one line, as the audit entry will say it
//   diff      unified diff of the config tree, recomputed from the content that would be
//             written (a proposal's stored diff is never shown)
//   effect    what happens, in words (which change an undo chose, and why)
//   refusal   {code, message} when the command would refuse (stale proposal, change no longer
//             in effect, nothing to undo), else null
//   digest    SHA-256 over kind, target, summary, every path with the exact content to be
//             written or deleted and the content it replaces, and the target generation. The
//             human's yes is bound to it: `--digest D` makes the command refuse (stale, exit
//             4) when what it would now do has another digest.
//
// The undo choice follows the running system: a change is "in effect" when every file it
// wrote or deleted still has the content its commit gave it. `rollback undo` without an id
// takes the newest Apply in effect; an explicit id is accepted exactly when that change is in
// effect (even if it was undone once and brought back by a generation rollback).

#include <optional>
#include <string>

#include "agntctl/pipeline/backend.h"
#include "agntctl/pipeline/transaction.h"
#include "common/error.h"
#include "common/json.h"
#include "common/paths.h"
#include "common/settings.h"

namespace agntctl {

struct Refusal {
  agntos::Errc code;
  std::string message;
};

struct Plan {
  std::string kind;  // "apply" | "undo" | "generation"
  std::optional<std::string> target;
  std::string summary;
  std::string diff;
  std::string effect;
  std::optional<Refusal> refusal;
  TransactionRequest request;  // what would run; meaningful only without a refusal
  std::string digest;          // empty with a refusal

  agntos::Json to_json() const;
  // The text a person reads: summary, effect, diff, or the refusal.
  std::string to_text() const;
  // Throws the refusal as an Error; then, when `approved_digest` is given and differs from
  // the digest, throws Error(Errc::stale): the change is not what was approved.
  void require(const std::optional<std::string>& approved_digest) const;
};

// `prompt`: the user's words that asked for an undo or rollback (stored in its audit entry).
Plan plan_apply(const agntos::Paths& paths, const Backend& backend, const std::string& proposal_id);
Plan plan_undo(const agntos::Paths& paths, const Backend& backend, const std::optional<std::string>& audit_id,
               const std::optional<std::string>& prompt);
Plan plan_generation(const agntos::Paths& paths, const Backend& backend, const std::optional<std::string>& number,
                     const std::optional<std::string>& prompt);

}  // namespace agntctl
