// SPDX-License-Identifier: MIT
#pragma once
// Values in the Nix text AgntOS generates from untrusted words (SPEC §3.1, §4 promise 5): a
// `set` value given on the command line becomes a typed Nix literal, never code.

#include <string>
#include <string_view>

#include "common/json.h"

namespace agntos {

// A typed Nix literal from a command-line value:
//   true/false -> boolean; -?[0-9]+ -> integer; decimal/exponent -> float; null -> null;
//   text starting with '[' or '{' that parses as JSON -> list / attribute set (recursively,
//   keys rendered as quoted strings when not plain identifiers); anything else -> a string.
// Strings are escaped (render_nix_string in nix_names.h). Throws Error(Errc::validation) for a
// value that has no Nix literal (an integer out of the 64-bit range, a float Nix cannot read).
std::string render_nix_value(std::string_view value);
// The same, from JSON; nested containers are laid out one element per line, indented by
// `indent` spaces, short flat ones on one line (deterministic, golden-tested).
std::string render_nix_json(const Json& value, int indent = 0);

// The value render_nix_value() renders, as JSON: true/false/null, integers, floats, lists and
// attribute sets given as JSON, anything else a string. For checking it against an option's type.
Json nix_value_as_json(std::string_view value);

}  // namespace agntos
