// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include "common/audit.h"
#include "common/files.h"
#include "support/agntctl_runner.h"

namespace agntos::testing {
namespace {

TEST(AgntctlFiles, WriteEditReadRoundTripLeavesTwoGenericEntries) {
  AgntctlEnv env;
  const auto file = (env.root() / "x").string();
  ASSERT_EQ(env.run({"write", file, "--content", "hi"}).exit_code, 0);
  const auto edit = env.run({"edit", file, "--old", "hi", "--new", "ho", "--json"});
  ASSERT_EQ(edit.exit_code, 0) << edit.err;
  EXPECT_EQ(edit.json()["lines_changed"], Json::array({1}));
  const auto read = env.run({"read", file});
  EXPECT_EQ(read.exit_code, 0);
  EXPECT_NE(read.out.find("1\tho"), std::string::npos) << read.out;

  const auto entries = AuditLog(env.config_dir() / "audit.jsonl").read_all();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].action_type(), "Generic");
  EXPECT_EQ(entries[0].action["tool"], "write_file");
  EXPECT_EQ(entries[1].action["tool"], "edit_file");
  EXPECT_EQ(entries[1].files_changed.at(0), file);
}

TEST(AgntctlFiles, WriteFromStdinAndMkdir) {
  AgntctlEnv env;
  const auto file = env.root() / "new/dir/file.txt";
  EXPECT_EQ(env.run({"write", file.string()}, std::string("piped")).exit_code, 1);  // no --mkdir
  EXPECT_EQ(env.run({"write", file.string(), "--mkdir"}, std::string("piped")).exit_code, 0);
  EXPECT_EQ(read_file(file), "piped");
}

TEST(AgntctlFiles, ConfigAndStateDirsAreRefused) {
  AgntctlEnv env;
  for (const auto& target : {env.config_dir() / "packages/htop.nix", env.state_dir() / "memory/MEMORY.md"}) {
    const auto result = env.run({"write", target.string(), "--content", "x", "--mkdir", "--json"});
    EXPECT_EQ(result.exit_code, 3) << target;
    EXPECT_EQ(result.json()["error"]["code"], "protected_path");
    EXPECT_FALSE(std::filesystem::exists(target));
  }
  write_file_atomic(env.root() / "outside", "a");
  std::filesystem::create_directory_symlink(env.config_dir(), env.root() / "sneaky");
  const auto through_link = env.run({"write", (env.root() / "sneaky/evil.nix").string(), "--content", "x"});
  EXPECT_EQ(through_link.exit_code, 3);
  EXPECT_FALSE(std::filesystem::exists(env.config_dir() / "evil.nix"));
}

TEST(AgntctlFiles, EditRefusesAbsentAndAmbiguousMatches) {
  AgntctlEnv env;
  const auto file = env.root() / "f";
  write_file_atomic(file, "a\nb\na\n");
  auto result = env.run({"edit", file.string(), "--old", "zzz", "--new", "y", "--json"});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.json()["error"]["code"], "no_match");
  result = env.run({"edit", file.string(), "--old", "a", "--new", "y", "--json"});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.json()["error"]["code"], "ambiguous");
  EXPECT_NE(result.err.find("lines 1, 3"), std::string::npos) << result.err;
  EXPECT_EQ(read_file(file), "a\nb\na\n");
  result = env.run({"edit", file.string(), "--old", "a", "--new", "y\nz", "--all", "--json"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(read_file(file), "y\nz\nb\ny\nz\n");
  EXPECT_EQ(result.json()["lines_changed"], Json::array({1, 2, 4, 5}));
}

TEST(AgntctlFiles, ReadPagesAndRefusesBinary) {
  AgntctlEnv env;
  const auto file = env.root() / "lines";
  std::string text;
  for (int i = 1; i <= 10; ++i) text += "line " + std::to_string(i) + "\n";
  write_file_atomic(file, text);
  const auto page = env.run({"read", file.string(), "--offset", "4", "--limit", "2", "--json"}).json();
  EXPECT_EQ(page["total_lines"], 10);
  ASSERT_EQ(page["lines"].size(), 2u);
  EXPECT_EQ(page["lines"][0]["number"], 4);
  EXPECT_EQ(page["lines"][0]["text"], "line 4");
  EXPECT_TRUE(page["more"].get<bool>());

  write_file_atomic(env.root() / "bin", std::string("\x7f" "ELF\0\0\0", 7));
  const auto binary = env.run({"read", (env.root() / "bin").string(), "--json"});
  EXPECT_EQ(binary.exit_code, 3);
  EXPECT_EQ(binary.json()["error"]["code"], "binary_file");
}

}  // namespace
}  // namespace agntos::testing
