// SPDX-License-Identifier: MIT
#include "agntd/llm/http_provider.h"

#include <gtest/gtest.h>

#include "support/llm_provider_fixture.h"

namespace agntd::llm {
namespace {

using agntos::ProviderKind;
using agntos::testing::anthropic_stream;
using agntos::testing::RequestExpectation;
using agntos::testing::ScriptedAnswer;
using agntos::testing::ScriptStep;

class AnthropicDialect : public testing::ProviderTest {
protected:
  AnthropicDialect() : ProviderTest(ProviderKind::anthropic, "AGNTOS_TEST_ANTHROPIC_KEY", "sk-ant-test-k3y-value") {}
};

TEST_F(AnthropicDialect, TextAndToolUseSplitAcrossManyReadsAreAssembled) {
  server.push(ScriptStep::events(anthropic_stream(ScriptedAnswer{
                                     .text = {"I'll ", "check."},
                                     .tool_calls = {{"toolu_01", "inspect", R"({"target":"system","n":[1,2,3]})", 7}},
                                     .usage = std::pair{321L, 54L}}))
                  .split_every(5, std::chrono::milliseconds(1)));
  const auto response = provider().chat(request(), sink, cancel);
  EXPECT_EQ(response.content, "I'll check.");
  EXPECT_EQ(sink.content, "I'll check.");
  ASSERT_EQ(response.tool_calls.size(), 1u);
  EXPECT_EQ(response.tool_calls[0].id, "toolu_01");
  EXPECT_EQ(response.tool_calls[0].name, "inspect");
  EXPECT_EQ(Json::parse(response.tool_calls[0].arguments_json), Json::parse(R"({"target":"system","n":[1,2,3]})"));
  EXPECT_EQ(sink.calls, response.tool_calls);
  EXPECT_EQ(response.finish_reason, "tool_calls");
  EXPECT_EQ(response.usage, (Usage{321, 54}));
  EXPECT_EQ(sink.usage, (Usage{321, 54}));
}

TEST_F(AnthropicDialect, TwoToolUseBlocksGiveTwoCalls) {
  server.push(ScriptStep::events(anthropic_stream(ScriptedAnswer{
                                     .tool_calls = {{"toolu_a", "inspect", R"({"target":"cpu"})", 3},
                                                    {"toolu_b", "audit", R"({"action":"list"})", 2}}}))
                  .split_every(13));
  const auto response = provider().chat(request(), sink, cancel);
  ASSERT_EQ(response.tool_calls.size(), 2u);
  EXPECT_EQ(response.tool_calls[0], (ToolCall{"toolu_a", "inspect", R"({"target":"cpu"})"}));
  EXPECT_EQ(response.tool_calls[1], (ToolCall{"toolu_b", "audit", R"({"action":"list"})"}));
}

TEST_F(AnthropicDialect, ThinkingGoesToTheThinkingChannel) {
  server.push(ScriptStep::events(anthropic_stream(ScriptedAnswer{.thinking = {"Simple ", "request."}, .text = {"Done."}}))
                  .split_every(3));
  const auto response = provider().chat(request(), sink, cancel);
  EXPECT_EQ(response.thinking, "Simple request.");
  EXPECT_EQ(sink.thinking, "Simple request.");
  EXPECT_EQ(response.content, "Done.");
  EXPECT_EQ(response.finish_reason, "stop");
}

TEST_F(AnthropicDialect, RequestFollowsTheMessagesFormat) {
  server.push(ScriptStep::events(anthropic_stream(ScriptedAnswer{.text = {"ok"}}))
                  .expecting(RequestExpectation{.path = "/v1/messages",
                                                .body_equals = {{"/stream", true},
                                                                {"/system", "You manage NixOS."},
                                                                {"/max_tokens", 512},
                                                                {"/model", "scripted-model"}},
                                                .headers_absent = {"Authorization"},
                                                .header_equals = {{"x-api-key", key},
                                                                  {"anthropic-version", "2023-06-01"}}}));
  auto chat = request();
  chat.messages.push_back(Message{Role::assistant, "Checking.",
                                  {ToolCall{"toolu_1", "inspect", R"({"target":"cpu"})"},
                                   ToolCall{"toolu_2", "inspect", R"({"target":"disk"})"}},
                                  "", ""});
  chat.messages.push_back(Message{Role::tool, "4 cores", {}, "toolu_1", "inspect"});
  chat.messages.push_back(Message{Role::tool, "", {}, "toolu_2", "inspect"});
  chat.messages.push_back(Message{Role::user, "and memory?", {}, "", ""});
  provider().chat(chat, sink, cancel);

  const Json body = server.requests().at(0).json();
  EXPECT_EQ(body["tools"], Json::parse(R"([{"name":"inspect","description":"Show system state",
      "input_schema":{"type":"object","properties":{"target":{"type":"string"}}}}])"));
  const Json expected = Json::parse(R"json([
    {"role":"user","content":[{"type":"text","text":"install htop"}]},
    {"role":"assistant","content":[{"type":"text","text":"Checking."},
      {"type":"tool_use","id":"toolu_1","name":"inspect","input":{"target":"cpu"}},
      {"type":"tool_use","id":"toolu_2","name":"inspect","input":{"target":"disk"}}]},
    {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"4 cores"},
      {"type":"tool_result","tool_use_id":"toolu_2","content":"(no output)"},
      {"type":"text","text":"and memory?"}]}])json");
  EXPECT_EQ(body["messages"], expected) << body["messages"].dump(2);
}

