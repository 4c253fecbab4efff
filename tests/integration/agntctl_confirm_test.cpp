// SPDX-License-Identifier: MIT
// Confirm or revert (issue 10 item 5), with real Nix and the profile backend: a change that
// touches remote access or the network stays only if `agntctl confirm` runs in time; otherwise
// a detached watchdog, which outlives agntctl, restores the files and the previous generation
// and audits AutoRevert. Killing agntctl or the watchdog at any moment leaves old or new state,
// and the next agntctl run settles it.
#include <gtest/gtest.h>
#include <signal.h>

#include <random>
#include <thread>

#include "common/audit.h"
#include "common/files.h"
#include "common/process.h"
#include "common/text.h"
#include "support/agntctl_runner.h"
#include "support/killed_run.h"

namespace agntos::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const char* kHostname = "options/networking-hostName.nix";

class ConfirmTimer : public ::testing::Test {
protected:
  void SetUp() override {
    env.use_profile_backend();
    configure("confirm_class_timeout = 3\n");
  }
  void TearDown() override {
    // A watcher still waiting ends by itself when the record goes; do not leave one behind.
    if (const auto pid = watchdog_pid()) ::kill(*pid, SIGKILL);
  }
  // agntos.toml of the profile backend with these extra [rebuild] keys.
  void configure(const std::string& rebuild_keys) {
    write_file_atomic(env.config_dir() / "agntos.toml",
                      "[rebuild]\nbackend = \"profile\"\n" + rebuild_keys + "[rebuild.profile]\npath = \"" +
                          env.profile().string() + "\"\npkgs = \"" + (source_dir() / "nix" / "demo-pkgs").string() + "\"\n");
  }
  std::string propose(const std::vector<std::string>& intent) {
    std::vector<std::string> argv{"propose"};
    argv.insert(argv.end(), intent.begin(), intent.end());
    argv.push_back("--json");
    const auto result = env.run(argv);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.json()["id"].get<std::string>();
  }
  Json apply(const std::vector<std::string>& intent) {
    const auto result = env.run({"apply", propose(intent), "--yes", "--json"});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.json();
  }
  fs::path record() const { return env.config_dir() / ".agntos-confirm.json"; }
  std::optional<pid_t> watchdog_pid() const {
    const auto text = read_file_if_exists(env.config_dir() / ".agntos-confirm-watch.lock");
    if (!text || trim(*text).empty()) return std::nullopt;
    const pid_t pid = std::stoi(trim(*text));
    // Alive, and not a zombie nobody reaped (the watcher's parent is whatever PID 1 is here).
    const auto stat = read_file_if_exists("/proc/" + std::to_string(pid) + "/stat");
    if (!stat) return std::nullopt;
    const auto state = stat->find(") ");
    if (state == std::string::npos || stat->at(state + 2) == 'Z' || stat->at(state + 2) == 'X') return std::nullopt;
    return pid;
  }
  // The hostname the running generation records (manifest.json of the profile backend).
  Json running_hostname() const {
    std::error_code ec;
    const auto system = fs::canonical(env.profile(), ec);
    if (ec) return "no generation";
    const auto manifest = Json::parse(read_file(system / "manifest.json"));
    return manifest["options"].value("networking", Json::object()).value("hostName", Json());
  }
  long long generation() const {
    std::error_code ec;
    const auto target = fs::read_symlink(env.profile(), ec).filename().string();  // system-N-link
    if (ec) return 0;
    return std::stoll(target.substr(target.find('-') + 1));
  }
  std::vector<AuditEntry> entries(const std::string& type) const {
    std::vector<AuditEntry> found;
    for (const auto& entry : AuditLog(env.config_dir() / "audit.jsonl").read_all())
      if (to_string(entry.action.type) == type) found.push_back(entry);
    return found;
  }
  // Waits (without running agntctl) until the record, the journal of the revert and the
  // watchdog are gone.
  bool record_gone_within(std::chrono::milliseconds limit) const {
    const auto until = std::chrono::steady_clock::now() + limit;
    auto settled = [&] {
      return !fs::exists(record()) && !fs::exists(env.config_dir() / ".agntos-journal.json") && !watchdog_pid();
    };
    while (!settled() && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(50ms);
    return settled();
  }
  // The config tree, git HEAD and running generation describe the same state.
  void expect_consistent(const std::string& where) const {
    EXPECT_FALSE(fs::exists(env.config_dir() / ".agntos-journal.json")) << where;
    const auto status = run_process({"git", "-C", env.config_dir().string(), "status", "--porcelain", "--", "packages",
                                     "services", "options", "modules", "home"});
    EXPECT_EQ(status.out, "") << where;
    const bool has_hostname = fs::exists(env.config_dir() / kHostname);
    EXPECT_EQ(running_hostname(), has_hostname ? Json("demo") : Json()) << where;
  }

  AgntctlEnv env;
};

TEST_F(ConfirmTimer, AChangeOutsideTheClassesIsNotGated) {
  const auto installed = apply({"install", "htop"});
  EXPECT_TRUE(installed["action"]["confirm"].is_null()) << installed;
  EXPECT_FALSE(fs::exists(record()));
  EXPECT_FALSE(watchdog_pid());
}

TEST_F(ConfirmTimer, ThePlanAndThePromptSayATimerWillRunAndForHowLong) {
  apply({"install", "htop"});
  const auto id = propose({"set", "networking.hostName", "demo"});
  const auto plan = env.run({"apply", id, "--plan", "--json"}).json();
  ASSERT_TRUE(plan["refusal"].is_null()) << plan;
  EXPECT_EQ(plan["confirm"]["timeout_s"], 3) << plan;
  EXPECT_EQ(plan["confirm"]["classes"], Json::array({"networking"})) << plan;
  EXPECT_EQ(plan["confirm"]["because"], Json::array({"networking.hostName"})) << plan;
  // The effect (what agntd's approval request and the TTY prompt show) says it.
  EXPECT_NE(plan["effect"].get<std::string>().find("3 s confirm-or-revert timer"), std::string::npos) << plan;
  EXPECT_EQ(plan["activation"]["mode"], "switch") << plan;
  const auto text = env.run({"apply", id, "--plan"});
  EXPECT_NE(text.out.find("unless 'agntctl confirm' runs within 3 s"), std::string::npos) << text.out;
  // Without a terminal and without --yes the prompt is not shown; the refusal says nothing changed.
  EXPECT_EQ(env.run({"apply", id}).exit_code, 3);
  EXPECT_FALSE(fs::exists(record()));
}

TEST_F(ConfirmTimer, AnUnconfirmedNetworkChangeIsRevertedByTheWatchdogAfterAgntctlIsGone) {
  const auto first = apply({"install", "htop"});
  ASSERT_EQ(generation(), 1);
  const auto before_head = run_process({"git", "-C", env.config_dir().string(), "rev-parse", "HEAD"}).out;

  const auto changed = apply({"set", "networking.hostName", "demo"});
  const std::string id = changed["id"];
  ASSERT_TRUE(changed["action"]["confirm"].is_object()) << changed;
  EXPECT_EQ(changed["action"]["confirm"]["timeout_s"], 3);
  EXPECT_EQ(generation(), 2);
  EXPECT_EQ(running_hostname(), "demo");
  ASSERT_TRUE(fs::exists(record()));
  ASSERT_TRUE(watchdog_pid()) << "a detached watchdog runs after agntctl exited";

  // No agntctl runs from here: only the watchdog can revert.
  ASSERT_TRUE(record_gone_within(10s));
  EXPECT_EQ(generation(), 1) << "the previous generation is the running one again";
  EXPECT_FALSE(fs::exists(env.config_dir() / kHostname));
  EXPECT_TRUE(running_hostname().is_null());
  expect_consistent("after the automatic revert");
  const auto reverts = entries("AutoRevert");
  ASSERT_EQ(reverts.size(), 1u);
  EXPECT_EQ(reverts[0].undoes, id);
  EXPECT_EQ(reverts[0].action.reverts, id);
  EXPECT_NE(reverts[0].action.reason.value_or("").find("not confirmed within 3 s"), std::string::npos);
  EXPECT_NE(reverts[0].action.reason.value_or("").find("networking"), std::string::npos);
  EXPECT_EQ(reverts[0].generation_after, 1);
  EXPECT_EQ(reverts[0].files_changed, std::vector<std::string>{(env.config_dir() / kHostname).string()});
  const auto head = run_process({"git", "-C", env.config_dir().string(), "log", "-1", "--format=%B"}).out;
  EXPECT_NE(head.find("Audit: " + reverts[0].id), std::string::npos) << head;
  EXPECT_NE(before_head, run_process({"git", "-C", env.config_dir().string(), "rev-parse", "HEAD"}).out);
  EXPECT_FALSE(watchdog_pid()) << "the watchdog ends after the revert";

  // Confirming now is too late and says what happened.
  const auto late = env.run({"confirm", id});
  EXPECT_EQ(late.exit_code, 1);
  EXPECT_NE(late.err.find("reverted by the timer"), std::string::npos) << late.err;
  (void)first;
}

TEST_F(ConfirmTimer, ConfirmInTimeKeepsTheChange) {
  apply({"install", "htop"});
  const auto changed = apply({"set", "networking.hostName", "demo"});
  const std::string id = changed["id"];
  const auto confirmed = env.run({"confirm", "--json"});
  ASSERT_EQ(confirmed.exit_code, 0) << confirmed.err;
  EXPECT_EQ(confirmed.json()["action"]["type"], "Confirm");
  EXPECT_EQ(confirmed.json()["action"]["confirms"], id);
  EXPECT_FALSE(fs::exists(record()));
  std::this_thread::sleep_for(4s);  // past the deadline
  EXPECT_EQ(generation(), 2);
  EXPECT_EQ(running_hostname(), "demo");
  EXPECT_TRUE(fs::exists(env.config_dir() / kHostname));
  EXPECT_TRUE(entries("AutoRevert").empty());
  EXPECT_FALSE(watchdog_pid());
  expect_consistent("after the confirmation");
  const auto again = env.run({"confirm", id});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("confirmed already"), std::string::npos) << again.err;
}

