// SPDX-License-Identifier: MIT
#include "agntd/llm/offline/tasks.h"

#include <gtest/gtest.h>

#include "agntd/llm/offline/grammar.h"

namespace agntd::offline {
namespace {

Request only(std::string_view message) {
  auto requests = parse_message(message);
  EXPECT_EQ(requests.size(), 1u) << message;
  return requests.front();
}

const Json kAgntosWithPorts = Json::parse(R"({"config_dir":"/etc/agntos","modules":{"packages":[],"services":["openssh"],
    "options":["networking-firewall-allowedTCPPorts"],"modules":["user-bob"],"home":[]}})");

Json file(const std::vector<std::string>& lines) {
  Json result{{"lines", Json::array()}};
  for (size_t i = 0; i < lines.size(); ++i) result["lines"].push_back(Json{{"number", i + 1}, {"text", lines[i]}});
  return result;
}

TEST(OfflineTasks, OpeningAPortKeepsThePortsAlreadyOpen) {
  const auto request = only("open port 443");
  TurnFacts facts{"open port 443", "", "", ""};
  std::vector<Step> steps;
  auto next = next_step(request, steps, facts);
  ASSERT_TRUE(next.call);
  EXPECT_EQ(next.call->tool, "inspect");
  steps.push_back(Step{"inspect", next.call->args, kAgntosWithPorts});
  next = next_step(request, steps, facts);
  ASSERT_TRUE(next.call);
  EXPECT_EQ(next.call->tool, "read_file");
  EXPECT_EQ(next.call->args["path"], "/etc/agntos/options/networking-firewall-allowedTCPPorts.nix");
  steps.push_back(Step{"read_file", next.call->args,
                       file({"{ ... }:", "{", "  networking.firewall.allowedTCPPorts = [ 22 80 ];", "}"})});
  next = next_step(request, steps, facts);
  ASSERT_TRUE(next.call);
  EXPECT_EQ(next.call->tool, "propose");
  EXPECT_EQ(next.call->args["intent"], "set networking.firewall.allowedTCPPorts [22,80,443]");
  steps.push_back(Step{"propose", next.call->args, Json{{"id", "p-abcdef01"}}});
  next = next_step(request, steps, facts);
  ASSERT_TRUE(next.call);
  EXPECT_EQ(next.call->tool, "apply");
  EXPECT_EQ(next.call->args, (Json{{"id", "p-abcdef01"}}));
  steps.push_back(Step{"apply", next.call->args, Json{{"id", "a-1"}, {"generation_after", 7}}});
  next = next_step(request, steps, facts);
  EXPECT_FALSE(next.call);
  EXPECT_EQ(next.text, "Opened port 443 (TCP). TCP ports AgntOS opens: 22, 80 and 443 (generation 7). Say \"undo that\" to take it back.");
}

TEST(OfflineTasks, APortAlreadyOpenIsSaidWithoutAProposal) {
  const auto request = only("open port 22");
  TurnFacts facts{"open port 22", "", "", ""};
  std::vector<Step> steps{Step{"inspect", Json{{"target", "agntos"}}, kAgntosWithPorts},
                          Step{"read_file", Json::object(), file({"networking.firewall.allowedTCPPorts = [ 22 ];"})}};
  const auto next = next_step(request, steps, facts);
  EXPECT_FALSE(next.call);
  EXPECT_EQ(next.text, "Port 22 (TCP) is already open.");
}

TEST(OfflineTasks, ANewUserIsAModuleWithIsNormalUserAndTheGroupsAsked) {
  const auto request = only("add the user alice to the wheel group");
  TurnFacts facts{"x", "", "", ""};
  std::vector<Step> steps{Step{"inspect", Json{{"target", "agntos"}}, kAgntosWithPorts}};
  const auto next = next_step(request, steps, facts);
  ASSERT_TRUE(next.call);
  EXPECT_EQ(next.call->tool, "propose");
  EXPECT_EQ(next.call->args["module"], "modules/user-alice.nix");
  EXPECT_EQ(next.call->args["nix"], "# Managed by AgntOS: the user alice\n{ ... }:\n{\n  users.users.alice = {\n"
                                    "    isNormalUser = true;\n    extraGroups = [ \"wheel\" ];\n  };\n}\n");
  EXPECT_FALSE(next.call->args.contains("intent"));
}

