// SPDX-License-Identifier: MIT
#include "agntd/offline_provider.h"

#include <gtest/gtest.h>

namespace agntd {
namespace {

using agntos::Json;
using Kind = OfflineIntent::Kind;
using llm::Message;
using llm::Role;

struct IntentCase {
  const char* message;
  Kind kind;
  const char* text;
};

TEST(OfflineIntent, UnderstandsTheCommonRequests) {
  const IntentCase cases[] = {
      {"install htop", Kind::change, "install htop"},
      {"Can you install htop and btop for me?", Kind::change, "install htop btop"},
      {"please add the ripgrep package", Kind::change, "install ripgrep"},
      {"please install btop, I want a nicer top", Kind::change, "install btop"},
      {"install htop. I need it", Kind::change, "install htop"},
      {"uninstall htop", Kind::change, "remove htop"},
      {"remove htop", Kind::change, "remove htop"},
      {"enable ssh", Kind::change, "enable openssh"},
      {"disable the openssh service", Kind::change, "disable openssh"},
      {"set networking.hostName to Demo-Box", Kind::change, "set networking.hostName Demo-Box"},
      {"set services.openssh.ports = [22,2222]", Kind::change, "set services.openssh.ports [22,2222]"},
      {"install htop and enable ssh", Kind::change, "install htop and enable openssh"},
      {"why is btop installed?", Kind::why, "btop"},
      {"Why do I have htop on this machine", Kind::why, "htop"},
      {"undo the last change", Kind::undo, ""},
      {"revert a-18e1f", Kind::undo, "a-18e1f"},
      {"roll back the system", Kind::rollback_generation, ""},
      {"rollback to generation 3", Kind::rollback_generation, "3"},
      {"list generations", Kind::generations, ""},
      {"apply p-18e1f2a", Kind::apply, "p-18e1f2a"},
      {"yes apply it", Kind::apply, ""},
      {"go ahead", Kind::apply, ""},
      {"remember that I prefer vim over nano.", Kind::remember, "I prefer vim over nano"},
      {"what do you remember?", Kind::memory_show, ""},
      {"search history for firewall", Kind::search_history, "firewall"},
      {"show the audit log", Kind::audit_list, ""},
      {"what changed recently", Kind::audit_list, ""},
      {"show system", Kind::inspect, "system"},
      {"inspect", Kind::inspect, "system"},
      {"how much ram do I have", Kind::inspect, "memory"},
      {"show disks", Kind::inspect, "disk"},
      {"hello", Kind::help, ""},
      {"compose a sonnet", Kind::unknown, ""},
  };
  for (const auto& c : cases) {
    const auto intent = parse_offline_intent(c.message);
    EXPECT_EQ(intent.kind, c.kind) << c.message;
    EXPECT_EQ(intent.text, c.text) << c.message;
  }
}

class OfflineProviderTest : public ::testing::Test {
protected:
  llm::ChatResponse chat() { return provider.chat(request, sink, cancel); }
  void user(const std::string& text) { request.messages.push_back(Message{Role::user, text, {}, "", ""}); }
  void answer(const llm::ChatResponse& response, const std::string& result) {
    request.messages.push_back(Message{Role::assistant, response.content, response.tool_calls, "", ""});
    for (const auto& call : response.tool_calls)
      request.messages.push_back(Message{Role::tool, result, {}, call.id, call.name});
  }

