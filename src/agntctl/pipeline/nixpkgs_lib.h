// SPDX-License-Identifier: MIT
#pragma once
// The nixpkgs lib (NixOS's module system) the profile backend evaluates with, when one is
// reachable (SPEC §8, issue 12 item 5). In order:
//   1. [rebuild.profile] lib = "/abs/nixpkgs/lib" or "<nixpkgs/lib>" (a NIX_PATH lookup);
//      lib = "none" keeps the builtin evaluator;
//   2. the lib/ folder of the package set, when [rebuild.profile] pkgs is a nixpkgs checkout;
//   3. <nixpkgs/lib> on the caller's NIX_PATH (looked up without any user nix.conf).
// A folder counts only when it holds default.nix. Nothing found: the builtin evaluator
// (nix/profile/system.nix), which does not know option types or declarations.

#include <optional>
#include <string>

#include "common/settings.h"

namespace agntctl {

struct NixpkgsLib {
  std::string path;    // absolute path of the lib/ folder
  std::string source;  // where it was found: "[rebuild.profile] lib", "the package set", "<nixpkgs/lib>"
};

// Throws Error(Errc::failed) when [rebuild.profile] lib names a folder that is not a nixpkgs lib.
std::optional<NixpkgsLib> reachable_nixpkgs_lib(const agntos::Settings& settings);

// "nixpkgs lib (lib.evalModules) from <source>: <path>" or "builtin (...)": for doctor and docs.
std::string profile_evaluator_description(const agntos::Settings& settings);

}  // namespace agntctl
