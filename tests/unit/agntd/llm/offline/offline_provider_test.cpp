// SPDX-License-Identifier: MIT
#include "agntd/llm/offline/offline_provider.h"

#include <gtest/gtest.h>

namespace agntd {
namespace {

using agntos::Json;
using llm::Message;
using llm::Role;

class OfflineProviderTest : public ::testing::Test {
protected:
  llm::ChatResponse chat() { return provider.chat(request, sink, cancel); }
  void user(const std::string& text) { request.messages.push_back(Message{Role::user, text, {}, "", ""}); }
  void said(const std::string& text) { request.messages.push_back(Message{Role::assistant, text, {}, "", ""}); }
  void answer(const llm::ChatResponse& response, const std::string& result) {
    request.messages.push_back(Message{Role::assistant, response.content, response.tool_calls, "", ""});
    for (const auto& call : response.tool_calls)
      request.messages.push_back(Message{Role::tool, result, {}, call.id, call.name});
  }
  Json args(const llm::ChatResponse& response) {
    EXPECT_EQ(response.tool_calls.size(), 1u);
    return response.tool_calls.empty() ? Json() : Json::parse(response.tool_calls[0].arguments_json);
  }

  OfflineProvider provider{agntos::offline_profile()};
  llm::ChatRequest request{"", {Message{Role::system, "rules", {}, "", ""}}, {}, std::nullopt, std::nullopt};
  llm::StreamSink sink;
  std::atomic<bool> cancel{false};
};

TEST_F(OfflineProviderTest, InstallProposesThenAppliesTheProposalThenSumsUp) {
  said("earlier answer");  // not the first answer of the session
  user("install htop");
  auto first = chat();
  EXPECT_EQ(first.finish_reason, "tool_calls");
  EXPECT_EQ(first.tool_calls[0].name, "propose");
  EXPECT_EQ(args(first)["intent"], "install htop");
  EXPECT_EQ(args(first)["prompt"], "install htop");

  answer(first, R"({"id":"p-18e1f2a3","summary":"Install package: htop","diff":"..."})");
  auto second = chat();
  EXPECT_EQ(second.tool_calls[0].name, "apply");
  EXPECT_EQ(args(second), (Json{{"id", "p-18e1f2a3"}}));
  EXPECT_NE(second.tool_calls[0].id, first.tool_calls[0].id);

  answer(second, R"({"id":"a-99","summary":"Applied: Install package: htop","generation_after":2})");
  auto last = chat();
  EXPECT_TRUE(last.tool_calls.empty());
  EXPECT_EQ(last.finish_reason, "stop");
  EXPECT_EQ(last.content, "Installed htop (generation 2). Say \"undo that\" to take it back.");
}

TEST_F(OfflineProviderTest, TheFirstAnswerOfASessionSaysItIsTheOfflineAssistantAndLaterOnesDoNot) {
  user("thanks");
  const auto first = chat();
  EXPECT_NE(first.content.find("offline assistant"), std::string::npos);
  said(first.content);
  user("thank you!");
  EXPECT_EQ(chat().content, "You're welcome!");
}

TEST_F(OfflineProviderTest, TwoRequestsAreHandledInOrderInOneTurn) {
  said("earlier answer");
  user("what's my ip and how much ram do I have");
  auto first = chat();
  EXPECT_EQ(args(first), (Json{{"target", "network"}}));
  answer(first, R"({"interfaces":[{"name":"eth0","up":true,"loopback":false,"addresses":[{"address":"192.0.2.2","prefix":24}]}]})");
  auto second = chat();
  EXPECT_EQ(args(second), (Json{{"target", "memory"}}));
  answer(second, R"({"total_bytes":8589934592,"available_bytes":4294967296})");
  const auto last = chat();
  EXPECT_EQ(last.content, "Your IP addresses, on eth0: 192.0.2.2/24.\n4 GiB of 8 GiB RAM is available (50% in use).");
}

TEST_F(OfflineProviderTest, AYesToADidYouMeanRunsTheCorrectedRequest) {
  said("earlier answer");
  user("instll htop");
  const auto question = chat();
  EXPECT_TRUE(question.tool_calls.empty());
  EXPECT_EQ(question.content, "Did you mean: install htop?");
  said(question.content);
  user("yes");
  const auto response = chat();
  EXPECT_EQ(response.tool_calls[0].name, "propose");
  EXPECT_EQ(args(response)["intent"], "install htop");
}

TEST_F(OfflineProviderTest, YesApplyItTakesThePendingProposalTheConversationMentioned) {
  request.messages[0].content = "rules\n## Pending proposals\np-aaaaaa01 Install package: btop\np-bbbbbb02 Install package: htop\n";
  user("install htop");
  request.messages.push_back(Message{Role::assistant, "", {{"c1", "propose", "{}"}}, "", ""});
  request.messages.push_back(Message{Role::tool, R"({"id":"p-bbbbbb02"})", {}, "c1", "propose"});
  request.messages.push_back(Message{Role::assistant, "not applied", {}, "", ""});
  user("yes apply it");
  EXPECT_EQ(args(chat()), (Json{{"id", "p-bbbbbb02"}}));
}

TEST_F(OfflineProviderTest, ApplyWithNothingPendingSaysSo) {
  user("yes apply it");
  const auto response = chat();
  EXPECT_TRUE(response.tool_calls.empty());
  EXPECT_NE(response.content.find("no proposal is pending"), std::string::npos);
}

TEST_F(OfflineProviderTest, UnknownRequestsGetOneSentenceStreamedAsTokensNotTheHelpText) {
  class Collect : public llm::StreamSink {
  public:
    void on_token(std::string_view text, llm::Channel) override { content += text; }
    std::string content;
  } collect;
  said("earlier answer");
  user("write me a poem");
  const auto response = provider.chat(request, collect, cancel);
  EXPECT_TRUE(response.tool_calls.empty());
  EXPECT_NE(response.content.find("offline"), std::string::npos);
  EXPECT_EQ(response.content.find("install or remove packages"), std::string::npos);
  EXPECT_EQ(collect.content, response.content);
}

TEST_F(OfflineProviderTest, ACallThatDoesNotMatchTheReplayEndsTheTurnInsteadOfLooping) {
  said("earlier answer");
  user("install htop");
  request.messages.push_back(Message{Role::assistant, "", {{"c1", "inspect", "{}"}}, "", ""});
  request.messages.push_back(Message{Role::tool, "{}", {}, "c1", "inspect"});
  const auto response = chat();
  EXPECT_TRUE(response.tool_calls.empty());
  EXPECT_NE(response.content.find("lost track"), std::string::npos);
}

// The daemon caps tool output; a long list of pending proposals cuts `inspect agntos` short,
// and the module lists before it must still be read.
TEST_F(OfflineProviderTest, AToolResultCutShortStillGivesItsCompleteMembers) {
  said("earlier answer");
  user("open port 443");
  auto first = chat();
  EXPECT_EQ(args(first), (Json{{"target", "agntos"}}));
  answer(first, R"({"config_dir":"/etc/agntos","modules":{"options":["networking-firewall-allowedTCPPorts"],"packages":[]},)"
                R"("proposals":[{"id":"p-1","summary":"Install pack)"
                "\n[output truncated: showed 8000 of 9000 characters]");
  const auto second = chat();
  ASSERT_EQ(second.tool_calls.size(), 1u);
  EXPECT_EQ(second.tool_calls[0].name, "read_file");
  EXPECT_EQ(args(second)["path"], "/etc/agntos/options/networking-firewall-allowedTCPPorts.nix");
}

TEST_F(OfflineProviderTest, ACancelledRequestReturnsAtOnce) {
  user("install htop");
  cancel = true;
  const auto response = chat();
  EXPECT_EQ(response.finish_reason, "cancelled");
  EXPECT_TRUE(response.tool_calls.empty());
}

}  // namespace
}  // namespace agntd
