// SPDX-License-Identifier: MIT
// Every hint a refusal prints is one the user can follow on this machine (issue 8, obs. 7):
// each test triggers a refusal, reads the fix from the message, follows it literally (the
// setting it names, the command it names) and checks that the refused command then works, or,
// for an install hint, that the package it names is the one that provides the program.
#include <gtest/gtest.h>

#include <cstdlib>

#include "common/files.h"
#include "common/process.h"
#include "common/text.h"
#include "support/agntctl_runner.h"

namespace agntos::testing {
namespace {

namespace fs = std::filesystem;

class AgntctlHintsTest : public ::testing::Test {
protected:
  // A PATH with only `programs` (symlinks to the real ones): the rest is "not installed".
  std::string path_with(std::initializer_list<const char*> programs) {
    const auto bin = env.root() / ("bin-" + std::to_string(++bins));
    make_directories(bin);
    for (const char* program : programs)
      if (const auto found = find_program(program)) fs::create_symlink(*found, bin / program);
    return bin.string();
  }

  std::string demo_pkgs() const { return (source_dir() / "nix" / "demo-pkgs").string(); }

  // --no-build: these tests look at the hints of apply, which builds in its plan.
  std::string propose_hello() {
    const auto proposed = env.run({"propose", "install", "hello", "--no-build", "--json"});
    EXPECT_EQ(proposed.exit_code, 0) << proposed.err;
    return proposed.json().value("id", "");
  }

