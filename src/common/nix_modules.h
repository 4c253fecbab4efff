// SPDX-License-Identifier: MIT
#pragma once
// The module files AgntOS writes for intents (SPEC §3.1): one file per package, service and
// option under the config dir, deterministic (golden-tested), each starting with a comment that
// names the intent. Names pass nix_names.h's grammar and values are placed as one checked Nix
// expression, so no word of the request becomes code of its own.

#include <string>
#include <string_view>

namespace agntos {

struct GeneratedModule {
  std::string path;     // relative to the config dir, e.g. "packages/htop.nix"
  std::string content;  // complete file text, newline-terminated
};

GeneratedModule package_module(std::string_view package);               // packages/<attr>.nix
GeneratedModule service_module(std::string_view service, bool enable);  // services/<name>.nix
// A module that sets `option_path` to true/false for "enable/disable <service>", in
// services/<service>.nix, when the service's option is not services.<service>.enable
// ("enable docker" -> virtualisation.docker.enable).
GeneratedModule service_module(std::string_view service, bool enable, std::string_view option_path);
// options/<a-b-c>.nix and home/<a-b-c>.nix setting the option to `nix_value_source` (a rendered
// literal or a --nix-expr): it must be one balanced Nix expression (Error(Errc::validation)
// otherwise); the module asks for the arguments (config, lib, pkgs) it names.
GeneratedModule option_module(std::string_view option_path, std::string_view nix_value_source);
GeneratedModule home_option_module(std::string_view option_path, std::string_view nix_value_source);
// The file name used for an option path: dots become dashes ("networking.hostName" ->
// "networking-hostName").
std::string option_file_stem(std::string_view option_path);

}  // namespace agntos