TEST_F(AnthropicDialect, AnErrorEventIsReportedWithItsType) {
  server.push(ScriptStep::events(
      "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":5}}}\n\n"
      "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"bad tools\"}}\n\n"));
  const auto error = failure_of(provider());
  EXPECT_EQ(error.kind(), LlmFailure::endpoint);
  EXPECT_NE(std::string(error.what()).find("invalid_request_error: bad tools"), std::string::npos) << error.what();
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST_F(AnthropicDialect, OverloadedBeforeAnyTokenIsRetried) {
  server.push(ScriptStep::events(
      "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n"));
  server.push(ScriptStep::events(anthropic_stream(ScriptedAnswer{.text = {"fine"}})));
  EXPECT_EQ(provider().chat(request(), sink, cancel).content, "fine");
  EXPECT_EQ(server.requests().size(), 2u);
}

TEST_F(AnthropicDialect, MalformedToolInputIsAClearError) {
  server.push(ScriptStep::events(
      anthropic_stream(ScriptedAnswer{.tool_calls = {{"toolu_1", "inspect", R"({"target": "cpu")", 3}}})));
  const auto error = failure_of(provider());
  EXPECT_EQ(error.kind(), LlmFailure::protocol);
  EXPECT_NE(std::string(error.what()).find("tool input for inspect that is not valid JSON"), std::string::npos)
      << error.what();
}

TEST_F(AnthropicDialect, ANonStreamedMessageIsUnderstood) {
  server.push(ScriptStep::json(200, Json::parse(R"({"id":"msg_1","type":"message","role":"assistant",
      "content":[{"type":"text","text":"Hello"},{"type":"tool_use","id":"t1","name":"inspect","input":{"a":1}}],
      "stop_reason":"tool_use","usage":{"input_tokens":10,"output_tokens":4}})")));
  const auto response = provider().chat(request(), sink, cancel);
  EXPECT_EQ(response.content, "Hello");
  ASSERT_EQ(response.tool_calls.size(), 1u);
  EXPECT_EQ(response.tool_calls[0], (ToolCall{"t1", "inspect", R"({"a":1})"}));
  EXPECT_EQ(response.finish_reason, "tool_calls");
  EXPECT_EQ(response.usage, (Usage{10, 4}));
}

}  // namespace
}  // namespace agntd::llm
