// SPDX-License-Identifier: MIT
#pragma once
// How an action that changes root-owned state gains root (SPEC §2 `[rebuild] privilege`).
//
// On NixOS the module folders of the config dir belong to root and activation needs root, while
// agntd and the people in the group `agntos` are not root. The NixOS module's sudo rule lets the
// group run exactly `agntctl apply|rollback|confirm …` of the installed package as root. So when
// such an action runs as another user with `privilege = "sudo"`, agntctl runs itself again,
// whole, through that rule — `sudo [-n] <this agntctl> <command> <args>` (argv, no shell) — and
// exits with its status; every step inside (files, journal, rebuild, activation, audit, the
// confirm watchdog) then runs as root, and no single Nix or systemd command is ever run through
// sudo on its own.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/paths.h"
#include "common/settings.h"

namespace agntctl {

// True when this process is not root, `privilege = "sudo"`, and the change needs root: the
// nixos backend (activation), or a module folder of the config dir this user cannot write (or,
// for a folder not made yet, the config dir itself).
bool needs_elevation(const agntos::Paths& paths, const agntos::Settings& settings);

// The argv of the elevated run: sudo (-n without a terminal to ask for a password on), this
// binary, the command, --json when given, `--config-dir <config_dir>` unless it is the default
// or `args` name it already (sudo resets the environment, so AGNTOS_CONFIG_DIR would be lost; a
// rule that refuses --config-dir, as the NixOS module's does, then refuses the run), and `args`.
std::vector<std::string> elevated_argv(std::string_view command, const std::vector<std::string>& args, bool json,
                                       const std::filesystem::path& config_dir, bool terminal);

// Without a terminal, checks with `sudo -n -l` that the rule allows the run (else
// Error(Errc::permission) naming the rule and the fix); then replaces this process with it.
// Returns only by throwing.
[[noreturn]] void run_elevated(std::string_view command, const std::vector<std::string>& args, bool json,
                               const std::filesystem::path& config_dir);

}  // namespace agntctl