  OfflineProvider provider{agntos::offline_profile()};
  llm::ChatRequest request{"", {Message{Role::system, "rules", {}, "", ""}}, {}, std::nullopt, std::nullopt};
  llm::StreamSink sink;
  std::atomic<bool> cancel{false};
};

TEST_F(OfflineProviderTest, InstallProposesThenAppliesTheProposalThenSumsUp) {
  user("install htop");
  auto first = chat();
  ASSERT_EQ(first.tool_calls.size(), 1u);
  EXPECT_EQ(first.finish_reason, "tool_calls");
  EXPECT_EQ(first.tool_calls[0].name, "propose");
  EXPECT_EQ(Json::parse(first.tool_calls[0].arguments_json), (Json{{"intent", "install htop"}, {"prompt", "install htop"}}));

  answer(first, R"({"id":"p-18e1f2a3","summary":"Install package: htop","diff":"..."})");
  auto second = chat();
  ASSERT_EQ(second.tool_calls.size(), 1u);
  EXPECT_EQ(second.tool_calls[0].name, "apply");
  EXPECT_EQ(Json::parse(second.tool_calls[0].arguments_json), (Json{{"id", "p-18e1f2a3"}}));
  EXPECT_NE(second.tool_calls[0].id, first.tool_calls[0].id);

  answer(second, R"({"id":"a-99","summary":"Applied: Install package: htop","generation_after":2})");
  auto last = chat();
  EXPECT_TRUE(last.tool_calls.empty());
  EXPECT_EQ(last.finish_reason, "stop");
  EXPECT_EQ(last.content, "[offline] Applied: Install package: htop (audit a-99, generation 2). Say \"undo the last change\" to revert it.");
}

TEST_F(OfflineProviderTest, ADeniedApplyIsReportedWithoutRetrying) {
  user("install htop");
  auto first = chat();
  answer(first, R"({"id":"p-18e1f2a3","summary":"Install package: htop"})");
  auto second = chat();
  answer(second, R"({"error":{"code":"denied","message":"not approved: denied by the user"}})");
  auto last = chat();
  EXPECT_TRUE(last.tool_calls.empty());
  EXPECT_EQ(last.content, "[offline] Nothing was changed: denied by the user.");
}

TEST_F(OfflineProviderTest, AFailedProposalEndsTheTurnWithTheError) {
  user("install nosuch");
  auto first = chat();
  answer(first, R"({"error":{"code":"validation","message":"package 'nosuch' does not exist"}})");
  auto last = chat();
  EXPECT_TRUE(last.tool_calls.empty());
  EXPECT_EQ(last.content, "[offline] I could not stage that change: package 'nosuch' does not exist");
}

TEST_F(OfflineProviderTest, YesApplyItTakesThePendingProposalTheConversationMentioned) {
  request.messages[0].content = "rules\n## Pending proposals\np-aaaaaa01 Install package: btop\np-bbbbbb02 Install package: htop\n";
  user("install htop");
  request.messages.push_back(Message{Role::assistant, "", {{"c1", "propose", "{}"}}, "", ""});
  request.messages.push_back(Message{Role::tool, R"({"id":"p-bbbbbb02"})", {}, "c1", "propose"});
  request.messages.push_back(Message{Role::assistant, "not applied", {}, "", ""});
  user("yes apply it");
  auto response = chat();
  ASSERT_EQ(response.tool_calls.size(), 1u);
  EXPECT_EQ(Json::parse(response.tool_calls[0].arguments_json), (Json{{"id", "p-bbbbbb02"}}));
}

TEST_F(OfflineProviderTest, ApplyWithNothingPendingSaysSo) {
  user("yes apply it");
  auto response = chat();
  EXPECT_TRUE(response.tool_calls.empty());
  EXPECT_NE(response.content.find("no pending proposal"), std::string::npos);
}

// "Why" is answered from the current config tree (audit why), with the words that asked for it.
TEST_F(OfflineProviderTest, WhyIsAnsweredFromTheCurrentTreeWithTheOriginalPrompt) {
  user("why is btop installed?");
  auto first = chat();
  ASSERT_EQ(first.tool_calls.size(), 1u);
  EXPECT_EQ(first.tool_calls[0].name, "audit");
  EXPECT_EQ(Json::parse(first.tool_calls[0].arguments_json), (Json{{"action", "why"}, {"thing", "btop"}}));
  answer(first, R"({"thing":"btop","present":true,"file":"packages/btop.nix","entry":{"id":"a-1","timestamp":"2026-11-24T10:00:00.123Z","summary":"Applied: Install package: btop","prompt":"I want a nicer top"},"removed_by":null,"message":"btop is in the config tree"})");
  auto last = chat();
  EXPECT_EQ(last.content, "[offline] btop is in your configuration (packages/btop.nix): Applied: Install package: btop on "
                          "2026-11-24 (audit a-1), because you asked: \"I want a nicer top\".");
}

TEST_F(OfflineProviderTest, WhyOfSomethingNotInTheTreeSaysSo) {
  user("why is vim installed?");
  auto first = chat();
  answer(first, R"({"thing":"vim","present":false,"file":null,"entry":null,"removed_by":null,"message":"vim is not in the config tree, and AgntOS never managed it."})");
  EXPECT_EQ(chat().content, "[offline] vim is not in the config tree, and AgntOS never managed it.");
}

TEST_F(OfflineProviderTest, UndoAndRememberAndSearchUseTheirTools) {
  user("undo the last change");
  auto undo = chat();
  ASSERT_EQ(undo.tool_calls.size(), 1u);
  EXPECT_EQ(undo.tool_calls[0].name, "rollback");
  EXPECT_EQ(Json::parse(undo.tool_calls[0].arguments_json), (Json{{"action", "undo"}}));

  request.messages.resize(1);
  user("remember that I prefer vim");
  auto remember = chat();
  ASSERT_EQ(remember.tool_calls.size(), 1u);
  EXPECT_EQ(Json::parse(remember.tool_calls[0].arguments_json),
            (Json{{"action", "add"}, {"file", "user"}, {"section", "Preferences"}, {"content", "I prefer vim"}}));

  request.messages.resize(1);
  user("search history for htop");
  auto search = chat();
  ASSERT_EQ(search.tool_calls.size(), 1u);
  EXPECT_EQ(Json::parse(search.tool_calls[0].arguments_json), (Json{{"action", "search"}, {"query", "htop"}}));
}

TEST_F(OfflineProviderTest, UnknownRequestsGetThePlainOfflineHelpStreamedAsTokens) {
  class Collect : public llm::StreamSink {
  public:
    void on_token(std::string_view text, llm::Channel) override { content += text; }
    std::string content;
  } collect;
  user("write me a poem");
  const auto response = provider.chat(request, collect, cancel);
  EXPECT_TRUE(response.tool_calls.empty());
  EXPECT_NE(response.content.find("offline"), std::string::npos);
  EXPECT_NE(response.content.find("install PACKAGE"), std::string::npos);
  EXPECT_EQ(collect.content, response.content);
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
