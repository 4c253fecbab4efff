// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>
#include <signal.h>

#include "common/files.h"
#include "common/process.h"
#include "support/agntctl_runner.h"

namespace agntos::testing {
namespace {

using namespace std::chrono_literals;

TEST(AgntctlBash, CapturesOutputAndExitCode) {
  AgntctlEnv env;
  const auto result = env.run({"bash", "echo hello; echo oops >&2; exit 7", "--json"});
  EXPECT_EQ(result.exit_code, 1);
  const auto json = result.json();
  EXPECT_EQ(json["exit_code"], 7);
  EXPECT_EQ(json["stdout"], "hello\n");
  EXPECT_EQ(json["stderr"], "oops\n");
}

TEST(AgntctlBash, TimeoutKillsTheWholeGroupPromptly) {
  AgntctlEnv env;
  const auto marker = env.root() / "pids";
  const auto started = std::chrono::steady_clock::now();
  // A duration no other test uses, so pgrep finds only this test's processes.
  const auto result = env.run({"bash", "sleep 987 & echo $! > " + marker.string() + "; sleep 987", "--timeout", "1",
                               "--json"});
  const auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_LT(elapsed, 10s);  // generous bound for a loaded machine; the benchmark reports the real figure
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(result.json()["timed_out"].get<bool>());
  // The background sleep ran in the sandbox's PID namespace; whatever its pid, no `sleep 987`
  // may survive.
  const auto survivors = run_process({"pgrep", "-xf", "sleep 987"});
  EXPECT_NE(survivors.exit_code, 0) << "left behind: " << survivors.out;
}

TEST(AgntctlBash, OutputIsCappedWithAMarker) {
  AgntctlEnv env;
  const auto result = env.run({"bash", "head -c 5000 /dev/zero | tr '\\0' x", "--max-output", "100", "--json"});
  const auto json = result.json();
  EXPECT_EQ(json["stdout"].get<std::string>().size(), 100u);
  EXPECT_TRUE(json["stdout_truncated"].get<bool>());
}

TEST(AgntctlBash, ImperativeSystemChangesPointToPropose) {
  AgntctlEnv env;
  for (const char* command : {"nix-env -iA nixpkgs.htop", "nix profile install nixpkgs#htop",
                              "sudo systemctl enable sshd", "apt-get install -y htop", "echo x > /etc/hosts"}) {
    const auto result = env.run({"bash", command, "--json"});
    EXPECT_EQ(result.exit_code, 3) << command;
    EXPECT_NE(result.err.find("propose"), std::string::npos) << command;
  }
}

TEST(AgntctlBash, SandboxKeepsConfigReadOnlyAndStateHidden) {
  if (!find_program("bwrap")) GTEST_SKIP() << "bubblewrap not installed";
  AgntctlEnv env;
  write_file_atomic(env.state_dir() / "secret", "s3cret");
  const auto write = env.run({"bash", "echo evil > " + (env.config_dir() / "evil.nix").string(), "--json"});
  EXPECT_EQ(write.exit_code, 1);
  EXPECT_FALSE(std::filesystem::exists(env.config_dir() / "evil.nix"));
  const auto read = env.run({"bash", "cat " + (env.state_dir() / "secret").string(), "--json"});
  EXPECT_EQ(read.exit_code, 1);
  EXPECT_EQ(read.json()["stdout"], "");
  EXPECT_TRUE(read.json()["sandboxed"].get<bool>());
}

TEST(AgntctlBash, RequiredSandboxWithoutBubblewrapRefuses) {
  AgntctlEnv env;
  env.env["PATH"] = "/nonexistent";
  const auto result = env.run({"bash", "true", "--json"});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.json()["error"]["code"], "sandbox_missing");
  EXPECT_NE(result.err.find("bubblewrap"), std::string::npos);
}

TEST(AgntctlBash, RunsAGenericAuditEntry) {
  AgntctlEnv env;
  env.run({"bash", "true"});
  const auto list = env.run({"audit", "list", "--type", "generic", "--json"}).json();
  ASSERT_EQ(list["entries"].size(), 1u);
  EXPECT_EQ(list["entries"][0]["action"]["tool"], "run_bash");
}

}  // namespace
}  // namespace agntos::testing
