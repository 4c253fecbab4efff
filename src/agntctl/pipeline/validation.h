// SPDX-License-Identifier: MIT
#pragma once
// Validation of a change set, in the order of SPEC §3.1:
//   1. paths: the five module folders only, no '..', no absolute path, no symlink escape;
//   2. syntax: `nix-instantiate --parse` on every written file (no Nix = refusal, never a pass);
//   3. shape: every written file evaluates to a function or an attribute set;
//   4. options: every option path the change sets exists in the options index of the system
//      (options_source.h): the intents' paths and values were checked by propose
//      (intent_options.h, passed in as `options`); here every other written module is read with
//      stand-in arguments (nix/options/definitions.nix) and each path it defines must be an
//      option, lie inside one whose value is an attribute set, or be declared by a module of the
//      change; an unknown path is refused with the closest options. Without an index the step
//      is reported as not run (ok: null) with the reason; a module that cannot be read with
//      stand-in arguments is named as not checked;
//   5. packages: each installed package exists in the package set, when one is reachable
//      ([rebuild.profile] pkgs, or <nixpkgs> on NIX_PATH), with "did you mean" suggestions
//      (package_names.h: a set in the Nix store is listed once and cached);
//   6. build: the backend builds the whole system from the staged copy (never the config dir);
//      the report's "system" is the store path, or null when the backend builds only at apply.
// The first failure throws Error(Errc::validation) quoting Nix's own message, with the file
// named by its path in the config dir. On success the report lists what was checked.

#include <string>
#include <vector>

#include "agntctl/pipeline/backend.h"
#include "agntctl/pipeline/change_set.h"
#include "agntctl/pipeline/options_source.h"
#include "common/json.h"
#include "common/paths.h"
#include "common/settings.h"

namespace agntctl {

struct ValidationOptions {
  std::vector<std::string> packages;  // packages the change installs (checked for existence)
  bool build = true;                  // step 6
  // Step 4: the index propose checked its intents against (nullptr: the change sets no option
  // outside package modules, and the step is left out), what that check found, and the files
  // the intents wrote (their paths are not read again).
  const ReachableOptions* options = nullptr;
  std::vector<std::string> option_notes = {};
  std::vector<std::string> intent_files = {};
};

agntos::Json validate_changes(const agntos::Paths& paths, const agntos::Settings& settings,
                              const std::vector<FileChange>& changes, const ValidationOptions& options);

// Syntax only (steps 1 and 2), as apply re-checks what it reads from proposals/.
void revalidate_syntax(const agntos::Paths& paths, const std::vector<FileChange>& changes);

}  // namespace agntctl
