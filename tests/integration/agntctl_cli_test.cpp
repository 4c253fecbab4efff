// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include "support/agntctl_runner.h"

namespace agntos::testing {
namespace {

TEST(AgntctlCli, HelpListsEveryCommand) {
  AgntctlEnv env;
  const auto result = env.run({"--help"});
  EXPECT_EQ(result.exit_code, 0);
  for (const char* name : {"inspect", "audit", "read_file", "write_file", "edit_file", "run_bash"})
    EXPECT_NE(result.out.find(name), std::string::npos) << name;
}

TEST(AgntctlCli, EveryCommandHasHelp) {
  AgntctlEnv env;
  for (const char* name : {"inspect", "audit", "read", "write", "edit", "bash"}) {
    const auto result = env.run({name, "--help"});
    EXPECT_EQ(result.exit_code, 0) << name;
    EXPECT_NE(result.out.find("--json"), std::string::npos) << name;
  }
}

TEST(AgntctlCli, UnknownCommandIsUsageErrorWithJson) {
  AgntctlEnv env;
  const auto result = env.run({"--json", "frobnicate"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.json()["error"]["code"], "usage");
  EXPECT_NE(result.err.find("frobnicate"), std::string::npos);
}

TEST(AgntctlCli, BadOptionIsUsageError) {
  AgntctlEnv env;
  const auto result = env.run({"read", "/etc/hostname", "--no-such-flag", "--json"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.json()["error"]["code"], "usage");
}

TEST(AgntctlCli, VersionPrints) {
  AgntctlEnv env;
  const auto result = env.run({"--version"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.out.find("agntctl "), std::string::npos);
}

}  // namespace
}  // namespace agntos::testing
