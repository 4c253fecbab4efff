// SPDX-License-Identifier: MIT
#pragma once
// Where tests find a nixpkgs lib (the NixOS module system), in the order of
// ../shared/nixpkgs-lib/README.md: $AGNTOS_NIXPKGS_LIB, <nixpkgs/lib> on NIX_PATH, then
// ../shared/nixpkgs-lib/lib beside the checkout. Tests that need one skip with
// kNoNixpkgsLib when there is none; they never pass silently.

#include <filesystem>
#include <optional>
#include <string>

#include "common/options_index.h"

namespace agntos::testing {

inline constexpr const char* kNoNixpkgsLib =
    "no nixpkgs lib: set AGNTOS_NIXPKGS_LIB, put nixpkgs on NIX_PATH, or check out ../shared/nixpkgs-lib beside the "
    "repository";

// The lib/ folder (holding default.nix), or nullopt.
std::optional<std::filesystem::path> nixpkgs_lib();

// The options index of the declarations AgntOS ships (nix/options/nixos-common.nix), built by
// nix/options/index.nix with `lib` (real Nix, computed once per test program).
const OptionsIndex& shipped_options_index(const std::filesystem::path& lib);

}  // namespace agntos::testing
