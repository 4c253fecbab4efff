// SPDX-License-Identifier: MIT
#include "agntctl/pipeline/options_source.h"

#include "agntctl/pipeline/backend.h"
#include "agntctl/pipeline/nixpkgs_lib.h"
#include "common/error.h"
#include "common/nix_environment.h"
#include "common/process.h"
#include "common/text.h"

namespace agntctl {
namespace {

namespace fs = std::filesystem;
using agntos::Errc;
using agntos::Error;
using agntos::Json;

constexpr auto kNixTimeout = std::chrono::minutes(2);

// The first lines of a Nix error, without the --show-trace hint.
std::string short_error(const std::string& err) {
  std::vector<std::string> kept;
  for (const auto& line : agntos::split_lines(agntos::trim(err))) {
    if (line.find("--show-trace") != std::string::npos) continue;
    kept.push_back(line);
    if (kept.size() == 6) break;
  }
  return agntos::join(kept, "\n");
}

std::optional<agntos::ProcessResult> evaluate(const agntos::NixEnvironment& nix, const std::vector<std::string>& argv,
                                              std::string* missing) {
  if (!agntos::find_program(argv[0])) {
    *missing = "Nix is not installed (" + argv[0] + " not found)";
    return std::nullopt;
  }
  agntos::ProcessOptions options;
  options.timeout = kNixTimeout;
  nix.apply(options);
  return agntos::run_process(nix.command(argv), options);
}

ReachableOptions from_file(const fs::path& file, const std::string& what) {
  ReachableOptions result;
  result.index = agntos::OptionsIndex::load(file);
  result.source = what + " " + file.string() + " (" + std::to_string(result.index->size()) + " options)";
  return result;
}

}  // namespace

ReachableOptions options_index_for_tree(const agntos::Paths& paths, const agntos::Settings& settings,
                                        const fs::path& tree_dir) {
  ReachableOptions result;
  if (settings.rebuild.backend != agntos::RebuildBackend::profile) {
    std::error_code ec;
    if (!fs::exists(kNixosOptionsIndex, ec)) {
      result.source = std::string("the running system has no options index (") + kNixosOptionsIndex +
                      "): not NixOS, or a generation built before the AgntOS module (services.agntos) added it";
      return result;
    }
    return from_file(kNixosOptionsIndex, "the running system's index");
  }
  const auto lib = reachable_nixpkgs_lib(settings);
  if (!lib) {
    result.source = "the profile backend evaluates without a nixpkgs lib, so it has no options index (set "
                    "[rebuild.profile] lib to nixpkgs' lib/ folder, or put nixpkgs on NIX_PATH)";
    return result;
  }
  const fs::path nix_dir = nix_data_dir(paths);
  std::vector<fs::path> allowed{fs::absolute(tree_dir), nix_dir, lib->path};
  const auto& pkgs = settings.rebuild.profile_pkgs;
  std::string missing;
  const auto evaluated = evaluate(agntos::restricted_nix(allowed, pkgs),
                                  {"nix-instantiate", "--eval", "--strict", "--json",
                                   (nix_dir / "profile" / "options-index.nix").string(), "--argstr", "configDir",
                                   fs::absolute(tree_dir).string(), "--argstr", "pkgs", pkgs, "--argstr", "lib", lib->path},
                                  &missing);
  if (!evaluated) {
    result.source = missing;
    return result;
  }
  if (!evaluated->ok()) {
    result.source = "the options index of the tree could not be evaluated:\n" + short_error(evaluated->err);
    return result;
  }
  result.index = agntos::OptionsIndex::from_json(agntos::parse_json(evaluated->out, "options index"), "the evaluated tree");
  result.source = "the options of the NixOS module system (nixpkgs lib " + lib->path + ") and the tree's own modules (" +
                  std::to_string(result.index->size()) + " options)";
  return result;
}

ReachableOptions running_options_index(const agntos::Paths& paths, const agntos::Settings& settings) {
  if (settings.rebuild.backend == agntos::RebuildBackend::profile) {
    if (const auto system = make_backend(paths, settings)->running_system()) {
      const fs::path file = fs::path(*system) / "agntos" / "options.json";
      std::error_code ec;
      if (fs::exists(file, ec)) return from_file(file, "the running generation's index");
    }
  }
  return options_index_for_tree(paths, settings, paths.config_dir);
}

std::optional<ModuleDefinitions> read_module_definitions(const agntos::Paths& paths, const agntos::Settings& settings,
                                                         const fs::path& tree_dir, const std::string& relative_path,
                                                         const std::vector<std::string>& at, std::string* error) {
  const fs::path nix_dir = nix_data_dir(paths);
  std::vector<fs::path> allowed{fs::absolute(tree_dir), nix_dir};
  std::vector<std::string> argv{"nix-instantiate", "--eval", "--strict", "--json",
                                (nix_dir / "options" / "definitions.nix").string(), "--argstr", "file",
                                (fs::absolute(tree_dir) / relative_path).string(), "--argstr", "at", Json(at).dump()};
  std::optional<NixpkgsLib> lib;
  try {
    lib = reachable_nixpkgs_lib(settings);
  } catch (const Error&) {
    // A wrong [rebuild.profile] lib is reported by the build; the paths are read with AgntOS's lib.
  }
  if (lib) {
    allowed.push_back(lib->path);
    argv.insert(argv.end(), {"--argstr", "lib", lib->path});
  }
  const std::string pkgs = settings.rebuild.backend == agntos::RebuildBackend::profile ? settings.rebuild.profile_pkgs : "";
  if (!pkgs.empty()) argv.insert(argv.end(), {"--argstr", "pkgs", pkgs});
  std::string missing;
  const auto evaluated = evaluate(agntos::restricted_nix(allowed, pkgs), argv, &missing);
  if (!evaluated || !evaluated->ok()) {
    *error = evaluated ? short_error(evaluated->err) : missing;
    return std::nullopt;
  }
  const Json json = agntos::parse_json(evaluated->out, "module definitions");
  ModuleDefinitions result;
  result.definitions = json.at("definitions").get<std::vector<std::vector<std::string>>>();
  result.declarations = json.at("declarations").get<std::vector<std::vector<std::string>>>();
  result.value = json.at("value");
  return result;
}

}  // namespace agntctl
