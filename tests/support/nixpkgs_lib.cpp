// SPDX-License-Identifier: MIT
#include "support/nixpkgs_lib.h"

#include <cstdlib>
#include <stdexcept>

#include "common/process.h"
#include "common/text.h"
#include "support/agntctl_runner.h"

namespace agntos::testing {

namespace fs = std::filesystem;

std::optional<fs::path> nixpkgs_lib() {
  const auto usable = [](const fs::path& dir) { return !dir.empty() && fs::exists(dir / "default.nix"); };
  if (const char* value = std::getenv("AGNTOS_NIXPKGS_LIB"); value && usable(value)) return fs::path(value);
  try {
    ProcessOptions options;
    options.timeout = std::chrono::seconds(30);
    const auto found = run_process({"nix-instantiate", "--find-file", "nixpkgs/lib"}, options);
    if (found.ok() && usable(trim(found.out))) return fs::path(trim(found.out));
  } catch (const std::exception&) {
    // no Nix: the fixture below, or nothing
  }
  const fs::path beside = source_dir().parent_path() / "shared" / "nixpkgs-lib" / "lib";
  if (usable(beside)) return fs::canonical(beside);
  return std::nullopt;
}

const OptionsIndex& shipped_options_index(const fs::path& lib) {
  static const OptionsIndex index = [&] {
    const std::string expression =
        "let lib = import " + lib.string() + "; in import " + (source_dir() / "nix/options/index.nix").string() +
        " { inherit lib; inherit (lib.evalModules { modules = [ " + (source_dir() / "nix/options/nixos-common.nix").string() +
        " ]; }) options; }";
    ProcessOptions options;
    options.timeout = std::chrono::minutes(2);
    const auto result = run_process({"nix-instantiate", "--eval", "--strict", "--json", "-E", expression}, options);
    if (!result.ok()) throw std::runtime_error("cannot build the options index: " + result.err);
    return OptionsIndex::from_json(Json::parse(result.out), "nix/options/index.nix");
  }();
  return index;
}

}  // namespace agntos::testing
