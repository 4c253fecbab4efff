// SPDX-License-Identifier: MIT
#pragma once
// One Nix program run by validation: under `nix`'s settings (nix_environment.h), with a
// timeout, and an output cap large enough for a nixpkgs-sized package list.

#include <string>
#include <vector>

#include "common/nix_environment.h"
#include "common/process.h"

namespace agntctl {

// Throws Error(Errc::nix_missing) naming the fix when argv[0] is not installed.
agntos::ProcessResult run_nix(const agntos::NixEnvironment& nix, const std::vector<std::string>& argv);

}  // namespace agntctl
