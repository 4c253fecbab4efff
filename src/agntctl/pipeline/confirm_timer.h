// SPDX-License-Identifier: MIT
#pragma once
// Confirm or revert (issue 10 item 5): which activations must be confirmed, and the record of
// one that is waiting for it.
//
// An activation is gated when [rebuild] confirm_timeout is set (every change, that many
// seconds), or when it changes an option under one of [rebuild] confirm_classes (default
// networking, firewall, openssh, users, boot; confirm_class_timeout seconds, default 60). What
// changed is read exactly where it can be: the manifests (manifest.json: every merged option)
// of the running and the new system of the profile backend. Where the new system is not known
// yet or has no manifest (NixOS), the changed files decide: options/<a-b>.nix sets a.b,
// services/<s>.nix services.<s>, and a file whose old or new text names every segment of a
// class's option path (comments left out) touches it. That errs towards asking.
//
// The pending-confirmation record (<config>/.agntos-confirm.json, written atomically, 0600) is
// what the watchdog, `agntctl confirm` and the recovery of every mutating run act on: the
// transaction it belongs to, the deadline, the generation and the exact file contents to go
// back to. See watchdog.h for who acts on it and transaction.h for when it is written.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "agntctl/pipeline/change_set.h"
#include "common/enum_names.h"
#include "common/json.h"
#include "common/paths.h"
#include "common/settings.h"

namespace agntctl {

struct ConfirmGate {
  long timeout_s = 60;
  bool every_change = false;          // [rebuild] confirm_timeout gates all activations
  std::vector<std::string> classes;   // the confirm classes the change touches
  std::vector<std::string> because;   // the option paths (or files) that touch them

  // One sentence for the confirmation prompt and the approval request: that a timer will
  // run, for how long, why, and what confirms.
  std::string notice() const;
  agntos::Json to_json() const;  // {"timeout_s", "every_change", "classes", "because", "notice"}
  static ConfirmGate from_json(const agntos::Json& value);
};

// The option paths whose merged value differs between the manifests of two systems (a
// missing `before`: none running yet, every option is new); nullopt when a system has no
// readable manifest.json.
std::optional<std::vector<std::string>> changed_options(const std::optional<std::string>& before_system,
                                                        const std::string& after_system);

// The option path prefixes of a confirm class ("openssh" -> services.openssh, services.sshd);
// any other name is an option path itself.
std::vector<std::string> class_prefixes(const std::string& name);

// Whether this activation must be confirmed. `changed`: exact option paths (changed_options),
// or nullopt to judge by the files.
std::optional<ConfirmGate> confirm_gate(const agntos::Settings::Rebuild& settings,
                                        const std::filesystem::path& config_dir, const std::vector<FileChange>& changes,
                                        const std::optional<std::vector<std::string>>& changed);

// Where a pending confirmation is: "activating" until the journal says activated, then
// "waiting" with its deadline counted from the activation.
enum class ConfirmPhase { activating, waiting };
inline constexpr agntos::EnumNames<ConfirmPhase, 2> kConfirmPhaseNames{
    "confirmation phase", {{{ConfirmPhase::activating, "activating"}, {ConfirmPhase::waiting, "waiting"}}}};
constexpr const auto& names_of(ConfirmPhase) { return kConfirmPhaseNames; }

// What reverts an unconfirmed change (watchdog.h): a detached agntctl, or a systemd timer.
enum class WatchdogKind { detached, systemd };
inline constexpr agntos::EnumNames<WatchdogKind, 2> kWatchdogKindNames{
    "confirm watchdog", {{{WatchdogKind::detached, "detached"}, {WatchdogKind::systemd, "systemd"}}}};
constexpr const auto& names_of(WatchdogKind) { return kWatchdogKindNames; }

// A change waiting for `agntctl confirm`.
struct PendingConfirmation {
  std::string audit_id;   // the transaction (and its audit entry) that activated the change
  ConfirmPhase phase = ConfirmPhase::activating;
  long long deadline_ms = 0;  // Unix time in milliseconds: later than this, unconfirmed = revert
  ConfirmGate gate;
  std::string summary;
  agntos::RebuildBackend backend = agntos::RebuildBackend::nixos;
  WatchdogKind watchdog = WatchdogKind::detached;
  std::optional<long long> generation_before;                  // nullopt: none; the revert removes the new one
  FilesBefore before;                                          // path -> content to restore (nullopt: absent)
  std::optional<std::string> revert_error;                     // the last failed automatic revert

  std::string deadline_iso() const;
  agntos::Json to_json() const;
  // Throws Error(Errc::unknown_value) for a phase, backend or watchdog outside its names.
  static PendingConfirmation from_json(const agntos::Json& value);

  // nullopt when there is none; throws Error(Errc::failed) for a damaged record.
  static std::optional<PendingConfirmation> load(const agntos::Paths& paths);
  void save(const agntos::Paths& paths) const;
  static void remove(const agntos::Paths& paths);
};

std::filesystem::path pending_confirmation_file(const agntos::Paths& paths);
long long unix_ms_now();
std::string iso_of_unix_ms(long long ms);

}  // namespace agntctl
