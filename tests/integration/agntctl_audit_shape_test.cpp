// SPDX-License-Identifier: MIT
// The audit entry has one fixed shape (docs/audit.md): the real agntctl writes an entry of every
// action type it knows, with both results, and every line of the log has the same keys, the
// same keys in `action` and the same keys in `result` (null for nothing, no keys that come and
// go). Real Nix, the profile backend, the detached confirm watchdog.
#include <gtest/gtest.h>
#include <signal.h>

#include <set>
#include <thread>

#include "common/audit.h"
#include "common/files.h"
#include "common/text.h"
#include "support/agntctl_runner.h"

namespace agntos::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

using Keys = std::set<std::string>;

Keys keys_of(const Json& object) {
  Keys keys;
  if (object.is_object())
    for (const auto& [key, value] : object.items()) keys.insert(key);
  return keys;
}

class AuditShape : public ::testing::Test {
protected:
  void SetUp() override { env.use_profile_backend(); }
  void TearDown() override {
    // A confirm watchdog ends by itself when its record goes; never leave one behind.
    const auto text = read_file_if_exists(env.config_dir() / ".agntos-confirm-watch.lock");
    if (text && !trim(*text).empty() && all_digits(trim(*text))) ::kill(std::stoi(trim(*text)), SIGKILL);
  }
  void settings(const std::string& rebuild_keys, const std::string& backend = "profile") {
    write_file_atomic(env.config_dir() / "agntos.toml",
                      "[rebuild]\nbackend = \"" + backend + "\"\n" + rebuild_keys + "[rebuild.profile]\npath = \"" +
                          env.profile().string() + "\"\npkgs = \"" + (source_dir() / "nix" / "demo-pkgs").string() + "\"\n");
  }
  std::string propose(const std::vector<std::string>& intent) {
    std::vector<std::string> argv{"propose"};
    argv.insert(argv.end(), intent.begin(), intent.end());
    argv.insert(argv.end(), {"--prompt", "asked in a test", "--json"});
    const auto result = env.run(argv);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.json().value("id", "");
  }
  CliResult run(const std::vector<std::string>& argv, int expected = 0) {
    const auto result = env.run(argv);
    EXPECT_EQ(result.exit_code, expected) << join(argv, " ") << "\n" << result.err;
    return result;
  }
  // Every line of both audit logs, parsed, oldest first within each log.
  std::vector<Json> lines() const {
    std::vector<Json> all;
    for (const auto& log : {env.config_dir() / "audit.jsonl", env.state_dir() / "audit.jsonl"}) {
      const auto text = read_file_if_exists(log);
      if (!text) continue;
      for (const auto& line : split_lines(*text))
        if (!trim(line).empty()) all.push_back(Json::parse(line));
    }
    return all;
  }

  AgntctlEnv env;
};

TEST_F(AuditShape, EveryActionTypeAndResultIsWrittenWithTheSameKeys) {
  settings("");
  // Apply, then a Recover of a transaction a crash left before it changed anything.
  run({"apply", propose({"install", "htop"}), "--yes"});
  write_file_atomic(env.config_dir() / ".agntos-journal.json",
                    R"({"version":1,"audit_id":"a-18ead5e6913df5f7","phase":"writing","generation_before":1,)"
                    R"("generation_after":null,"activated":null,"mode":null,"activated_at_ms":null,)"
                    R"("request":{"kind":"Apply","summary":"Applied: interrupted","changes":[]},"files":[]})");
  run({"apply", propose({"install", "btop"}), "--yes"});
  EXPECT_FALSE(fs::exists(env.config_dir() / ".agntos-journal.json"));
  // Undo, Rollback, Discard, Generic.
  run({"rollback", "undo", "--yes"});
  run({"rollback", "generation", "1", "--yes"});
  run({"proposals", "discard", propose({"install", "ripgrep"})});
  run({"write", (env.root() / "note.txt").string(), "--content", "hello"});
  // A Failed apply: the nixos backend has no nixos-rebuild here.
  const auto failing = propose({"install", "hello"});
  settings("", "nixos");
  run({"apply", failing, "--yes"}, 1);
  // Confirm, then an AutoRevert past the deadline.
  settings("confirm_timeout = 30\n");
  run({"apply", propose({"set", "networking.hostName", "demo"}), "--yes"});
  run({"confirm"});
  settings("confirm_timeout = 1\n");
  run({"apply", propose({"set", "networking.hostName", "other"}), "--yes"});
  std::this_thread::sleep_for(1500ms);
  env.run({"confirm"});  // past the deadline: the watchdog or this run reverts it
  for (int i = 0; i < 100 && fs::exists(env.config_dir() / ".agntos-confirm.json"); ++i) std::this_thread::sleep_for(100ms);

  const auto entries = lines();
  ASSERT_FALSE(entries.empty());
  std::set<std::string> types;
  std::set<std::string> statuses;
  for (const auto& entry : entries) {
    types.insert(entry["action"].value("type", "?"));
    statuses.insert(entry["result"].value("status", "?"));
    EXPECT_EQ(keys_of(entry), keys_of(entries.front())) << entry.dump();
    EXPECT_EQ(keys_of(entry["action"]), keys_of(entries.front()["action"])) << entry.dump();
    EXPECT_EQ(keys_of(entry["result"]), keys_of(entries.front()["result"])) << entry.dump();
  }
  // Every type agntctl writes was written (Propose is only read, from the earlier prototype).
  for (const char* type : {"Apply", "Recover", "Undo", "Rollback", "Discard", "Generic", "Confirm", "AutoRevert"})
    EXPECT_TRUE(types.count(type)) << type;
  EXPECT_TRUE(statuses.count("Success") && statuses.count("Failed"));
}

}  // namespace
}  // namespace agntos::testing
