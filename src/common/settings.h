// SPDX-License-Identifier: MIT
#pragma once
// agntos.toml (SPEC §2). Every key is optional; a missing file means all defaults.
// A malformed file or a value of the wrong type is an error that names the key and the line.

#include <filesystem>
#include <string>

#include "common/paths.h"

namespace agntos {

struct Settings {
  struct Rebuild {
    std::string backend = "nixos";  // "nixos" | "profile"
    std::string mode = "switch";    // "switch" | "test" | "boot"
    std::string flake;              // overrides flake-info
    std::string privilege = "sudo"; // "sudo" | "none"
    std::string profile_path;       // [rebuild.profile] path; default <state>/profile/system
    std::string profile_pkgs;       // [rebuild.profile] pkgs; nix path of the package set
  } rebuild;
  struct Policy {
    std::string auto_apply = "manual";
    std::string bash_sandbox = "required";  // "required" | "off"
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
