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
//   system    the store path that would be activated: built now from a private copy of the
//             tree with the change applied (Build::yes), or the generation switched to
//   closure   packages added, removed and changed against the running system, and the size
//   confirm   null, or the confirm-or-revert timer the activation will run (confirm_timer.h):
//             timeout_s, the classes it touches and why, and the notice that says so
//   activation  how the system will be activated (switch_inhibitors.h): configured and used
//             mode ("boot" instead of a live switch when kernel, initrd, systemd or dbus
//             change), the critical changes, and the reboot notice
//   digest    SHA-256 over kind, target, summary, every path with the exact content to be
//             written or deleted and the content it replaces, the target generation and the
//             store path that would be activated. The
//             human's yes is bound to it: `--digest D` makes the command refuse (stale, exit
//             4) when what it would now do has another digest. The timer and the mode are
//             not in it: they are decided again from the settings and the running system
//             at the activation, which may only make them safer.
//
// The undo choice follows the running system: a change is "in effect" when every file it
// wrote or deleted still has the content its commit gave it. `rollback undo` without an id
// takes the newest Apply in effect; an explicit id is accepted exactly when that change is in
// effect (even if it was undone once and brought back by a generation rollback).

#include <optional>
#include <string>

#include "agntctl/pipeline/backend.h"
#include "agntctl/pipeline/confirm_timer.h"
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

// Build::yes builds the system the plan would activate; Build::no only recomputes the source
// side (apply --digest --store-path then takes the approved store path, with no evaluation).
enum class Build { no, yes };

struct Plan {
  std::string kind;  // "apply" | "undo" | "generation"
  std::optional<std::string> target;
  std::string summary;
  std::string diff;
  std::string effect;
  std::optional<std::string> store_path;  // what would be activated
  agntos::Json closure = nullptr;         // ClosureDiff::to_json(), or null when nothing was built
  std::optional<ConfirmGate> confirm;     // the activation must be confirmed (also in request.confirm)
  agntos::Json activation = nullptr;      // ActivationChoice::to_json(), or null
  std::optional<Refusal> refusal;
  TransactionRequest request;  // what would run; meaningful only without a refusal
  std::string digest;          // empty with a refusal

  // Sets the store path to activate (the one that was approved), judges the timer and the
  // mode again for it, and recomputes the digest.
  void pin(const std::string& store_path, const agntos::Paths& paths, const Backend& backend);

  // The effect with the notices of the timer and of a boot instead of a switch.
  std::string effect_text() const;

  agntos::Json to_json() const;
  // The text a person reads: summary, effect, diff, or the refusal.
  std::string to_text() const;
  // Throws the refusal as an Error; then, when `approved_digest` is given and differs from
  // the digest, throws Error(Errc::stale): the change is not what was approved.
  void require(const std::optional<std::string>& approved_digest) const;
};

// Build::no when an approved digest comes with the approved store path (--store-path): that
// system is pinned, not rebuilt. Throws Error(Errc::usage) for a store path without a digest.
Build pinned_build(const std::optional<std::string>& digest, const std::optional<std::string>& store_path);

// What a person is shown before saying yes: effect, packages (closure diff), source diff.
std::string plan_details(const Plan& plan);

// `prompt`: the user's words that asked for an undo or rollback (stored in its audit entry).
Plan plan_apply(const agntos::Paths& paths, Backend& backend, const std::string& proposal_id, Build build);
Plan plan_undo(const agntos::Paths& paths, Backend& backend, const std::optional<std::string>& audit_id,
               const std::optional<std::string>& prompt, Build build);
Plan plan_generation(const agntos::Paths& paths, const Backend& backend, const std::optional<std::string>& number,
                     const std::optional<std::string>& prompt);

}  // namespace agntctl
