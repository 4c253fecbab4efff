// SPDX-License-Identifier: MIT
#include "agntctl/pipeline/nixpkgs_lib.h"

#include <filesystem>

#include "common/error.h"
#include "common/process.h"
#include "common/text.h"

namespace agntctl {
namespace {

namespace fs = std::filesystem;
using agntos::Errc;
using agntos::Error;

bool is_lib(const fs::path& dir) {
  std::error_code ec;
  return dir.is_absolute() && fs::exists(dir / "default.nix", ec);
}

// A NIX_PATH lookup ("nixpkgs/lib") as the caller's Nix sees it, without any user nix.conf
// (whose nix-path the model could have written).
std::optional<std::string> find_on_nix_path(const std::string& name) {
  if (!agntos::find_program("nix-instantiate")) return std::nullopt;
  agntos::ProcessOptions options;
  options.timeout = std::chrono::seconds(30);
  options.env_set["NIX_USER_CONF_FILES"] = "";
  options.env_unset = {"NIX_CONFIG"};
  const auto found = agntos::run_process({"nix-instantiate", "--find-file", name}, options);
  const std::string path = agntos::trim(found.out);
  if (found.ok() && is_lib(path)) return path;
  return std::nullopt;
}

}  // namespace

std::optional<NixpkgsLib> reachable_nixpkgs_lib(const agntos::Settings& settings) {
  const std::string& setting = settings.rebuild.profile_lib;
  if (setting == "none") return std::nullopt;
  if (!setting.empty()) {
    if (setting.front() == '<' && setting.back() == '>') {
      if (auto found = find_on_nix_path(setting.substr(1, setting.size() - 2)))
        return NixpkgsLib{*found, "[rebuild.profile] lib = " + setting};
      throw Error(Errc::failed, "[rebuild.profile] lib = \"" + setting + "\" is not on NIX_PATH (or holds no default.nix); "
                                "give the absolute path of nixpkgs' lib/ folder, or \"none\" for the builtin evaluator");
    }
    if (!is_lib(setting))
      throw Error(Errc::failed, "[rebuild.profile] lib = \"" + setting + "\" is not the lib/ folder of a nixpkgs (it must "
                                "be an absolute path holding default.nix); or set \"none\" for the builtin evaluator");
    return NixpkgsLib{fs::canonical(setting).string(), "[rebuild.profile] lib"};
  }
  const std::string& pkgs = settings.rebuild.profile_pkgs;
  if (!pkgs.empty() && pkgs.front() == '/' && is_lib(fs::path(pkgs) / "lib"))
    return NixpkgsLib{fs::canonical(fs::path(pkgs) / "lib").string(), "the package set's lib/ ([rebuild.profile] pkgs)"};
  if (auto found = find_on_nix_path("nixpkgs/lib")) return NixpkgsLib{*found, "<nixpkgs/lib> on NIX_PATH"};
  return std::nullopt;
}

std::string profile_evaluator_description(const agntos::Settings& settings) {
  if (const auto lib = reachable_nixpkgs_lib(settings))
    return "NixOS module system (lib.evalModules) of the nixpkgs lib " + lib->path + ", found by " + lib->source;
  if (settings.rebuild.profile_lib == "none")
    return "builtin evaluator, as [rebuild.profile] lib = \"none\" asks (option types and declarations are not checked)";
  return "builtin evaluator (no nixpkgs lib: option types and declarations are not checked; set [rebuild.profile] lib)";
}

}  // namespace agntctl
