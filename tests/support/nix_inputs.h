// SPDX-License-Identifier: MIT
#pragma once
// Shared inputs and tools of the tests of the Nix text AgntOS generates (nix_names, nix_values,
// nix_modules, the intent grammar): names an attacker might try, and real Nix to read the
// result back.

#include <string>
#include <vector>

#include "common/process.h"

namespace agntos::testing {

// Package, service and option names that must never pass the attribute-path grammar: shell and
// Nix syntax, path tricks, look-alike and invisible Unicode, bytes that are not UTF-8, NUL, and
// names over the length limit (at least 40 of them).
std::vector<std::string> hostile_names();

// The name as a one-line JSON string, for failure messages (bytes that are not UTF-8 replaced).
std::string shown(const std::string& text);

// True when nix-instantiate is on PATH.
bool have_nix();
// nix-instantiate with `arguments` and no substituters, with a one-minute timeout.
ProcessResult nix_instantiate(const std::vector<std::string>& arguments);

}  // namespace agntos::testing
