// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "common/audit.h"
#include "common/files.h"
#include "support/agntctl_runner.h"

namespace agntos::testing {
namespace {

TEST(AgntctlAudit, ConcurrentProcessesLoseNoEntries) {
  AgntctlEnv env;
  constexpr int kProcesses = 8;
  constexpr int kEach = 125;
  std::vector<std::thread> workers;
  for (int p = 0; p < kProcesses; ++p) {
    workers.emplace_back([&, p] {
      for (int i = 0; i < kEach; ++i)
        env.run({"write", (env.root() / ("f" + std::to_string(p))).string(), "--content", std::to_string(i)});
    });
  }
  for (auto& worker : workers) worker.join();
  std::ifstream in(env.config_dir() / "audit.jsonl");
  int lines = 0;
  for (std::string line; std::getline(in, line); ++lines) ASSERT_TRUE(Json::accept(line)) << line;
  EXPECT_EQ(lines, kProcesses * kEach);
}

TEST(AgntctlAudit, ListShowSearch) {
  AgntctlEnv env;
  env.run({"write", (env.root() / "alpha").string(), "--content", "1"});
  env.run({"write", (env.root() / "beta").string(), "--content", "2"});
  const auto list = env.run({"audit", "--json", "--limit", "1"}).json();
  ASSERT_EQ(list["entries"].size(), 1u);
  const std::string newest = list["entries"][0]["id"];
  EXPECT_NE(list["entries"][0]["summary"].get<std::string>().find("beta"), std::string::npos);

  const auto show = env.run({"audit", "show", newest, "--json"});
  EXPECT_EQ(show.exit_code, 0);
  EXPECT_EQ(show.json()["id"], newest);
  EXPECT_EQ(env.run({"audit", "show", "a-nope", "--json"}).exit_code, 1);

  const auto search = env.run({"audit", "search", "alpha", "--json"}).json();
  ASSERT_EQ(search["entries"].size(), 1u);
  EXPECT_NE(search["entries"][0]["summary"].get<std::string>().find("alpha"), std::string::npos);
  EXPECT_EQ(env.run({"audit", "--query", "beta", "--json"}).json()["count"], 1);
}

TEST(AgntctlAudit, ReadOnlyConfigDirSendsEntriesToStateDir) {
  if (::geteuid() == 0) GTEST_SKIP() << "root can write a read-only directory";
  AgntctlEnv env;
  std::filesystem::permissions(env.config_dir(), std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
  env.run({"write", (env.root() / "x").string(), "--content", "1"});
  std::filesystem::permissions(env.config_dir(), std::filesystem::perms::owner_all);
  EXPECT_EQ(AuditLog(env.state_dir() / "audit.jsonl").read_all().size(), 1u);
  EXPECT_EQ(env.run({"audit", "--json"}).json()["count"], 1);
}

}  // namespace
}  // namespace agntos::testing