TEST_F(ConfirmTimer, OtherChangesWaitForTheConfirmation) {
  apply({"install", "htop"});
  const std::string waiting = apply({"set", "networking.hostName", "demo"})["id"];
  const auto id = propose({"install", "jq"});
  const auto refused = env.run({"apply", id, "--yes"});
  EXPECT_EQ(refused.exit_code, 4) << refused.err;
  EXPECT_NE(refused.err.find(waiting + " (Applied: Set option: networking.hostName = demo) is waiting for confirmation"),
            std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("agntctl confirm"), std::string::npos) << refused.err;
  EXPECT_EQ(env.run({"apply", id, "--plan", "--json"}).json()["refusal"]["code"], "conflict");
  EXPECT_EQ(env.run({"rollback", "undo", "--yes"}).exit_code, 4);
  ASSERT_EQ(env.run({"confirm", waiting}).exit_code, 0);
  EXPECT_EQ(env.run({"apply", id, "--yes"}).exit_code, 0);
}

// [rebuild] confirm_timeout gates every change; on a fresh profile the revert leaves no generation.
TEST_F(ConfirmTimer, ConfirmTimeoutGatesEveryChangeAndRevertsEvenTheFirstActivation) {
  configure("confirm_timeout = 2\n");
  const auto installed = apply({"install", "htop"});
  ASSERT_TRUE(installed["action"]["confirm"].is_object()) << installed;
  EXPECT_EQ(installed["action"]["confirm"]["timeout_s"], 2);
  EXPECT_TRUE(fs::exists(env.profile() / "sw/bin/htop"));
  ASSERT_TRUE(record_gone_within(10s));
  EXPECT_FALSE(fs::exists(env.profile()));
  EXPECT_FALSE(fs::exists(env.config_dir() / "packages/htop.nix"));
  ASSERT_EQ(entries("AutoRevert").size(), 1u);
  EXPECT_NE(entries("AutoRevert")[0].action.reason.value_or("").find("confirm_timeout"), std::string::npos);
}

