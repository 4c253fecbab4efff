// SPDX-License-Identifier: MIT
#include "agntctl/pipeline/validation.h"

#include <stdlib.h>

#include <algorithm>

#include "agntctl/pipeline/nix_run.h"
#include "agntctl/pipeline/package_names.h"
#include "agntctl/pipeline/staged_tree.h"
#include "common/error.h"
#include "common/files.h"
#include "common/nix_environment.h"
#include "common/process.h"
#include "common/text.h"

namespace agntctl {
namespace {

namespace fs = std::filesystem;
using agntos::Errc;
using agntos::Error;
using agntos::Json;

void check_syntax(const StagedTree& staged, const fs::path& config_dir, const std::vector<FileChange>& changes) {
  for (const auto& change : changes) {
    if (!change.content) continue;
    const auto result = run_nix(agntos::restricted_nix({staged.dir()}),
                                {"nix-instantiate", "--parse", (staged.dir() / change.path).string()});
    if (!result.ok())
      throw Error(Errc::validation, "Nix syntax error in " + (config_dir / change.path).string() + ":\n" +
                                        in_config_terms(result.err, staged.dir(), config_dir));
  }
}

// The package set step 5 checks against, with the environment that evaluates it: [rebuild.profile]
// pkgs, or <nixpkgs> when the caller's NIX_PATH has it; nullopt when neither.
// Steps 2 and 3 in one Nix process: nix/lib/module-shape.nix imports every written file, which
// parses it. Only when that fails is each file checked alone, so the refusal names the file and
// quotes `nix-instantiate --parse` for a syntax error, the shape check otherwise.
void check_syntax_and_shape(const agntos::Paths& paths, const StagedTree& staged, const std::vector<FileChange>& changes) {
  const auto nix = agntos::restricted_nix({staged.dir(), nix_data_dir(paths)});
  const std::string checker = (nix_data_dir(paths) / "lib" / "module-shape.nix").string();
  auto check_shapes = [&](const std::vector<FileChange>& files) {
    std::string list;
    for (const auto& change : files)
      if (change.content) list += (staged.dir() / change.path).string() + "\n";
    agntos::ProcessResult nothing;
    nothing.exit_code = 0;
    return list.empty() ? nothing : run_nix(nix, {"nix-instantiate", "--eval", "--strict", "--json", checker, "--argstr", "files", list});
  };
  const auto all = check_shapes(changes);
  if (all.ok()) return;
  check_syntax(staged, paths.config_dir, changes);
  for (const auto& change : changes) {
    const auto one = check_shapes({change});
    if (!one.ok())
      throw Error(Errc::validation, "module " + (paths.config_dir / change.path).string() +
                                        " does not have the shape of a NixOS module:\n" +
                                        in_config_terms(one.err, staged.dir(), paths.config_dir));
  }
  // Every file passed alone: say what failed together rather than let it through.
  throw Error(Errc::validation, "the written modules could not be checked together:\n" +
                                    in_config_terms(all.err, staged.dir(), paths.config_dir));
}

std::optional<std::pair<std::string, agntos::NixEnvironment>> reachable_package_set(const agntos::Paths& paths,
                                                                                   const agntos::Settings& settings) {
  // A configured set is always checked: when it cannot be found or listed, propose says so.
  if (settings.rebuild.backend == agntos::RebuildBackend::profile && !settings.rebuild.profile_pkgs.empty())
    return std::pair{settings.rebuild.profile_pkgs, agntos::restricted_nix({nix_data_dir(paths)}, settings.rebuild.profile_pkgs)};
  if (!agntos::find_program("nix-instantiate")) return std::nullopt;
  auto nix = agntos::restricted_nix({nix_data_dir(paths)}, "nixpkgs");
  if (nix.package_set_path.empty()) return std::nullopt;
  return std::pair{std::string("nixpkgs"), std::move(nix)};
}

bool starts_with_path(const std::vector<std::string>& path, const std::vector<std::string>& prefix) {
  return prefix.size() <= path.size() && std::equal(prefix.begin(), prefix.end(), path.begin());
}

// Step 4 for the modules the intents did not write: returns the notes, throws on an unknown path.
std::vector<std::string> check_module_paths(const agntos::Paths& paths, const agntos::Settings& settings,
                                            const StagedTree& staged, const std::vector<FileChange>& changes,
                                            const ValidationOptions& options) {
  const agntos::OptionsIndex& index = *options.options->index;
  std::vector<std::string> notes;
  std::vector<std::string> problems;
  std::vector<std::pair<std::string, ModuleDefinitions>> read;
  std::vector<std::vector<std::string>> declared;  // options the change's own modules declare
  for (const auto& change : changes) {
    if (!change.content) continue;
    if (std::find(options.intent_files.begin(), options.intent_files.end(), change.path) != options.intent_files.end()) continue;
    if (change.path.starts_with("home/")) {
      notes.push_back(change.path + ": Home Manager options, not checked (the index holds NixOS options)");
      continue;
    }
    std::string error;
    auto definitions = read_module_definitions(paths, settings, staged.dir(), change.path, {}, &error);
    if (!definitions) {
      const auto lines = agntos::split_lines(in_config_terms(error, staged.dir(), paths.config_dir));
      notes.push_back(change.path + ": option paths not checked: it cannot be read with stand-in arguments (" +
                      (lines.empty() ? std::string("no message") : agntos::trim(lines.front())) + "); the build checks it");
      continue;
    }
    declared.insert(declared.end(), definitions->declarations.begin(), definitions->declarations.end());
    read.emplace_back(change.path, std::move(*definitions));
  }
  for (const auto& [file, definitions] : read) {
    size_t checked = 0;
    for (const auto& path : definitions.definitions) {
      ++checked;
      if (std::any_of(declared.begin(), declared.end(), [&](const auto& d) { return starts_with_path(path, d); })) continue;
      const auto match = index.match(path);
      if (match.kind != agntos::PathMatch::Kind::unknown) continue;
      const std::string name = agntos::option_path_name(path);
      if (match.option) {
        problems.push_back((paths.config_dir / file).string() + " sets " + name + ", but " + match.option->name +
                           " is an option of type `" + match.option->type + "`, which has no attributes");
        continue;
      }
      const auto near = index.suggestions(path);
      problems.push_back((paths.config_dir / file).string() + " sets " + name + ", which does not exist" +
                         (near.empty() ? std::string(" (no option has a similar name)") : "; did you mean " + agntos::or_list(near) + "?"));
    }
    notes.push_back(file + ": " + std::to_string(checked) + " option path(s) found");
  }
  if (!problems.empty())
    throw Error(Errc::validation, agntos::join(problems, "\n") + "\n(checked against " + options.options->source +
                                      "; 'agntctl inspect option <words>' searches the options)");
  return notes;
}

}  // namespace

void revalidate_syntax(const agntos::Paths& paths, const std::vector<FileChange>& changes) {
  for (const auto& change : changes) check_module_path(paths.config_dir, change.path);
  StagedTree staged(paths.config_dir, changes);
  check_syntax(staged, paths.config_dir, changes);
}

Json validate_changes(const agntos::Paths& paths, const agntos::Settings& settings,
                      const std::vector<FileChange>& changes, const ValidationOptions& options) {
  Json checks = Json::array();
  auto passed = [&](const char* name, const std::string& detail) {
    checks.push_back(Json{{"check", name}, {"ok", true}, {"detail", detail}});
  };

  for (const auto& change : changes) check_module_path(paths.config_dir, change.path);
  passed("paths", std::to_string(changes.size()) + " path(s) inside the module folders");

  StagedTree staged(paths.config_dir, changes);
  check_syntax_and_shape(paths, staged, changes);
  const bool writes = std::any_of(changes.begin(), changes.end(), [](const FileChange& change) { return change.content.has_value(); });
  passed("syntax", writes ? "Nix parsed every written file" : "no file written");
  passed("shape", writes ? "every written file is a function or an attribute set" : "no file written");

  if (options.options) {
    if (!options.options->index) {
      checks.push_back(Json{{"check", "options"}, {"ok", nullptr}, {"detail", "not checked: " + options.options->source}});
    } else {
      auto notes = options.option_notes;
      const auto module_notes = check_module_paths(paths, settings, staged, changes, options);
      notes.insert(notes.end(), module_notes.begin(), module_notes.end());
      passed("options", "against " + options.options->source + (notes.empty() ? std::string() : ": " + agntos::join(notes, "; ")));
    }
  }

  if (!options.packages.empty()) {
    if (const auto reachable = reachable_package_set(paths, settings)) {
      const auto& [pkgs, nix] = *reachable;
      const auto names = PackageNames::load(paths, pkgs, nix);
      for (const auto& package : options.packages) {
        const std::string top = package.substr(0, package.find('.'));
        if (names.contains(top)) continue;
        const auto suggestions = names.closest(top);
        throw Error(Errc::validation,
                    "package '" + package + "' does not exist in the package set " + pkgs +
                        (suggestions.empty() ? std::string(" (no similar names either)")
                                             : "; did you mean " + agntos::join(suggestions, " or ") + "?"));
      }
      passed("packages", "found in " + pkgs + ": " + agntos::join(options.packages, ", "));
    } else {
      checks.push_back(Json{{"check", "packages"},
                            {"ok", nullptr},
                            {"detail", "not checked: no package set reachable (set NIX_PATH=nixpkgs=... or "
                                       "[rebuild.profile] pkgs)"}});
    }
  }

  std::optional<std::string> system;
  if (options.build) {
    auto backend = make_backend(paths, settings);
    std::string log;
    try {
      system = backend->build(staged.dir(), "", [&](std::string_view chunk) { log += chunk; });
    } catch (const Error& e) {
      throw Error(Errc::validation, "the " + backend->name() + " backend cannot build the configuration:\n" +
                                        in_config_terms(e.what(), staged.dir(), paths.config_dir));
    }
    if (system) {
      passed("build", "the " + backend->name() + " backend built the whole system: " + *system);
    } else {
      checks.push_back(Json{{"check", "build"},
                            {"ok", nullptr},
                            {"detail", "not built here: the " + backend->name() + " backend builds at apply"}});
    }
  } else {
    checks.push_back(Json{{"check", "build"}, {"ok", nullptr}, {"detail", "skipped (--no-build): apply builds it"}});
  }
  return Json{{"ok", true}, {"checks", checks}, {"system", agntos::json_or_null(system)}};
}

}  // namespace agntctl
