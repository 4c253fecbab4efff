// SPDX-License-Identifier: MIT
// propose against a package set of nixpkgs' size: the list of names Nix prints is larger than
// the default output cap of a subprocess (found by the benchmark, docs/BENCHMARKS.md).
#include <gtest/gtest.h>

#include <fstream>

#include "common/files.h"
#include "support/agntctl_runner.h"

namespace agntos::testing {
namespace {

// A package set of `count` attributes whose names are long enough that the JSON list of them is
// over 2 MB; "ripgrep" is one of them.
std::filesystem::path big_package_set(const std::filesystem::path& dir, size_t count) {
  std::filesystem::create_directories(dir);
  std::ofstream names(dir / "names.json");
  names << "[\"ripgrep\"";
  for (size_t i = 0; i < count; ++i) names << ",\"python3Packages-generated-package-name-" << i << "\"";
  names << "]\n";
  names.close();
  write_file_atomic(dir / "default.nix",
                    "{ ... }:\nbuiltins.listToAttrs (map (name: { inherit name; value = derivation { inherit name; "
                    "system = builtins.currentSystem; builder = \"/bin/sh\"; args = [ \"-c\" \"echo > $out\" ]; }; })\n"
                    "  (builtins.fromJSON (builtins.readFile ./names.json)))\n");
  return dir;
}

TEST(AgntctlPackageSet, APackageSetWhoseNameListIsOverTheOutputCapIsCheckedWithDidYouMean) {
  AgntctlEnv env;
  env.use_profile_backend();
  const auto pkgs = big_package_set(env.root() / "big-pkgs", 50000);
  write_file_atomic(env.config_dir() / "agntos.toml", "[rebuild]\nbackend = \"profile\"\nconfirm_classes = []\n"
                                                      "[rebuild.profile]\npath = \"" + env.profile().string() +
                                                          "\"\npkgs = \"" + pkgs.string() + "\"\nlib = \"none\"\n");
  const auto found = env.run({"propose", "install", "ripgrep", "--no-build", "--json"});
  EXPECT_EQ(found.exit_code, 0) << found.err;
  const auto typo = env.run({"propose", "install", "ripgrepp", "--no-build"});
  EXPECT_EQ(typo.exit_code, 3) << typo.err;
  EXPECT_NE(typo.err.find("did you mean ripgrep"), std::string::npos) << typo.err;
}

}  // namespace
}  // namespace agntos::testing
