// SPDX-License-Identifier: MIT
#include "agntd/turn.h"

#include <gtest/gtest.h>

#include <deque>
#include <functional>

#include "agntd/llm/llm_error.h"
#include "common/error.h"

namespace agntd {
namespace {

using llm::ChatResponse;
using llm::Message;
using llm::Role;
using llm::ToolCall;

// Answers each chat() with the next scripted response (or runs a scripted function).
class ScriptedProvider : public llm::Provider {
public:
  using Step = std::function<ChatResponse(const llm::ChatRequest&, llm::StreamSink&, const std::atomic<bool>&)>;
  void push(ChatResponse response) {
    m_steps.push_back([response](const llm::ChatRequest&, llm::StreamSink& sink, const std::atomic<bool>&) {
      if (!response.content.empty()) sink.on_token(response.content, llm::Channel::content);
      return response;
    });
  }
  void push(Step step) { m_steps.push_back(std::move(step)); }
  // The same response for every further round.
  void repeat(ChatResponse response) { m_repeat = response; }

  ChatResponse chat(const llm::ChatRequest& request, llm::StreamSink& sink, const std::atomic<bool>& cancel) override {
    requests.push_back(request);
    if (m_steps.empty()) {
      if (m_repeat) return *m_repeat;
      ADD_FAILURE() << "unexpected LLM round";
      return ChatResponse{"(none)", "", {}, {}, "stop"};
    }
    auto step = std::move(m_steps.front());
    m_steps.pop_front();
    return step(request, sink, cancel);
  }
  const agntos::ModelProfile& profile() const override { return m_profile; }

  std::vector<llm::ChatRequest> requests;

private:
  std::deque<Step> m_steps;
  std::optional<ChatResponse> m_repeat;
  agntos::ModelProfile m_profile = agntos::offline_profile();
};

struct Execution {
  std::string tool;
  Json args;
  ToolContext context;
};

class FakeTools : public ToolExecutor {
public:
  ToolOutcome execute(const ToolSpec& tool, const Json& args, const ToolContext& context, const std::atomic<bool>& cancel,
                      const ProgressFn& progress) override {
    executions.push_back(Execution{tool.name, args, context});
    if (during) during(cancel, progress);
    return outcome;
  }
  ApprovalRequest describe(const ToolSpec& tool, const Json& args) override {
    if (describe_error) throw agntos::Error(agntos::Errc::not_found, *describe_error);
    ApprovalRequest request;
    request.kind = tool.name;
    request.proposal_id = args.value("id", std::string());
    request.summary = "Install package: htop";
    request.diff = "+htop";
    return request;
  }

  std::vector<Execution> executions;
  ToolOutcome outcome{Json{{"ok", true}}, true, R"({"ok":true})"};
  std::optional<std::string> describe_error;
  std::function<void(const std::atomic<bool>&, const ProgressFn&)> during;
};

class RecordingObserver : public TurnObserver {
public:
  void on_token(std::string_view text, llm::Channel) override { tokens += text; }
  void on_tool_call(const ToolCall& call, const Json&) override { calls.push_back(call.name); }
  void on_tool_result(const ToolCall&, const ToolOutcome& outcome) override {
    results.push_back(outcome);
    events.push_back("tool_result");
  }
  void on_progress(std::string_view text) override { progress.emplace_back(text); }
  void on_confirm_needed(const ConfirmNeeded& needed) override {
    confirms.push_back(needed);
    events.push_back("confirm_needed");
  }
  ApprovalDecision request_approval(const ApprovalRequest& request, const std::atomic<bool>&) override {
    approvals.push_back(request);
    return decision;
  }

