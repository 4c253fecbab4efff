// SPDX-License-Identifier: MIT
#pragma once
// Names in the Nix text AgntOS generates from untrusted words (SPEC §3.1, §4 promise 5):
// attribute paths (package, service and option names) pass a strict grammar before they are
// used, keyword segments and other names are quoted, and strings become escaped Nix string
// literals, so no name can inject Nix code.

#include <optional>
#include <string>
#include <string_view>

namespace agntos {

// The characters of a Nix identifier: it starts with a letter or '_' and goes on with letters,
// digits, '_', '-' and '\''.
bool is_nix_identifier_start(char c);
bool is_nix_identifier_char(char c);

// An attribute path: one or more segments separated by '.', each segment starting with a
// letter or '_' and containing only letters, digits, '_', '-' and '\''; at most 200 characters,
// no empty segment. Throws Error(Errc::invalid_name) naming the bad character and position,
// with `what` ("package name", "service name", "option path") in the message.
void check_attribute_path(std::string_view path, std::string_view what);
// The same check as a message ("package name \"a;b\" has ';' at position 2; names are ..."),
// or nullopt when the path is fine.
std::optional<std::string> attribute_path_problem(std::string_view path, std::string_view what);

// An option path: the grammar above, and no segment the module system interprets itself
// (imports, require, disabledModules, _module anywhere; config, options, _file, key at the top),
// since those load or disable modules rather than set options. Throws Error(Errc::invalid_name).
void check_option_path(std::string_view path);
// The same check as a message, or nullopt when the path is fine.
std::optional<std::string> option_path_problem(std::string_view path);

// The attribute path rendered for Nix source: segments that are Nix keywords (if, then, else,
// assert, with, let, in, rec, inherit, or) are quoted ("pkgs.\"let\"" style); others as is.
// Throws like check_attribute_path.
std::string render_attribute_path(std::string_view path);

// One attribute name of an attribute set (a JSON key): as is when it is a plain identifier,
// else a quoted string. Throws Error(Errc::validation) for the module system's loading keys
// (imports, require, disabledModules, _module).
std::string render_attribute_name(const std::string& name);

// A Nix string literal with escaping: backslash, double quote, "${", newline, tab, carriage
// return. Throws Error(Errc::validation) for a NUL byte and for bidirectional control characters
// (they make a diff display differently from what Nix reads).
std::string render_nix_string(std::string_view text);

}  // namespace agntos