// A watchdog killed before the deadline is started again by the next agntctl run; one killed
// after it leaves the revert to the next run.
TEST_F(ConfirmTimer, AKilledWatchdogIsReplacedByTheNextRun) {
  configure("confirm_class_timeout = 4\n");
  apply({"install", "htop"});
  apply({"set", "networking.hostName", "demo"});
  const auto first = watchdog_pid();
  ASSERT_TRUE(first);
  ::kill(*first, SIGKILL);
  std::this_thread::sleep_for(200ms);
  ASSERT_FALSE(watchdog_pid());
  const auto listed = env.run({"rollback", "list"});  // any mutating run
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.err.find("started it again"), std::string::npos) << listed.err;
  const auto second = watchdog_pid();
  ASSERT_TRUE(second);
  EXPECT_NE(*second, *first);
  ASSERT_TRUE(record_gone_within(10s));
  EXPECT_EQ(entries("AutoRevert").size(), 1u);
  expect_consistent("after the replaced watchdog reverted");

  apply({"set", "networking.hostName", "demo"});
  ::kill(*watchdog_pid(), SIGKILL);
  std::this_thread::sleep_for(4500ms);  // past the deadline with no watchdog
  EXPECT_TRUE(fs::exists(record()));
  EXPECT_EQ(running_hostname(), "demo");
  const auto next = env.run({"write", (env.root() / "poke").string(), "--content", "x"});
  ASSERT_EQ(next.exit_code, 0) << next.err;
  EXPECT_FALSE(fs::exists(record()));
  EXPECT_EQ(entries("AutoRevert").size(), 2u);
  expect_consistent("after the next run reverted");
}