TEST(OfflineTasks, GroupsAreAddedToTheUserModuleAlreadyThere) {
  const auto request = only("add bob to the docker group");
  TurnFacts facts{"x", "", "", ""};
  std::vector<Step> steps{Step{"inspect", Json::object(), kAgntosWithPorts}};
  auto next = next_step(request, steps, facts);
  ASSERT_TRUE(next.call);
  EXPECT_EQ(next.call->args["path"], "/etc/agntos/modules/user-bob.nix");
  steps.push_back(Step{"read_file", Json::object(),
                       file({"  users.users.bob = {", "    isNormalUser = true;", "    extraGroups = [ \"wheel\" ];", "  };"})});
  next = next_step(request, steps, facts);
  ASSERT_TRUE(next.call);
  EXPECT_NE(next.call->args["nix"].get<std::string>().find("extraGroups = [ \"wheel\" \"docker\" ];"), std::string::npos);
  EXPECT_NE(next.call->args["nix"].get<std::string>().find("isNormalUser = true;"), std::string::npos);
}

TEST(OfflineTasks, ASwitchIsAnExplicitOptionOrRewritesTheServiceModuleAgntosWrote) {
  TurnFacts facts{"x", "", "", ""};
  std::vector<Step> steps{Step{"inspect", Json::object(), kAgntosWithPorts}};
  auto next = next_step(only("enable docker"), steps, facts);
  ASSERT_TRUE(next.call);
  EXPECT_EQ(next.call->args["intent"], "set virtualisation.docker.enable true");
  next = next_step(only("disable ssh"), steps, facts);
  ASSERT_TRUE(next.call);
  EXPECT_EQ(next.call->args["intent"], "disable openssh");  // services/openssh.nix exists
}

TEST(OfflineTasks, ADeniedApplySaysNothingChangedAndHowToApplyLater) {
  const auto request = only("install htop");
  TurnFacts facts{"install htop", "", "", ""};
  std::vector<Step> steps{
      Step{"propose", Json::object(), Json{{"id", "p-18e1f2a3"}}},
      Step{"apply", Json::object(),
           Json{{"error", {{"code", "denied"}, {"message", "not approved: denied by the user (p-18e1f2a3). Nothing was changed."}}}}}};
  const auto next = next_step(request, steps, facts);
  EXPECT_EQ(next.text, "Nothing was changed: denied by the user (p-18e1f2a3). The proposal p-18e1f2a3 stays pending: "
                       "say \"apply p-18e1f2a3\" if you change your mind.");
}

TEST(OfflineTasks, ForgetFallsBackToTheNotesMostTellingWord) {
  const auto request = only("forget about the rust thing");
  TurnFacts facts{"x", "", "", ""};
  const Json no_match{{"error", {{"code", "no_match"}, {"message", "no entry"}}}};
  std::vector<Step> steps{Step{"memory", Json::object(), no_match}, Step{"memory", Json::object(), no_match}};
  auto next = next_step(request, steps, facts);
  ASSERT_TRUE(next.call);
  EXPECT_EQ(next.call->args, (Json{{"action", "remove"}, {"file", "user"}, {"target", "rust"}}));
  steps.push_back(Step{"memory", Json::object(), Json{{"entry", "I work on rust projects"}}});
  EXPECT_EQ(next_step(request, steps, facts).text, "Forgotten: I work on rust projects.");
}

TEST(OfflineTasks, ForgetThatRemovesTheNoteOfThePreviousTurn) {
  const auto request = only("forget that");
  TurnFacts facts{"forget that", "", "I like vim", ""};
  const auto next = next_step(request, {}, facts);
  ASSERT_TRUE(next.call);
  EXPECT_EQ(next.call->args, (Json{{"action", "remove"}, {"file", "user"}, {"target", "I like vim"}}));
}

TEST(OfflineTasks, AnUnknownRequestIsOneSentenceThatSuggestsAnLlm) {
  const auto text = next_step(only("write me a poem"), {}, TurnFacts{}).text;
  EXPECT_EQ(text.find(". "), std::string::npos) << text;  // one sentence, no list of commands
  EXPECT_EQ(text.find('\n'), std::string::npos) << text;
  EXPECT_NE(text.find("agntctl model add"), std::string::npos);
  EXPECT_NE(text.find("offline"), std::string::npos);
}

}  // namespace
}  // namespace agntd::offline
