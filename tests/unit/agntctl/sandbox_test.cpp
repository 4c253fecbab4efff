// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include <algorithm>

#include "agntctl/sandbox.h"
#include "common/error.h"
#include "common/process.h"
#include "support/temp_dir.h"

namespace agntctl {
namespace {

bool has_sequence(const std::vector<std::string>& argv, const std::vector<std::string>& sequence) {
  return std::search(argv.begin(), argv.end(), sequence.begin(), sequence.end()) != argv.end();
}

TEST(Sandbox, ConfigReadOnlyStateHiddenAndCommandLast) {
  agntos::Paths paths;
  paths.config_dir = "/tmp";  // an existing directory
  paths.state_dir = "/nonexistent-state";
  paths.socket = "/nonexistent-run/agntd.sock";
  agntos::Settings settings;
  try {
    const auto plan = plan_bash("echo hi", paths, settings);
    EXPECT_TRUE(plan.sandboxed);
    EXPECT_TRUE(has_sequence(plan.argv, {"--ro-bind", "/", "/"}));
    EXPECT_TRUE(has_sequence(plan.argv, {"--ro-bind", "/tmp", "/tmp"}));
    EXPECT_TRUE(has_sequence(plan.argv, {"--", "bash", "-c", "echo hi"}));
    EXPECT_EQ(plan.argv.back(), "echo hi");
  } catch (const agntos::Error& e) {
    EXPECT_EQ(e.code(), agntos::Errc::sandbox_missing);
  }
}

TEST(Sandbox, DropsEveryCapabilityInItsOwnUserNamespace) {
  if (!agntos::find_program("bwrap")) GTEST_SKIP() << "bubblewrap not installed";
  agntos::Paths paths;
  paths.config_dir = "/nonexistent-config";
  paths.state_dir = "/nonexistent-state";
  paths.socket = "/nonexistent-run/agntd.sock";
  const auto plan = plan_bash("true", paths, agntos::Settings{});
  EXPECT_TRUE(has_sequence(plan.argv, {"--cap-drop", "ALL"}));
  EXPECT_TRUE(has_sequence(plan.argv, {"--unshare-user", "--disable-userns"}));
  EXPECT_NE(std::find(plan.argv.begin(), plan.argv.end(), "--unshare-pid"), plan.argv.end());
}

TEST(Sandbox, AncestorsBelowAWritableRootBecomeMountPointsAndTheSocketIsCovered) {
  if (!agntos::find_program("bwrap")) GTEST_SKIP() << "bubblewrap not installed";
  agntos::testing::TempDir root;  // under /tmp, which the sandbox may write
  const auto base = std::filesystem::canonical(root.path());
  std::filesystem::create_directories(base / "a" / "b" / "config");
  std::filesystem::create_directories(base / "run");
  agntos::Paths paths;
  paths.config_dir = base / "a" / "b" / "config";
  paths.state_dir = base / "a" / "state";
  paths.socket = base / "run" / "agntd.sock";
  paths.user_skills_dir = base / "xdg" / "agntos" / "skills";
  const auto plan = plan_bash("true", paths, agntos::Settings{});
  for (const auto& dir : {base, base / "a", base / "a" / "b"})
    EXPECT_TRUE(has_sequence(plan.argv, {"--bind", dir.string(), dir.string()})) << dir;
  EXPECT_TRUE(has_sequence(plan.argv, {"--ro-bind", paths.config_dir.string(), paths.config_dir.string()}));
  EXPECT_TRUE(has_sequence(plan.argv, {"--tmpfs", paths.state_dir.string()}));
  EXPECT_TRUE(has_sequence(plan.argv, {"--tmpfs", (base / "run").string()}));
  EXPECT_TRUE(has_sequence(plan.argv, {"--ro-bind", (base / "xdg" / "agntos").string(), (base / "xdg" / "agntos").string()}));
  // The state dir existed for the sandbox to hide, before the sandbox could create it.
  EXPECT_TRUE(std::filesystem::is_directory(paths.state_dir));
}

TEST(Sandbox, OffPolicyRunsPlainBashWithWarning) {
  agntos::Paths paths;
  agntos::Settings settings;
  settings.policy.bash_sandbox = agntos::SandboxPolicy::off;
  const auto plan = plan_bash("true", paths, settings);
  EXPECT_FALSE(plan.sandboxed);
  EXPECT_EQ(plan.argv, (std::vector<std::string>{"bash", "-c", "true"}));
  EXPECT_TRUE(plan.warning.has_value());
}

TEST(Sandbox, ImperativeChangesAreRefusedAndHarmlessCommandsPass) {
  for (const char* command : {"nix-env -i htop", "nix-env -iA nixpkgs.htop", "nix-env --install htop", "nix profile install nixpkgs#hello",
                              "systemctl enable --now sshd", "sudo systemctl restart nginx", "apt install vim",
                              "nixos-rebuild switch", "echo 1 >> /etc/motd", "sed -i s/a/b/ /etc/hosts"}) {
    EXPECT_THROW(refuse_imperative_change(command), agntos::Error) << command;
  }
  for (const char* command : {"ls -la /etc", "cat /etc/os-release", "systemctl status sshd", "nix-env -q",
                              "journalctl -u sshd", "grep -r foo /etc/nixos"}) {
    EXPECT_NO_THROW(refuse_imperative_change(command)) << command;
  }
}

}  // namespace
}  // namespace agntctl
