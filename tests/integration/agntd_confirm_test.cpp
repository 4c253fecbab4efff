// SPDX-License-Identifier: MIT
// Confirm or revert through the daemon (issue 10 item 5): the approval request says that a timer
// will run and for how long, agntd confirms a change it applied with a fresh agntctl process,
// and a daemon killed after the activation leaves the revert to the watchdog.
#include <signal.h>

#include <gtest/gtest.h>

#include <thread>

#include "common/files.h"
#include "integration/agntd_daemon.h"
#include "support/agntctl_runner.h"

namespace agntd::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using agntos::testing::AgntctlEnv;

const char* kHostname = "options/networking-hostName.nix";

class AgntdConfirm : public ::testing::Test {
protected:
  void SetUp() override {
    env.use_profile_backend();
    agntos::write_file_atomic(env.config_dir() / "agntos.toml",
                              "[rebuild]\nbackend = \"profile\"\nconfirm_class_timeout = 3\n[rebuild.profile]\npath = \"" +
                                  env.profile().string() + "\"\npkgs = \"" +
                                  (agntos::testing::source_dir() / "nix" / "demo-pkgs").string() + "\"\n");
    daemon.emplace(env);
    ASSERT_TRUE(daemon->wait_ready()) << daemon->output();
  }
  // Asks to rename the machine (a networking change) and returns the approval request.
  Json ask_rename(SocketClient& client) {
    client.send(Json{{"type", "init"}});
    client.expect("session_ready");
    client.send(Json{{"type", "chat"}, {"prompt", "rename this machine to demo"}});
    return client.expect("approval_request");
  }
  size_t entries_of(const std::string& type) const {
    size_t count = 0;
    for (const auto& entry : audit_entries(env)) count += entry["action"]["type"] == type ? 1 : 0;
    return count;
  }

  AgntctlEnv env;
  std::optional<DaemonProcess> daemon;
};

TEST_F(AgntdConfirm, TheApprovalRequestSaysATimerWillRunAndTheDaemonConfirms) {
  auto client = SocketClient(daemon->socket());
  const auto approval = ask_rename(client);
  EXPECT_EQ(approval["confirm_timeout_s"], 3) << approval.dump();
  EXPECT_NE(approval["effect"].get<std::string>().find("3 s confirm-or-revert timer"), std::string::npos) << approval.dump();
  client.send(Json{{"type", "approve"}, {"request_id", approval["request_id"]}});
  std::vector<Json> seen;
  client.expect("turn_complete", &seen);
  bool confirmed = false;
  for (const auto& message : seen)
    if (message["type"] == "progress" && message["text"].get<std::string>().starts_with("confirmed a-")) confirmed = true;
  EXPECT_TRUE(confirmed) << Json(seen).dump();
  EXPECT_FALSE(fs::exists(env.config_dir() / ".agntos-confirm.json"));
  EXPECT_EQ(entries_of("Confirm"), 1u);
  std::this_thread::sleep_for(4s);  // past the deadline
  EXPECT_TRUE(fs::exists(env.config_dir() / kHostname));
  EXPECT_EQ(entries_of("AutoRevert"), 0u);
}

// deploy-rs' magic rollback: the daemon is on the machine, so its own confirmation would prove
// nothing about the user still reaching it. A client that never confirms (a script on the
// socket) leaves the change to the watchdog.
TEST_F(AgntdConfirm, AClientThatNeverConfirmsLeavesTheRevertToTheWatchdog) {
  auto client = SocketClient(daemon->socket());
  const auto approval = ask_rename(client);
  client.send(Json{{"type", "approve"}, {"request_id", approval["request_id"]}});
  std::vector<Json> seen;
  client.expect("turn_complete", &seen);
  EXPECT_EQ(entries_of("Confirm"), 0u) << "the daemon confirmed by itself: " << Json(seen).dump();
  EXPECT_TRUE(fs::exists(env.config_dir() / ".agntos-confirm.json")) << Json(seen).dump();
  const auto until = std::chrono::steady_clock::now() + 30s;
  while (entries_of("AutoRevert") == 0 && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(100ms);
  EXPECT_EQ(entries_of("AutoRevert"), 1u) << Json(audit_entries(env)).dump();
  EXPECT_EQ(entries_of("Confirm"), 0u);
  EXPECT_FALSE(fs::exists(env.config_dir() / kHostname));
}

// SIGKILL of agntd once the timer is armed: the apply it started may finish or die with it, but
// nothing confirms, and the watchdog puts the previous system back with no agntctl or agntd running.
TEST_F(AgntdConfirm, KillingTheDaemonAfterTheActivationLeavesTheRevertToTheWatchdog) {
  auto client = SocketClient(daemon->socket());
  const auto approval = ask_rename(client);
  client.send(Json{{"type", "approve"}, {"request_id", approval["request_id"]}});
  for (;;) {
    const auto message = client.next(60s);
    ASSERT_TRUE(message) << "no progress says the timer is armed";
    if ((*message)["type"] == "progress" &&
        (*message)["text"].get<std::string>().find("confirm-or-revert timer is armed") != std::string::npos)
      break;
  }
  daemon->stop(SIGKILL);
  const auto until = std::chrono::steady_clock::now() + 20s;
  // The apply either activated (then the watchdog reverts it: AutoRevert) or died with the
  // daemon before that (then the watchdog reverts the interrupted transaction: Recover).
  auto reverted = [&] {
    size_t reverts = 0;
    for (const auto& entry : audit_entries(env))
      reverts += entry["action"]["type"] == "AutoRevert" ||
                 (entry["action"]["type"] == "Recover" && entry["summary"].get<std::string>().starts_with("Reverted"));
    return reverts == 1 && !fs::exists(env.config_dir() / ".agntos-confirm.json") &&
           !fs::exists(env.config_dir() / ".agntos-journal.json");
  };
  while (!reverted() && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(100ms);
  ASSERT_TRUE(reverted()) << "record: " << agntos::read_file_if_exists(env.config_dir() / ".agntos-confirm.json").value_or("none")
                         << "\njournal: " << agntos::read_file_if_exists(env.config_dir() / ".agntos-journal.json").value_or("none")
                         << "\naudit: " << Json(audit_entries(env)).dump()
                         << "\nwatch lock: " << agntos::read_file_if_exists(env.config_dir() / ".agntos-confirm-watch.lock").value_or("none");
  EXPECT_FALSE(fs::exists(env.config_dir() / kHostname));
  EXPECT_FALSE(fs::exists(env.profile())) << "the rename was the first generation: none is left running";
}

}  // namespace
}  // namespace agntd::testing
