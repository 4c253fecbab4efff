// SPDX-License-Identifier: MIT
#pragma once
// The Nix settings every Nix invocation of the pipeline runs under (SPEC §4), in one place.
//
// The caller's Nix configuration is not trusted: the model can write ~/.config/nix/nix.conf
// from run_bash, and a setting such as allow-unsafe-native-code-during-evaluation would let a
// module run programs while it is validated. So no invocation reads a user nix.conf
// (NIX_USER_CONF_FILES is set empty, NIX_CONFIG is replaced), and the settings that decide
// what an evaluation may do are given explicitly.
//
// restricted_nix() is for everything AgntOS evaluates or builds itself (syntax checks, module
// shapes, the package list, the profile backend): the system nix.conf is not read either
// (NIX_CONF_DIR names a directory that cannot hold one); restrict-eval confines evaluation to
// the given paths (the config tree or its staged copy, the package set, the shipped nix/);
// allowed-uris, substituters and builders are empty, so an evaluation cannot fetch anything;
// import-from-derivation and builtins.exec/importNative are off; getEnv returns "" and
// NIX_PATH is dropped (a package set named by a NIX_PATH entry is resolved once and passed
// with -I). A module that reads a file outside these paths gets "access to absolute path …
// is forbidden in restricted mode", never the file's contents.
//
// system_nix() is for nixos-rebuild, whose evaluation needs the system's own configuration:
// the system nix.conf (root-owned, part of the NixOS configuration) is read, the user's is
// not, and unsafe native code stays off.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "common/process.h"

namespace agntos {

struct NixEnvironment {
  std::map<std::string, std::string> env_set;
  std::vector<std::string> env_unset;
  std::vector<std::string> args;  // inserted after the program name (-I PATH ...)
  // restricted_nix's package set as a path: the absolute path given, or where the NIX_PATH
  // entry resolved to; empty when there is none or it did not resolve.
  std::filesystem::path package_set_path;

  // Adds the environment to `options` (replacing whatever the caller set for those names).
  void apply(ProcessOptions& options) const;
  // `argv` with args inserted after argv[0].
  std::vector<std::string> command(std::vector<std::string> argv) const;
};

// The settings given to restricted evaluations (one `name = value` per line), for the docs and
// tests.
const char* restricted_nix_settings();

// Evaluation may read only below `allowed` (absolute paths; missing ones are skipped). A
// `package_set` that is not an absolute path is a NIX_PATH entry name ("nixpkgs" or
// "<nixpkgs>"): it is resolved with the caller's NIX_PATH and passed as -I NAME=PATH; an
// absolute one is allowed like the rest. Empty: no package set.
NixEnvironment restricted_nix(const std::vector<std::filesystem::path>& allowed, const std::string& package_set = "");

// For nixos-rebuild: user nix.conf not read, unsafe native code off, system nix.conf read.
NixEnvironment system_nix();

}  // namespace agntos