  AgntctlEnv env;
  int bins = 0;
};

// On Debian (dpkg present), the package an "apt-get install PACKAGE" hint names must be the one
// that ships `program`. Elsewhere the hint is qualified "Debian:" and not checked.
void expect_debian_package_provides(const std::string& message, const std::string& package, const char* program) {
  EXPECT_NE(message.find("Debian: apt-get install " + package), std::string::npos) << message;
  if (!find_program("dpkg-query")) return;
  EXPECT_TRUE(find_program("apt-get").has_value());
  const auto real = find_program(program);
  ASSERT_TRUE(real.has_value()) << program << " is needed by the suite";
  const auto owner = run_process({"dpkg-query", "-S", fs::canonical(*real).string()});
  if (owner.exit_code != 0) GTEST_SKIP() << program << " is not from a Debian package here";
  EXPECT_TRUE(owner.out.starts_with(package + ":")) << owner.out;
}

// Without agntos.toml the backend is "nixos". On a machine without nixos-rebuild, the hint was
// "apt-get install nix-bin", a package with no nixos-rebuild in it; the fix is a setting.
TEST_F(AgntctlHintsTest, ApplyWithoutNixosRebuildNamesTheProfileBackendSettingAndThatSettingWorks) {
  if (find_program("nixos-rebuild")) GTEST_SKIP() << "this machine has nixos-rebuild";
  env.env["NIX_CONFIG"] = "substituters =";
  const auto id = propose_hello();
  const auto refused = env.run({"apply", id, "--yes"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("set [rebuild] backend = \"profile\" and [rebuild.profile] pkgs in agntos.toml"),
            std::string::npos)
      << refused.err;
  EXPECT_EQ(refused.err.find("apt-get"), std::string::npos) << refused.err;

  write_file_atomic(env.config_dir() / "agntos.toml", "[rebuild]\nbackend = \"profile\"\n[rebuild.profile]\npkgs = \"" +
                                                          demo_pkgs() + "\"\n");
  const auto applied = env.run({"apply", id, "--yes"});
  EXPECT_EQ(applied.exit_code, 0) << applied.err;
}

TEST_F(AgntctlHintsTest, ApplyWithoutAPackageSetNamesTheSettingAndAnExistingDemoSet) {
  write_file_atomic(env.config_dir() / "agntos.toml", "[rebuild]\nbackend = \"profile\"\n");
  env.env["NIX_CONFIG"] = "substituters =";
  const auto id = propose_hello();
  const auto refused = env.run({"apply", id, "--yes"});
  EXPECT_EQ(refused.exit_code, 3);  // the plan cannot build it, so nothing is asked or written
  EXPECT_NE(refused.err.find("set [rebuild.profile] pkgs in agntos.toml (for example the demo set " + demo_pkgs() + ")"),
            std::string::npos)
      << refused.err;
  EXPECT_TRUE(fs::exists(fs::path(demo_pkgs()) / "default.nix"));
  env.use_profile_backend();
  EXPECT_EQ(env.run({"apply", id, "--yes"}).exit_code, 0);
}

TEST_F(AgntctlHintsTest, AnUncheckedPackageNamesASettingThatMakesItChecked) {
  write_file_atomic(env.config_dir() / "agntos.toml", "[rebuild]\nbackend = \"profile\"\n");
  const auto unchecked = env.run({"propose", "install", "hello", "--no-build"});
  EXPECT_NE(unchecked.out.find("or [rebuild.profile] pkgs)"), std::string::npos) << unchecked.out;
  env.use_profile_backend();
  const auto checked = env.run({"propose", "install", "no-such-package-xyz"});
  EXPECT_EQ(checked.exit_code, 3) << checked.out << checked.err;
}

TEST_F(AgntctlHintsTest, ProposeWithoutNixNamesTheDebianPackageThatShipsIt) {
  env.use_profile_backend();
  env.env["PATH"] = path_with({"git"});
  const auto refused = env.run({"propose", "install", "hello"});
  EXPECT_EQ(refused.exit_code, 1);
  expect_debian_package_provides(refused.err, "nix-bin", "nix-instantiate");
  const auto expression = env.run({"propose", "set", "time.timeZone", "--nix-expr", "\"UTC\""});
  EXPECT_EQ(expression.exit_code, 1);
  expect_debian_package_provides(expression.err, "nix-bin", "nix-instantiate");
}

TEST_F(AgntctlHintsTest, RunBashWithoutBubblewrapNamesThePackageAndAPolicySettingThatWorks) {
  env.env["PATH"] = path_with({"git", "bash", "sh", "echo"});
  const auto refused = env.run({"bash", "echo hi"});
  EXPECT_EQ(refused.exit_code, 3);
  expect_debian_package_provides(refused.err, "bubblewrap", "bwrap");
  EXPECT_NE(refused.err.find("NixOS: add pkgs.bubblewrap to environment.systemPackages"), std::string::npos);
  EXPECT_EQ(refused.err.find("services.agntos"), std::string::npos) << refused.err;  // no such module ships

  EXPECT_NE(refused.err.find("set [policy] bash_sandbox = \"off\" in agntos.toml"), std::string::npos) << refused.err;
  write_file_atomic(env.config_dir() / "agntos.toml", "[policy]\nbash_sandbox = \"off\"\n");
  const auto unconfined = env.run({"bash", "echo hi"});
  EXPECT_EQ(unconfined.exit_code, 0) << unconfined.err;
  EXPECT_NE(unconfined.out.find("hi"), std::string::npos);
}

TEST_F(AgntctlHintsTest, AMissingConfigDirSaysHowToCreateItAndThatWorks) {
  env.use_profile_backend();
  env.env["NIX_CONFIG"] = "substituters =";
  const auto id = propose_hello();
  const auto saved = env.root() / "saved-config";
  fs::rename(env.config_dir(), saved);
  const auto refused = env.run({"apply", id, "--yes"});
  EXPECT_NE(refused.exit_code, 0);
  const std::string command = "mkdir -p " + env.config_dir().string();
  EXPECT_NE(refused.err.find(command), std::string::npos) << refused.err;
  EXPECT_EQ(refused.err.find("services.agntos"), std::string::npos) << refused.err;
  ASSERT_EQ(run_process({"mkdir", "-p", env.config_dir().string()}).exit_code, 0);
  EXPECT_TRUE(fs::is_directory(env.config_dir()));
}

// agnt pointed at "docs/ for the roadmap", which does not exist; the commands its help names
// must work: `agnt system ARGS` runs agntctl.
TEST_F(AgntctlHintsTest, AgntNamesACommandThatExists) {
  const auto help = run_process({AGNT_BINARY, "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("agnt system ARGS"), std::string::npos) << help.out;
  const auto system = run_process({AGNT_BINARY, "system", "--version"});
  EXPECT_EQ(system.exit_code, 0) << system.err;
  EXPECT_NE(system.out.find("agntctl"), std::string::npos) << system.out;
}

}  // namespace
}  // namespace agntos::testing