int kill_runs() { return std::getenv("AGNTOS_CONFIRM_KILL_RUNS") ? std::atoi(std::getenv("AGNTOS_CONFIRM_KILL_RUNS")) : 8; }

// SIGKILL of agntctl apply (with its process group) at random moments: whatever was written or
// activated, nothing unconfirmed stays once the deadline has passed and one agntctl run settled it.
TEST_F(ConfirmTimer, KillingAgntctlAnywhereNeverLeavesTheChangeUnconfirmed) {
  configure("confirm_class_timeout = 2\n");
  apply({"install", "htop"});
  const auto started = std::chrono::steady_clock::now();
  const auto timed = apply({"set", "networking.hostName", "demo"});
  const auto duration = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
  ASSERT_TRUE(record_gone_within(10s));
  std::mt19937 random(4242);
  int new_seen = 0;
  for (int run = 0; run < kill_runs(); ++run) {
    const auto id = propose({"set", "networking.hostName", "demo"});
    const auto delay = std::chrono::microseconds(std::uniform_int_distribution<long>(0, duration.count())(random));
    run_and_kill(env, {"apply", id, "--yes"}, delay);
    if (fs::exists(env.config_dir() / kHostname)) ++new_seen;
    // Whatever reached the tree was armed first, so the watchdog reverts it once the deadline
    // (2 s after the arming or the activation) has passed, with no agntctl run.
    const auto until = std::chrono::steady_clock::now() + 8s;
    while (fs::exists(env.config_dir() / kHostname) && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(50ms);
    EXPECT_FALSE(fs::exists(env.config_dir() / kHostname)) << "run " << run << ": an unconfirmed change outlived its deadline";
    const auto poke = env.run({"write", (env.root() / "poke").string(), "--content", "x"});
    ASSERT_EQ(poke.exit_code, 0) << poke.err;
    EXPECT_FALSE(fs::exists(env.config_dir() / kHostname)) << "run " << run;
    EXPECT_FALSE(fs::exists(record())) << "run " << run;
    expect_consistent("run " + std::to_string(run));
    fs::remove(env.config_dir() / "proposals" / (id + ".json"));
  }
  std::cout << "[ confirm  ] " << kill_runs() << " kills of apply: the new tree was seen " << new_seen
            << " times, reverted every time\n";
  (void)timed;
}

// SIGKILL of the watchdog at random moments around the deadline, also while it reverts: the next
// agntctl run finishes the job and tree, HEAD and generation agree.
TEST_F(ConfirmTimer, KillingTheWatchdogAnywhereLeavesAConsistentState) {
  configure("confirm_class_timeout = 1\n");
  apply({"install", "htop"});
  std::mt19937 random(777);
  int reverted_by_watchdog = 0;
  int killed_mid_revert = 0;
  for (int run = 0; run < kill_runs(); ++run) {
    const auto changed = apply({"set", "networking.hostName", "demo"});
    const auto pid = watchdog_pid();
    ASSERT_TRUE(pid) << "run " << run;
    // Around the deadline: the revert itself takes a few hundred ms.
    std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(700, 1600)(random)));
    ::kill(*pid, SIGKILL);
    if (fs::exists(env.config_dir() / ".agntos-journal.json")) ++killed_mid_revert;
    std::this_thread::sleep_for(1200ms);  // the deadline has passed
    if (!fs::exists(record())) ++reverted_by_watchdog;
    const auto poke = env.run({"write", (env.root() / "poke").string(), "--content", "x"});
    ASSERT_EQ(poke.exit_code, 0) << poke.err;
    EXPECT_FALSE(fs::exists(record())) << "run " << run;
    EXPECT_FALSE(fs::exists(env.config_dir() / kHostname)) << "run " << run;
    expect_consistent("run " + std::to_string(run));
    size_t reverts = 0;
    for (const auto& entry : entries("AutoRevert")) reverts += entry.undoes == changed["id"] ? 1 : 0;
    EXPECT_EQ(reverts, 1u) << "run " << run << ": exactly one AutoRevert per change";
  }
  std::cout << "[ confirm  ] " << kill_runs() << " watchdog kills: " << reverted_by_watchdog
            << " reverts completed before the kill, " << killed_mid_revert
            << " killed in the middle of the revert, the rest before it; the next run settled every one\n";
}

}  // namespace
}  // namespace agntos::testing
