// SPDX-License-Identifier: MIT
#pragma once
// Where agntctl finds the options index of a system (issue 12 item 3), and what one module
// file defines (for the option-path check of agent-written modules).
//
//   nixos backend    the running generation's /run/current-system/agntos/options.json, written
//                    by the AgntOS NixOS module; absent on other machines and on generations
//                    built before the module added it.
//   profile backend  with a nixpkgs lib (nixpkgs_lib.h): the index of the tree itself, evaluated
//                    by nix/profile/options-index.nix (the shipped NixOS declarations plus the
//                    options the tree's modules declare; about 0.1 s); inspect reads the current
//                    generation's agntos/options.json first. Without a lib: no index.
//
// No index is never an error: the result says why, and validation reports the check as not
// run, never as passed.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/options_index.h"
#include "common/paths.h"
#include "common/settings.h"

namespace agntctl {

struct ReachableOptions {
  std::optional<agntos::OptionsIndex> index;
  std::string source;  // with an index: where it came from; without: why there is none
};

// The index to validate a proposal on `tree_dir` (the config dir or a staged copy of it) with.
ReachableOptions options_index_for_tree(const agntos::Paths& paths, const agntos::Settings& settings,
                                        const std::filesystem::path& tree_dir);
// The index of the running system (for inspect option): its generation's agntos/options.json,
// else, on the profile backend with a nixpkgs lib, the config dir evaluated.
ReachableOptions running_options_index(const agntos::Paths& paths, const agntos::Settings& settings);

// The option paths one module file defines and declares (nix/options/definitions.nix, with
// stand-in arguments), and its plain value at `at` (null when it has none or it is not plain
// data). nullopt with `*error` set when the module cannot be read this way.
struct ModuleDefinitions {
  std::vector<std::vector<std::string>> definitions;
  std::vector<std::vector<std::string>> declarations;
  agntos::Json value;
};
std::optional<ModuleDefinitions> read_module_definitions(const agntos::Paths& paths, const agntos::Settings& settings,
                                                         const std::filesystem::path& tree_dir,
                                                         const std::string& relative_path,
                                                         const std::vector<std::string>& at, std::string* error);

// The file of the running NixOS generation's index.
inline constexpr const char* kNixosOptionsIndex = "/run/current-system/agntos/options.json";

}  // namespace agntctl
