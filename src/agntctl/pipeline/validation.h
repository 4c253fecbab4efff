// SPDX-License-Identifier: MIT
#pragma once
// Validation of a change set, in the order of SPEC §3.1:
//   1. paths: the five module folders only, no '..', no absolute path, no symlink escape;
//   2. syntax: `nix-instantiate --parse` on every written file (no Nix = refusal, never a pass);
//   3. shape: every written file evaluates to a function or an attribute set;
//   4. packages: each installed package exists in the package set, when one is reachable
//      ([rebuild.profile] pkgs, or <nixpkgs> on NIX_PATH), with "did you mean" suggestions;
//   5. build: the backend builds the whole system from the staged copy (never the config dir);
//      the report's "system" is the store path, or null when the backend builds only at apply.
// The first failure throws Error(Errc::validation) quoting Nix's own message, with the file
// named by its path in the config dir. On success the report lists what was checked.

#include <string>
#include <vector>

#include "agntctl/pipeline/backend.h"
#include "agntctl/pipeline/change_set.h"
#include "common/json.h"
#include "common/paths.h"
#include "common/settings.h"

namespace agntctl {

struct ValidationOptions {
  std::vector<std::string> packages;  // packages the change installs (checked for existence)
  bool build = true;                  // step 5
};

agntos::Json validate_changes(const agntos::Paths& paths, const agntos::Settings& settings,
                              const std::vector<FileChange>& changes, const ValidationOptions& options);

// Syntax only (steps 1 and 2), as apply re-checks what it reads from proposals/.
void revalidate_syntax(const agntos::Paths& paths, const std::vector<FileChange>& changes);

// Up to three names of the package set closest to `name` (edit distance, then substring).
std::vector<std::string> closest_names(const std::string& name, const std::vector<std::string>& candidates);

}  // namespace agntctl
