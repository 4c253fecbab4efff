// SPDX-License-Identifier: MIT
#pragma once
// Nix text that AgntOS generates from untrusted words (SPEC §3.1, §4 promise 5).
//
// Names pass a strict grammar before they are used, and values are rendered as typed Nix
// literals, so no package name, service name, option path or `set` value can inject Nix code.
// Generated modules are deterministic (golden-tested) and start with a comment naming the intent.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"

namespace agntos {

// An attribute path: one or more segments separated by '.', each segment starting with a
// letter or '_' and containing only letters, digits, '_', '-' and '\''; at most 200 characters,
// no empty segment. Throws Error(Errc::invalid_name) naming the bad character and position,
// with `what` ("package name", "service name", "option path") in the message.
void check_attribute_path(std::string_view path, std::string_view what);

// The attribute path rendered for Nix source: segments that are Nix keywords (if, then, else,
// assert, with, let, in, rec, inherit, or) are quoted ("pkgs.\"let\"" style); others as is.
std::string render_attribute_path(std::string_view path);

// A typed Nix literal from a command-line value:
//   true/false -> boolean; -?[0-9]+ -> integer; decimal/exponent -> float; null -> null;
//   text starting with '[' or '{' that parses as JSON -> list / attribute set (recursively,
//   keys rendered as quoted strings when not plain identifiers); anything else -> a string.
// Strings are escaped: backslash, double quote, "${", newline, tab, carriage return.
std::string render_nix_value(std::string_view value);
// The same, from JSON.
std::string render_nix_json(const Json& value, int indent = 0);
// A Nix string literal with escaping.
std::string render_nix_string(std::string_view text);

// The module files the intents write (path relative to the config dir, and content).
struct GeneratedModule {
  std::string path;     // e.g. "packages/htop.nix"
  std::string content;  // complete file text, newline-terminated
};

GeneratedModule package_module(std::string_view package);                  // packages/<attr>.nix
GeneratedModule service_module(std::string_view service, bool enable);     // services/<name>.nix
GeneratedModule option_module(std::string_view option_path, std::string_view nix_value_source);
                                                                            // options/<a-b-c>.nix
GeneratedModule home_option_module(std::string_view option_path, std::string_view nix_value_source);
                                                                            // home/<a-b-c>.nix
// The file name used for an option path: dots become dashes ("networking.hostName" ->
// "networking-hostName").
std::string option_file_stem(std::string_view option_path);

// One parsed intent of the free-form `agntctl propose "<words>"` form.
struct Intent {
  enum class Kind { install, remove, enable, disable, set, set_home_option };
  Kind kind;
  std::vector<std::string> names;  // packages for install/remove; service; option path
  std::string value;               // for set/set_home_option: the value text as given
  // set: the words that name the setting when they are not (only) an option path: "time zone"
  // for "set the time zone to UTC" (names is then empty), "timezone" for "set timezone UTC"
  // (names holds "timezone" too). propose resolves them against the options index.
  std::string phrase = {};
};

// Parses words like "install htop btop", "remove htop", "uninstall htop", "enable openssh",
// "disable openssh", "set networking.hostName demo", "set networking.hostName = demo",
// "set networking.hostName to demo", "set the time zone to Europe/Berlin" (a phrase, see
// Intent::phrase), "set-home-option programs.git.userName Ada". Several intents may be joined with ';' or
// " and " (e.g. "install htop and enable openssh"). Every name is checked with
// check_attribute_path; anything unrecognised throws Error(Errc::invalid_name or usage) that
// lists the forms understood. Hostile input ("install htop; rm -rf /") is refused, never
// partially accepted.
std::vector<Intent> parse_intents(std::string_view words);

// The value render_nix_value() renders, as JSON: true/false/null, integers, floats, lists and
// attribute sets given as JSON, anything else a string. For checking it against an option's type.
Json nix_value_as_json(std::string_view value);

// A module that sets `option_path` to true/false for "enable/disable <service>", in
// services/<service>.nix, when the service's option is not services.<service>.enable
// ("enable docker" -> virtualisation.docker.enable).
GeneratedModule service_module(std::string_view service, bool enable, std::string_view option_path);

// A one-line human summary of intents: "Install package: htop, btop; Enable service: openssh".
std::string summarize_intents(const std::vector<Intent>& intents);

}  // namespace agntos
