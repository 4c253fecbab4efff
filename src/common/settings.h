// SPDX-License-Identifier: MIT
#pragma once
// agntos.toml (SPEC §2). Every key is optional; a missing file means all defaults.
// A malformed file or a value of the wrong type is an error that names the key and the line; a
// word outside a key's vocabulary is Error(Errc::unknown_value) naming the valid ones.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/activation_mode.h"
#include "common/enum_names.h"
#include "common/paths.h"

namespace agntos {

// [rebuild] backend: how the config dir becomes the running system (agntctl's backend.h).
enum class RebuildBackend { nixos, profile };
inline constexpr EnumNames<RebuildBackend, 2> kRebuildBackendNames{
    "rebuild backend", {{{RebuildBackend::nixos, "nixos"}, {RebuildBackend::profile, "profile"}}}};
constexpr const auto& names_of(RebuildBackend) { return kRebuildBackendNames; }

// [policy] bash_sandbox: whether run_bash must run inside bubblewrap (agntctl's sandbox.h).
enum class SandboxPolicy { required, off };
inline constexpr EnumNames<SandboxPolicy, 2> kSandboxPolicyNames{
    "bash sandbox policy", {{{SandboxPolicy::required, "required"}, {SandboxPolicy::off, "off"}}}};
constexpr const auto& names_of(SandboxPolicy) { return kSandboxPolicyNames; }

// [rebuild] privilege: how agntctl gains root for a change that needs it (agntctl's elevation.h).
enum class RebuildPrivilege { sudo, none };
inline constexpr EnumNames<RebuildPrivilege, 2> kRebuildPrivilegeNames{
    "rebuild privilege", {{{RebuildPrivilege::sudo, "sudo"}, {RebuildPrivilege::none, "none"}}}};
constexpr const auto& names_of(RebuildPrivilege) { return kRebuildPrivilegeNames; }

// [policy] auto_apply: whether anything is applied without asking. Only "manual" exists: every
// change waits for the human's yes (SPEC §4).
enum class AutoApply { manual };
inline constexpr EnumNames<AutoApply, 1> kAutoApplyNames{"auto_apply policy", {{{AutoApply::manual, "manual"}}}};
constexpr const auto& names_of(AutoApply) { return kAutoApplyNames; }

struct Settings {
  struct Rebuild {
    RebuildBackend backend = RebuildBackend::nixos;
    ActivationMode mode = ActivationMode::switch_now;
    std::string flake;              // overrides flake-info
    RebuildPrivilege privilege = RebuildPrivilege::sudo;
    std::string profile_path;       // [rebuild.profile] path; default <state>/profile/system
    std::string profile_pkgs;       // [rebuild.profile] pkgs; nix path of the package set
    std::string profile_lib;        // [rebuild.profile] lib; nixpkgs' lib/ ("" looks for one, "none": builtin)
    // Confirm or revert (docs/pipeline.md): an activation that changes options under one of
    // these classes ("networking", "firewall", "openssh", "users", "boot", or any option path
    // such as "services.tailscale") stays only if `agntctl confirm` runs within
    // confirm_class_timeout seconds; confirm_timeout, when set, gates every activation.
    std::vector<std::string> confirm_classes{"networking", "firewall", "openssh", "users", "boot"};
    std::optional<long> confirm_timeout;
    long confirm_class_timeout = 60;
  } rebuild;
  struct Policy {
    AutoApply auto_apply = AutoApply::manual;
    SandboxPolicy bash_sandbox = SandboxPolicy::required;
  } policy;
  struct Limits {
    long memory_chars = 2200;
    long user_chars = 1375;
    long tool_output_chars = 8000;
    long max_rounds = 48;
  } limits;

  static Settings load(const Paths& paths);
};

}  // namespace agntos
