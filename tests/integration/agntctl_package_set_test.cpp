// SPDX-License-Identifier: MIT
// propose against a package set of nixpkgs' size: the list of names Nix prints is larger than
// the default output cap of a subprocess (found by the benchmark, docs/BENCHMARKS.md).
#include <gtest/gtest.h>

#include <fstream>

#include "common/files.h"
#include "common/process.h"
#include "common/text.h"
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

void use_package_set(const AgntctlEnv& env, const std::filesystem::path& pkgs) {
  write_file_atomic(env.config_dir() / "agntos.toml", "[rebuild]\nbackend = \"profile\"\nconfirm_classes = []\n"
                                                      "[rebuild.profile]\npath = \"" + env.profile().string() +
                                                          "\"\npkgs = \"" + pkgs.string() + "\"\nlib = \"none\"\n");
}

std::vector<std::filesystem::path> cached_lists(const AgntctlEnv& env) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& file : std::filesystem::directory_iterator(env.state_dir() / "package-names", ec)) files.push_back(file.path());
  return files;
}

TEST(AgntctlPackageSet, APackageSetWhoseNameListIsOverTheOutputCapIsCheckedWithDidYouMean) {
  AgntctlEnv env;
  env.use_profile_backend();
  const auto pkgs = big_package_set(env.root() / "big-pkgs", 50000);
  use_package_set(env, pkgs);
  const auto found = env.run({"propose", "install", "ripgrep", "--no-build", "--json"});
  EXPECT_EQ(found.exit_code, 0) << found.err;
  const auto typo = env.run({"propose", "install", "ripgrepp", "--no-build"});
  EXPECT_EQ(typo.exit_code, 3) << typo.err;
  EXPECT_NE(typo.err.find("did you mean ripgrep"), std::string::npos) << typo.err;
}

// Issue 14: listing nixpkgs' names costs a quarter of a second per propose. A set in the Nix
// store never changes, so its names are listed once and read from the state dir after that; a
// set outside the store (its files can change) is listed every time and never cached.
TEST(AgntctlPackageSet, ASetInTheNixStoreIsListedOnceAndASetOutsideItEveryTime) {
  AgntctlEnv env;
  env.use_profile_backend();
  const auto outside = big_package_set(env.root() / "pkgs", 10);
  use_package_set(env, outside);
  ASSERT_EQ(env.run({"propose", "install", "ripgrep", "--no-build"}).exit_code, 0);
  EXPECT_TRUE(cached_lists(env).empty());

  const auto added = run_process({"nix-store", "--add", outside.string()});
  if (!added.ok()) GTEST_SKIP() << "cannot add to the Nix store here: " << added.err;
  const std::string store_path = trim(added.out);
  use_package_set(env, store_path);
  ASSERT_EQ(env.run({"propose", "install", "ripgrep", "--no-build"}).exit_code, 0);
  const auto lists = cached_lists(env);
  ASSERT_EQ(lists.size(), 1u);
  EXPECT_NE(read_file(lists[0]).find("\nripgrep\n"), std::string::npos);
  EXPECT_EQ(std::filesystem::status(lists[0]).permissions() & std::filesystem::perms::all, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);

  // The second propose reads the list: a name only the list has is found, and "did you mean"
  // draws on it too.
  write_file_atomic(lists[0], read_file(lists[0]) + "zzz-only-in-the-list\n", 0600);
  EXPECT_EQ(env.run({"propose", "install", "zzz-only-in-the-list", "--no-build"}).exit_code, 0);
  const auto typo = env.run({"propose", "install", "zzz-only-in-the-lst", "--no-build"});
  EXPECT_EQ(typo.exit_code, 3);
  EXPECT_NE(typo.err.find("did you mean zzz-only-in-the-list"), std::string::npos) << typo.err;
}

}  // namespace
}  // namespace agntos::testing
