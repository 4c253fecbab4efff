// SPDX-License-Identifier: MIT
// The command table is behaviour: these tests iterate it, so a command or action added, removed or
// re-flagged in src/agntctl/command_table.cpp changes what they check.
#include <gtest/gtest.h>

#include <cstdlib>
#include <set>
#include <stdexcept>

#include "agntctl/command_table.h"
#include "agntctl/commands.h"
#include "agntd/tools.h"
#include "common/error.h"
#include "common/vocabulary.h"
#include "support/temp_dir.h"

namespace agntctl {
int dispatch(int argc, char** argv);
namespace {

// Runs dispatch on `args` and returns what it printed on stdout; `status` gets its exit status.
std::string run(std::vector<std::string> args, int& status) {
  args.insert(args.begin(), "agntctl");
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  ::testing::internal::CaptureStdout();
  status = dispatch(static_cast<int>(argv.size()), argv.data());
  return ::testing::internal::GetCapturedStdout();
}

TEST(CommandTable, EveryCommandHasHelpAndAppearsInTheUsage) {
  int status = -1;
  const auto usage = run({"--help"}, status);
  EXPECT_EQ(status, 0);
  ASSERT_FALSE(command_table().empty());
  for (const auto& command : command_table()) {
    EXPECT_NE(usage.find(std::string("\n  ") + command.name), std::string::npos) << command.name;
    EXPECT_NE(usage.find(command.summary), std::string::npos) << command.name;
    const auto help = run({command.name, "--help"}, status);
    EXPECT_EQ(status, 0) << command.name;
    EXPECT_NE(help.find(std::string("agntctl ") + command.name), std::string::npos) << help;
    if (command.alias) {
      EXPECT_EQ(find_command(command.alias), &command);
    }
    // Only an action that asks has --yes; every command that has one says so in the usage.
    EXPECT_EQ(help.find("--yes") != std::string::npos, command.asks()) << command.name;
    const auto line = usage.substr(usage.find(std::string("\n  ") + command.name));
    EXPECT_EQ(line.substr(0, line.find('\n', 1)).find("for confirmation]") != std::string::npos, command.asks())
        << command.name;
  }
}

TEST(CommandTable, TheUsageNamesTheActionsThatAskNotTheCommand) {
  int status = -1;
  const auto usage = run({"--help"}, status);
  const auto rollback = usage.substr(usage.find("\n  rollback"));
  EXPECT_NE(rollback.substr(0, rollback.find('\n', 1)).find("[undo, generation ask for confirmation]"), std::string::npos)
      << usage;
  const auto apply = usage.substr(usage.find("\n  apply"));
  EXPECT_NE(apply.substr(0, apply.find('\n', 1)).find("[asks for confirmation]"), std::string::npos) << usage;
}

TEST(CommandTable, ActionWordsAreTheSharedVocabulary) {
  const auto* rollback = find_command("rollback");
  ASSERT_NE(rollback, nullptr);
  ASSERT_EQ(rollback->actions.size(), agntos::kRollbackActions.size());
  for (size_t i = 0; i < rollback->actions.size(); ++i)
    EXPECT_EQ(rollback->actions[i].name, agntos::kRollbackActions[i].name);
}

// What the agent's gate stops for is exactly what agntctl asks the human for: a gated tool action
// drives an agntctl action that asks, and an agntctl action that asks is reachable from the agent
// only through a gated tool action.
TEST(CommandTable, EveryGatedToolActionDrivesAConfirmingActionAndNoOtherAsks) {
  std::set<std::pair<std::string, std::string>> gated;
  for (const auto& tool : agntd::tool_table()) {
    if (!tool.gate.gated()) continue;
    const auto* command = find_command(tool.gate.drives);
    ASSERT_NE(command, nullptr) << tool.name << " drives " << tool.gate.drives;
    if (tool.gate.action_key.empty()) {
      ASSERT_FALSE(command->has_actions()) << tool.name;
      EXPECT_EQ(command->actions.front().confirmation, Confirmation::yes) << tool.name;
      gated.emplace(command->name, "");
      continue;
    }
    for (const auto action : tool.gate.actions) {
      if (action.empty()) continue;
      const auto* spec = command->find_action(action);
      ASSERT_NE(spec, nullptr) << tool.name << " " << action;
      EXPECT_EQ(spec->confirmation, Confirmation::yes) << tool.name << " " << action;
      gated.emplace(command->name, std::string(action));
    }
  }
  for (const auto& command : command_table()) {
    for (const auto& action : command.actions) {
      if (action.confirmation == Confirmation::yes) {
        EXPECT_TRUE(gated.contains({command.name, action.name})) << command.name << " " << action.name;
      }
    }
  }
  EXPECT_FALSE(gated.empty());
}

// An action that asks changes the tree: it needs the config dir, the lock and recovery first.
TEST(CommandTable, EveryActionThatAsksHoldsTheLockAfterRecovery) {
  for (const auto& command : command_table())
    for (const auto& action : command.actions)
      if (action.confirmation == Confirmation::yes) {
        EXPECT_TRUE(has(action.needs, Need::lock)) << command.name << " " << action.name;
        EXPECT_TRUE(has(action.needs, Need::recovery)) << command.name << " " << action.name;
        EXPECT_TRUE(has(action.needs, Need::config_dir)) << command.name << " " << action.name;
      }
}

// A made-up command to exercise Invocation on its own.
constexpr ActionSpec kTestActions[] = {
    {"look", Need::none, Confirmation::no},
    {"change", Need::config_dir | Need::lock, Confirmation::yes},
};
Output run_nothing(Invocation&) { return {}; }
constexpr CommandSpec kTestCommand{"test", nullptr, "a test", kTestActions, run_nothing};

TEST(Invocation, ConfirmIsRefusedForAnActionTheTableSaysDoesNotAsk) {
  agntos::testing::TempDir dir;
  Invocation inv(kTestCommand, {"look"}, false, dir.path().string());
  CLI::App app{"test"};
  const auto& action = inv.add_action(app, "look | change");
  inv.parse(app);
  EXPECT_EQ(action, "look");
  EXPECT_THROW(inv.confirm("Do it?", ""), std::logic_error);
  EXPECT_THROW(inv.lock(), std::logic_error);
  EXPECT_THROW(inv.settings(), std::logic_error);
}

TEST(Invocation, YesIsTheApprovalOfAnActionThatAsksAndApprovedByNeedsIt) {
  agntos::testing::TempDir dir;
  {
    Invocation inv(kTestCommand, {"--approved-by", "client:1000", "--yes", "change"}, false, dir.path().string());
    CLI::App app{"test"};
    inv.add_action(app, "look | change");
    inv.parse(app);
    EXPECT_EQ(inv.confirm("Do it?", "").by(), "client:1000");
  }
  {
    Invocation inv(kTestCommand, {"--approved-by", "client:1000", "change"}, false, dir.path().string());
    CLI::App app{"test"};
    inv.add_action(app, "look | change");
    try {
      inv.parse(app);
      FAIL() << "--approved-by without --yes was accepted";
    } catch (const agntos::Error& e) {
      EXPECT_EQ(e.code(), agntos::Errc::usage);
    }
  }
}

TEST(Invocation, WithoutYesOrATerminalNothingIsApproved) {
  agntos::testing::TempDir dir;
  Invocation inv(kTestCommand, {"change"}, false, dir.path().string());
  CLI::App app{"test"};
  inv.add_action(app, "look | change");
  inv.parse(app);  // stdin of a test run is no terminal
  try {
    inv.confirm("Do it?", "");
    FAIL() << "approved with no --yes and no terminal";
  } catch (const agntos::Error& e) {
    EXPECT_EQ(e.code(), agntos::Errc::not_confirmed);
  }
}

TEST(Invocation, TheLockTheTableDeclaresIsHeldUntilTheCommandReturns) {
  agntos::testing::TempDir dir;
  ::setenv("AGNTOS_LOCK_TIMEOUT", "0.2", 1);
  {
    Invocation inv(kTestCommand, {"change"}, false, dir.path().string());
    CLI::App app{"test"};
    inv.add_action(app, "look | change");
    inv.parse(app);
    inv.lock();
    try {
      auto second = agntos::lock_config_dir(inv.paths());
      FAIL() << "a second holder got the config lock";
    } catch (const agntos::Error& e) {
      EXPECT_EQ(e.code(), agntos::Errc::lock_timeout);
    }
  }
  agntos::Paths paths;
  paths.config_dir = dir.path();
  EXPECT_NO_THROW(agntos::lock_config_dir(paths));
  ::unsetenv("AGNTOS_LOCK_TIMEOUT");
}

TEST(Invocation, AnActionThatNeedsTheConfigDirNamesItWhenItIsMissing) {
  agntos::testing::TempDir dir;
  Invocation inv(kTestCommand, {"change", "--yes"}, false, (dir.path() / "missing").string());
  CLI::App app{"test"};
  inv.add_action(app, "look | change");
  try {
    inv.parse(app);
    FAIL() << "a missing config dir was accepted";
  } catch (const agntos::Error& e) {
    EXPECT_NE(std::string(e.what()).find("missing"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace agntctl
