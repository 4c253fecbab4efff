// SPDX-License-Identifier: MIT
#pragma once
// The run_bash sandbox (SPEC §3.6): the argv that runs `bash -c COMMAND` inside bubblewrap.
//
// The whole file system is read-only except the user's home and /tmp; the config dir is
// read-only even when it lives under home or /tmp; the agent state dir and the daemon
// socket's directory are replaced by empty tmpfs; bubblewrap sets no_new_privs, so sudo and
// setuid programs cannot gain privilege; the process gets its own session and PID namespace
// and dies with its parent.

#include <optional>
#include <string>
#include <vector>

#include "common/paths.h"
#include "common/settings.h"

namespace agntctl {

struct SandboxPlan {
  std::vector<std::string> argv;
  bool sandboxed = false;
  std::optional<std::string> warning;  // printed when the sandbox is off
};

// Refuses (Errc::sandbox_missing) when bubblewrap is absent and the policy requires it.
SandboxPlan plan_bash(const std::string& command, const agntos::Paths& paths, const agntos::Settings& settings);

// Refuses (Errc::refused) imperative system changes that belong in a proposal:
// nix-env -i, nix profile install, systemctl enable/start/..., package managers, writes under /etc.
void refuse_imperative_change(const std::string& command);

}  // namespace agntctl
