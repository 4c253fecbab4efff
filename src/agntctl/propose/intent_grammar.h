// SPDX-License-Identifier: MIT
#pragma once
// The intent grammar of `agntctl propose "<words>"` (SPEC §3.1): the few plain forms a person
// or the agent writes instead of a module, parsed whole or refused whole.
//
//   install <package...>   remove|uninstall <package...>   enable <service>   disable <service>
//   set <option.path> <value>   (also "set <option.path> = <value>", "set <option.path> to <value>")
//   set the <words> to <value>  (a phrase: "set the time zone to Europe/Berlin")
//   set-home-option <option.path> <value>
//
// Several intents join with ';' or " and " before the next verb ("install htop and enable
// openssh"). Every name passes nix_names.h's attribute-path grammar and every value must have a
// Nix literal (nix_values.h), so hostile input ("install htop; rm -rf /") is refused, never
// partially accepted.

#include <string>
#include <string_view>
#include <vector>

namespace agntctl {

// One parsed intent.
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

// The intents of `words`, in order. Throws Error(Errc::invalid_name) for a name outside the
// grammar and Error(Errc::usage) for anything else not understood; both messages list the forms
// understood.
std::vector<Intent> parse_intents(std::string_view words);

// A one-line human summary of intents: "Install package: htop, btop; Enable service: openssh".
std::string summarize_intents(const std::vector<Intent>& intents);

}  // namespace agntctl