  std::string tokens;
  std::vector<std::string> calls;
  std::vector<ToolOutcome> results;
  std::vector<std::string> progress;
  std::vector<ApprovalRequest> approvals;
  std::vector<ConfirmNeeded> confirms;
  std::vector<std::string> events;
  ApprovalDecision decision{true, "client:1000", ""};
};

ChatResponse call(const std::string& name, const Json& args, const std::string& id = "c1") {
  return ChatResponse{"", "", {ToolCall{id, name, args.dump()}}, {}, "tool_calls"};
}
ChatResponse text(const std::string& content) { return ChatResponse{content, "", {}, {}, "stop"}; }

// Every assistant tool call is followed by a tool message answering it.
void expect_valid_history(const std::vector<Message>& messages) {
  for (size_t i = 0; i < messages.size(); ++i) {
    if (messages[i].role != Role::assistant) continue;
    for (size_t k = 0; k < messages[i].tool_calls.size(); ++k) {
      ASSERT_LT(i + 1 + k, messages.size());
      EXPECT_EQ(messages[i + 1 + k].role, Role::tool);
      EXPECT_EQ(messages[i + 1 + k].tool_call_id, messages[i].tool_calls[k].id);
    }
  }
}

ToolContext context() {
  ToolContext context;
  context.session_id = "s-1";
  context.model = "m";
  return context;
}

class TurnTest : public ::testing::Test {
protected:
  TurnResult run(const std::string& prompt = "install htop") {
    TurnInputs inputs{provider, tools, observer, cancel, "SYSTEM", context(), limits};
    return run_turn(conversation, prompt, inputs);
  }

