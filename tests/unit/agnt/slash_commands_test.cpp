// SPDX-License-Identifier: MIT
#include "agnt/slash_commands.h"

#include <gtest/gtest.h>

#include <set>

namespace agnt {
namespace {

TEST(SlashCommands, TableHoldsEveryCommandOfTheSpecOnce) {
  std::set<std::string> names;
  for (const auto& command : slash_commands()) EXPECT_TRUE(names.insert(command.name).second) << command.name;
  for (const char* name : {"help", "new", "resume", "sessions", "history", "audit", "proposals", "undo", "confirm", "generations",
                           "memory", "skills", "model", "status", "usage", "cancel", "quit"})
    EXPECT_TRUE(names.count(name)) << name;
}

TEST(SlashCommands, UnknownNameSuggestsTheClosestCommandOrSkill) {
  EXPECT_EQ(closest_command("hepl", {}), "help");
  EXPECT_EQ(closest_command("gen", {}), "generations");
  EXPECT_EQ(closest_command("add-pakage", {"add-package"}), "add-package");
  EXPECT_EQ(closest_command("zzzzzzzzzzzz", {}), std::nullopt);
}

TEST(SlashCommands, CompletionOffersCommandsAndSkillsByPrefix) {
  EXPECT_EQ(complete_slash("/he", {}), std::vector<std::string>{"/help"});
  EXPECT_EQ(complete_slash("/s", {"service-debug"}),
            (std::vector<std::string>{"/service-debug", "/sessions", "/skills", "/status"}));
  EXPECT_TRUE(complete_slash("/nothing", {}).empty());
}

}  // namespace
}  // namespace agnt
