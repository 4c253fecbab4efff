// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <thread>

#include "common/audit.h"
#include "common/audit_index.h"
#include "common/files.h"
#include "common/ids.h"
#include "common/paths.h"
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
  const auto list = env.run({"audit", "--json", "--limit", "1", "--all"}).json();
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
  EXPECT_EQ(env.run({"audit", "--json", "--all"}).json()["count"], 1);
}

// Appends an entry of `type` at `timestamp` to the config dir's log.
void append(const AgntctlEnv& env, const std::string& type, const std::string& timestamp = iso8601_now()) {
  auto entry = AuditEntry::make(parse_enum<AuditActionType>(type), type + " entry");
  entry.timestamp = timestamp;
  AuditLog(env.config_dir() / "audit.jsonl").append(entry);
}

std::vector<std::string> types_listed(const CliResult& result) {
  std::vector<std::string> types;
  const auto json = result.json();
  for (const auto& entry : json["entries"]) types.push_back(entry["action"]["type"]);
  return types;
}

// Issue 8, observation 8: a short session had 16 Generic entries among 37, and list could not
// filter. The default list shows the changes; --all adds the tools' entries.
TEST(AgntctlAudit, ListShowsSystemChangesByDefaultAndAllAddsGenericEntries) {
  AgntctlEnv env;
  env.use_profile_backend();
  env.run({"write", (env.root() / "notes").string(), "--content", "1"});
  const auto id = env.run({"propose", "install", "hello", "--json"}).json()["id"].get<std::string>();
  ASSERT_EQ(env.run({"apply", id, "--yes"}).exit_code, 0);
  env.run({"edit", (env.root() / "notes").string(), "--old", "1", "--new", "2"});

  const auto changes = env.run({"audit", "list", "--json"});
  EXPECT_EQ(types_listed(changes), (std::vector<std::string>{"Apply"}));
  EXPECT_EQ(changes.json()["hidden"], 2);
  const auto text = env.run({"audit", "list"});
  EXPECT_NE(text.out.find("Applied: Install package: hello"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("(2 Generic entries of write_file, edit_file and run_bash not shown: --all shows them)"),
            std::string::npos)
      << text.out;

  const auto all = env.run({"audit", "list", "--all", "--json"});
  EXPECT_EQ(types_listed(all), (std::vector<std::string>{"Generic", "Apply", "Generic"}));
  EXPECT_EQ(all.json()["hidden"], 0);
  EXPECT_EQ(env.run({"audit", "list", "--all"}).out.find("not shown"), std::string::npos);
}

TEST(AgntctlAudit, TypeIsRepeatableAndTakesCommaLists) {
  AgntctlEnv env;
  for (const char* type : {"Apply", "Generic", "Undo", "Rollback", "Recover", "Propose", "Generic"}) append(env, type);
  EXPECT_EQ(types_listed(env.run({"audit", "list", "--type", "undo", "--type", "rollback", "--json"})),
            (std::vector<std::string>{"Rollback", "Undo"}));
  EXPECT_EQ(types_listed(env.run({"audit", "list", "--type", "apply,Generic", "--json"})),
            (std::vector<std::string>{"Generic", "Generic", "Apply"}));
  EXPECT_EQ(types_listed(env.run({"audit", "list", "--type=recover,propose", "--json"})),
            (std::vector<std::string>{"Propose", "Recover"}));
  EXPECT_EQ(types_listed(env.run({"audit", "list", "--json"})),
            (std::vector<std::string>{"Propose", "Recover", "Rollback", "Undo", "Apply"}));

  const auto unknown = env.run({"audit", "list", "--type", "install"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("unknown audit entry type 'install'"), std::string::npos) << unknown.err;
  EXPECT_EQ(env.run({"audit", "list", "--type", "apply", "--all"}).exit_code, 2);
}

TEST(AgntctlAudit, SinceTakesADateOrADurationAndTheLimitCountsWhatIsShown) {
  AgntctlEnv env;
  append(env, "Apply", "2020-01-01T08:00:00.000Z");
  append(env, "Undo", "2020-01-02T08:00:00.000Z");
  append(env, "Rollback");
  append(env, "Apply");
  EXPECT_EQ(types_listed(env.run({"audit", "list", "--since", "2h", "--json"})),
            (std::vector<std::string>{"Apply", "Rollback"}));
  EXPECT_EQ(types_listed(env.run({"audit", "list", "--since", "2020-01-02", "--json"})),
            (std::vector<std::string>{"Apply", "Rollback", "Undo"}));
  EXPECT_EQ(types_listed(env.run({"audit", "list", "--since", "2020-01-01T09:00", "--type", "undo", "--json"})),
            (std::vector<std::string>{"Undo"}));
  EXPECT_EQ(types_listed(env.run({"audit", "list", "--since", "2019-12-31", "--limit", "3", "--json"})),
            (std::vector<std::string>{"Apply", "Rollback", "Undo"}));
  const auto none = env.run({"audit", "list", "--since", "2099-01-01"});
  EXPECT_EQ(none.exit_code, 0);
  EXPECT_EQ(none.out, "no audit entry matches\n");

  const auto bad = env.run({"audit", "list", "--since", "yesterday"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("3d"), std::string::npos) << bad.err;
}

// The audit index is only a cache: when its file cannot be used (here a directory stands where
// it should be), list, show and search read the logs through an index built for the one run.
TEST(AgntctlAudit, AnUnusableIndexFileDoesNotStopTheLogBeingRead) {
  AgntctlEnv env;
  append(env, "Apply");
  Paths paths;
  paths.state_dir = env.state_dir();
  std::filesystem::create_directories(audit_index_file(paths) / "in-the-way");
  const auto list = env.run({"audit", "list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  ASSERT_EQ(list.json()["count"], 1);
  const auto id = list.json()["entries"][0]["id"].get<std::string>();
  EXPECT_EQ(env.run({"audit", "show", id}).exit_code, 0);
  EXPECT_EQ(env.run({"audit", "search", "entry", "--json"}).json()["count"], 1);
}

// The JSON of audit list has the same keys whatever the filter, and every entry all its keys.
TEST(AgntctlAudit, ListJsonHasOneShapeWhateverTheFilter) {
  AgntctlEnv env;
  append(env, "Apply");
  append(env, "Generic");
  const std::vector<std::string> keys{"count", "entries", "filter", "hidden"};
  const auto full_entry = AuditEntry::make(AuditActionType::apply, "x").to_json();
  for (const auto& args : std::vector<std::vector<std::string>>{{"audit", "list", "--json"},
                                                                {"audit", "list", "--all", "--json"},
                                                                {"audit", "list", "--type", "undo", "--json"},
                                                                {"audit", "list", "--since", "1d", "--json"}}) {
    const auto json = env.run(args).json();
    std::vector<std::string> found;
    for (const auto& [key, value] : json.items()) found.push_back(key);
    std::sort(found.begin(), found.end());
    EXPECT_EQ(found, keys) << json.dump();
    for (const char* key : {"types", "all", "since"}) EXPECT_TRUE(json["filter"].contains(key)) << json.dump();
    for (const auto& entry : json["entries"])
      for (const auto& [key, value] : full_entry.items()) EXPECT_TRUE(entry.contains(key)) << key;
  }
  const auto filtered = env.run({"audit", "list", "--type", "apply,undo", "--since", "2026-01-01", "--json"}).json();
  EXPECT_EQ(filtered["filter"]["types"], (Json{"Apply", "Undo"}));
  EXPECT_EQ(filtered["filter"]["since"], "2026-01-01T00:00:00.000Z");
  EXPECT_EQ(env.run({"audit", "list", "--json"}).json()["filter"]["since"], nullptr);
}

TEST(AgntctlAudit, ListFiltersAreRefusedElsewhere) {
  AgntctlEnv env;
  append(env, "Apply");
  EXPECT_EQ(env.run({"audit", "search", "Apply", "--type", "apply"}).exit_code, 2);
  EXPECT_EQ(env.run({"audit", "--query", "Apply", "--since", "1d"}).exit_code, 2);
  EXPECT_EQ(env.run({"audit", "show", "a-1", "--all"}).exit_code, 2);
}

}  // namespace
}  // namespace agntos::testing