  ScriptedProvider provider;
  FakeTools tools;
  RecordingObserver observer;
  std::atomic<bool> cancel{false};
  TurnLimits limits;
  Conversation conversation;
};

TEST_F(TurnTest, AnAnswerWithoutToolCallsEndsTheTurn) {
  provider.push(text("hello"));
  const auto result = run("hi");
  EXPECT_EQ(result.end, TurnEnd::answered);
  EXPECT_EQ(result.content, "hello");
  EXPECT_EQ(result.rounds, 1);
  EXPECT_EQ(observer.tokens, "hello");
  ASSERT_EQ(provider.requests.size(), 1u);
  EXPECT_EQ(provider.requests[0].messages.front().role, Role::system);
  EXPECT_EQ(provider.requests[0].messages.front().content, "SYSTEM");
  EXPECT_EQ(provider.requests[0].tools.size(), 10u);
  ASSERT_EQ(conversation.messages.size(), 2u);
  EXPECT_EQ(conversation.messages[0].content, "hi");
}

TEST_F(TurnTest, ToolResultsGoBackToTheModelAndEveryMessageIsRecorded) {
  std::vector<Message> recorded;
  conversation.record = [&](const Message& message) { recorded.push_back(message); };
  provider.push(call("inspect", {{"target", "cpu"}}));
  provider.push(text("2 cores"));
  const auto result = run("how many cpus?");
  EXPECT_EQ(result.end, TurnEnd::answered);
  EXPECT_EQ(result.tool_calls, 1);
  ASSERT_EQ(tools.executions.size(), 1u);
  EXPECT_EQ(tools.executions[0].context.user_prompt, "how many cpus?");
  EXPECT_EQ(tools.executions[0].context.session_id, "s-1");
  const auto& second = provider.requests.at(1).messages;
  EXPECT_EQ(second.back().role, Role::tool);
  EXPECT_EQ(second.back().content, R"({"ok":true})");
  EXPECT_EQ(recorded.size(), 4u);  // user, assistant call, tool, assistant answer
  expect_valid_history(conversation.messages);
}

TEST_F(TurnTest, GatedCallsRunOnlyAfterApprovalWithWhoApproved) {
  provider.push(call("apply", {{"id", "p-1"}}));
  provider.push(text("done"));
  tools.during = [](const std::atomic<bool>&, const ProgressFn& progress) {
    progress("build");
    progress("ing\nactivating");
  };
  run();
  ASSERT_EQ(observer.approvals.size(), 1u);
  EXPECT_EQ(observer.approvals[0].kind, "apply");
  EXPECT_EQ(observer.approvals[0].request_id.rfind("r-", 0), 0u);
  ASSERT_EQ(tools.executions.size(), 1u);
  EXPECT_EQ(tools.executions[0].context.approved_by, "client:1000");
  EXPECT_EQ(observer.progress, (std::vector<std::string>{"building\n", "activating\n"}));
}

// agntctl's answer to an apply behind a confirm-or-revert timer: the audit entry with action.confirm.
ToolOutcome gated_apply_outcome() {
  Json entry{{"id", "a-18f00001"},
             {"action", {{"type", "Apply"}, {"confirm", {{"timeout_s", 60}, {"deadline", "2999-01-01T00:00:00.000Z"}}}}}};
  return ToolOutcome{entry, true, entry.dump()};
}

TEST_F(TurnTest, AnApprovedChangeBehindATimerIsAnnouncedBeforeItsResultAndNeverConfirmed) {
  provider.push(call("apply", {{"id", "p-1"}}));
  provider.push(text("done"));
  tools.outcome = gated_apply_outcome();
  run();
  ASSERT_EQ(observer.confirms.size(), 1u);
  EXPECT_EQ(observer.confirms[0].audit_id, "a-18f00001");
  EXPECT_EQ(observer.confirms[0].timeout_s, 60);
  EXPECT_EQ(observer.confirms[0].deadline, "2999-01-01T00:00:00.000Z");
  EXPECT_GT(observer.confirms[0].seconds_left, 60);  // the deadline is far away
  EXPECT_EQ(observer.events, (std::vector<std::string>{"confirm_needed", "tool_result"}));
  ASSERT_EQ(tools.executions.size(), 1u) << "the turn runs the apply and nothing else (no confirm)";
}

TEST_F(TurnTest, NoAnnouncementWithoutATimerOrWithoutAnApproval) {
  provider.push(call("apply", {{"id", "p-1"}}));
  provider.push(call("inspect", {{"target", "cpu"}}, "c2"));
  provider.push(text("done"));
  run();  // the default outcome has no action.confirm
  tools.outcome = gated_apply_outcome();
  provider.push(call("audit", {{"action", "show"}, {"id", "a-18f00001"}}, "c3"));  // an ungated call showing it
  provider.push(text("done"));
  run("show it");
  EXPECT_TRUE(observer.confirms.empty());
}

TEST_F(TurnTest, ADeniedCallIsNotRunAndTheModelIsToldWhy) {
  observer.decision = ApprovalDecision{false, "", "denied by the user"};
  provider.push(call("apply", {{"id", "p-1"}}));
  provider.push(text("ok, not applied"));
  run();
  EXPECT_TRUE(tools.executions.empty());
  ASSERT_EQ(observer.results.size(), 1u);
  EXPECT_FALSE(observer.results[0].success);
  EXPECT_NE(observer.results[0].text.find("denied by the user"), std::string::npos);
  EXPECT_NE(observer.results[0].text.find("p-1 is still pending"), std::string::npos);
}

TEST_F(TurnTest, AGatedCallThatCannotSucceedIsRefusedWithoutAskingTheUser) {
  tools.describe_error = "there is no pending proposal p-9";
  provider.push(call("apply", {{"id", "p-9"}}));
  provider.push(text("sorry"));
  run();
  EXPECT_TRUE(observer.approvals.empty());
  EXPECT_TRUE(tools.executions.empty());
  EXPECT_NE(observer.results.at(0).text.find("no pending proposal p-9"), std::string::npos);
}

TEST_F(TurnTest, RollbackListIsNotGated) {
  provider.push(call("rollback", {{"action", "list"}}));
  provider.push(text("generations"));
  run();
  EXPECT_TRUE(observer.approvals.empty());
  EXPECT_EQ(tools.executions.size(), 1u);
}

TEST_F(TurnTest, StopsAfterMaxRoundsWithAMessageThatSaysWhy) {
  limits.max_rounds = 4;
  for (int i = 0; i < 4; ++i) provider.push(call("inspect", {{"target", "cpu" + std::to_string(i)}}, "c" + std::to_string(i)));
  const auto result = run();
  EXPECT_EQ(result.end, TurnEnd::stopped);
  EXPECT_EQ(result.rounds, 4);
  EXPECT_NE(result.content.find("all 4 LLM rounds"), std::string::npos);
  EXPECT_NE(result.content.find("max_rounds"), std::string::npos);
  expect_valid_history(conversation.messages);
}

TEST_F(TurnTest, StopsWhenTheSameCallIsMadeAThirdTime) {
  provider.repeat(call("inspect", {{"target", "cpu"}}));
  const auto result = run();
  EXPECT_EQ(result.end, TurnEnd::stopped);
  EXPECT_EQ(tools.executions.size(), 2u);
  EXPECT_EQ(result.rounds, 3);
  EXPECT_NE(result.content.find("same arguments 3 times"), std::string::npos);
  EXPECT_FALSE(observer.results.back().success);
  expect_valid_history(conversation.messages);
}

TEST_F(TurnTest, StopsAfterFiveFailedToolsInARow) {
  tools.outcome = tool_failure("failed", "boom");
  for (int i = 0; i < 6; ++i) provider.push(call("read_file", {{"path", "/f" + std::to_string(i)}}, "c" + std::to_string(i)));
  const auto result = run();
  EXPECT_EQ(result.end, TurnEnd::stopped);
  EXPECT_EQ(tools.executions.size(), 5u);
  EXPECT_NE(result.content.find("5 tool calls failed in a row"), std::string::npos);
  EXPECT_NE(result.content.find("boom"), std::string::npos);
}

TEST_F(TurnTest, ASuccessResetsTheFailureCount) {
  int n = 0;
  for (int i = 0; i < 8; ++i) provider.push(call("read_file", {{"path", "/f" + std::to_string(i)}}, "c" + std::to_string(i)));
  provider.push(text("done"));
  tools.during = [&](const std::atomic<bool>&, const ProgressFn&) {
    tools.outcome = ++n == 4 ? ToolOutcome{Json::object(), true, "{}"} : tool_failure("failed", "boom");
  };
  EXPECT_EQ(run().end, TurnEnd::answered);
}

TEST_F(TurnTest, UnknownToolsAndBadArgumentsAreFailedResults) {
  provider.push(ChatResponse{"", "", {ToolCall{"c1", "format_disk", "{}"}, ToolCall{"c2", "inspect", "[1"}}, {}, "tool_calls"});
  provider.push(text("ok"));
  run();
  ASSERT_EQ(observer.results.size(), 2u);
  EXPECT_NE(observer.results[0].text.find("no tool 'format_disk'"), std::string::npos);
  EXPECT_NE(observer.results[1].text.find("not a JSON object"), std::string::npos);
  EXPECT_TRUE(tools.executions.empty());
}

TEST_F(TurnTest, CancelDuringTheLlmRequestEndsTheTurnWithThePartialAnswer) {
  provider.push([&](const llm::ChatRequest&, llm::StreamSink& sink, const std::atomic<bool>&) {
    sink.on_token("Let me", llm::Channel::content);
    cancel = true;
    return ChatResponse{"Let me", "", {}, {}, "cancelled"};
  });
  const auto result = run();
  EXPECT_EQ(result.end, TurnEnd::cancelled);
  EXPECT_EQ(result.content, "Let me\n[cancelled by the user]");
  EXPECT_EQ(conversation.messages.back().content, result.content);
}

TEST_F(TurnTest, CancelDuringAToolEndsTheTurnAndAnswersEveryCall) {
  provider.push(ChatResponse{"", "", {ToolCall{"c1", "run_bash", R"({"command":"sleep 60"})"},
                                      ToolCall{"c2", "inspect", "{}"}}, {}, "tool_calls"});
  tools.during = [&](const std::atomic<bool>&, const ProgressFn&) {
    cancel = true;
    tools.outcome = tool_failure("cancelled", "cancelled by the user; the tool was stopped");
  };
  const auto result = run();
  EXPECT_EQ(result.end, TurnEnd::cancelled);
  EXPECT_EQ(tools.executions.size(), 1u);
  expect_valid_history(conversation.messages);
}

TEST_F(TurnTest, AnLlmFailureEndsTheTurnWithTheError) {
  provider.push([](const llm::ChatRequest&, llm::StreamSink&, const std::atomic<bool>&) -> ChatResponse {
    throw llm::LlmError(llm::LlmFailure::http_status, "LLM endpoint http://x/v1 returned 500: boom", 500);
  });
  const auto result = run();
  EXPECT_EQ(result.end, TurnEnd::failed);
  EXPECT_EQ(result.error, "LLM endpoint http://x/v1 returned 500: boom");
  EXPECT_EQ(conversation.messages.back().role, Role::assistant);
}

TEST_F(TurnTest, OnlyTheRecentHistoryIsSentStartingAtAUserMessage) {
  limits.history_messages = 5;
  for (int i = 0; i < 6; ++i) {
    conversation.messages.push_back(Message{Role::user, "q" + std::to_string(i), {}, "", ""});
    conversation.messages.push_back(Message{Role::assistant, "a" + std::to_string(i), {}, "", ""});
  }
  provider.push(text("fine"));
  run("latest");
  const auto& sent = provider.requests.at(0).messages;
  ASSERT_GE(sent.size(), 2u);
  EXPECT_EQ(sent[1].role, Role::user);
  EXPECT_LE(sent.size(), 6u);
  EXPECT_EQ(sent.back().content, "latest");
}

// Issue 14: a long session's memory stays flat. The conversation holds only what a turn can
// send; every message is still recorded and counted, and each request is exactly what the
// whole history would have given.
TEST_F(TurnTest, OnlyTheWindowAModelIsSentIsHeldAndEveryMessageIsCounted) {
  limits.history_messages = 5;
  std::vector<Message> recorded;
  conversation.record = [&](const Message& message) { recorded.push_back(message); };
  for (int turn = 0; turn < 8; ++turn) {
    provider.push(call("inspect", {{"target", "cpu"}}));
    provider.push(text("a" + std::to_string(turn)));
    run("q" + std::to_string(turn));
    // The window, back to the user message of the turn it starts in (4 messages a turn), and
    // the turn under way: bounded, however many turns ran.
    EXPECT_LE(conversation.messages.size(), limits.history_messages + 3 + 4);
    // What the last request sent, after the system prompt, is the whole history's recent part:
    // its newest messages, starting at the first user message among the last five.
    const auto& sent = provider.requests.back().messages;
    const size_t history = recorded.size() - 1;  // the answer came after the request
    size_t start = history > limits.history_messages ? history - limits.history_messages : 0;
    while (recorded[start].role != Role::user) ++start;
    ASSERT_EQ(sent.size() - 1, history - start) << "turn " << turn;
    for (size_t i = 1; i < sent.size(); ++i) EXPECT_EQ(sent[i].content, recorded[start + i - 1].content);
  }
  EXPECT_EQ(recorded.size(), 32u);
  EXPECT_EQ(conversation.total, 32u);
  expect_valid_history(conversation.messages);
}

// A turn longer than the window (many tool rounds) is kept from its user message: the history
// held never starts with an answer or a tool result, which the APIs refuse.
TEST(Conversation, KeepRecentStartsAtTheLastUserMessageAtOrBeforeTheWindow) {
  const auto message = [](Role role, const std::string& text) { return Message{role, text, {}, "", ""}; };
  Conversation conversation;
  conversation.messages = {message(Role::user, "q0"),      message(Role::assistant, "a0"),
                           message(Role::user, "q1"),      message(Role::assistant, "call 1"),
                           message(Role::tool, "result 1"), message(Role::assistant, "call 2"),
                           message(Role::tool, "result 2"), message(Role::assistant, "a1")};
  conversation.keep_recent(3);
  ASSERT_EQ(conversation.messages.size(), 6u);
  EXPECT_EQ(conversation.messages.front().content, "q1");
  conversation.keep_recent(100);
  EXPECT_EQ(conversation.messages.size(), 6u);

  Conversation no_user;
  no_user.messages = {message(Role::assistant, "x"), message(Role::tool, "y"), message(Role::assistant, "z")};
  no_user.keep_recent(1);
  EXPECT_EQ(no_user.messages.size(), 3u);
}

TEST(RepairHistory, CallsWithoutResultsGetANotRunResult) {
  std::vector<Message> messages{Message{Role::user, "x", {}, "", ""},
                                Message{Role::assistant, "", {ToolCall{"a", "inspect", "{}"}, ToolCall{"b", "audit", "{}"}}, "", ""},
                                Message{Role::tool, "{}", {}, "a", "inspect"}};
  repair_history(messages);
  ASSERT_EQ(messages.size(), 4u);
  EXPECT_EQ(messages[3].tool_call_id, "b");
  EXPECT_NE(messages[3].content.find("interrupted"), std::string::npos);
  expect_valid_history(messages);
}

}  // namespace
}  // namespace agntd
