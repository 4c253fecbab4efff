// SPDX-License-Identifier: MIT
#include "agntd/llm/http_provider.h"

#include <gtest/gtest.h>

#include "support/llm_provider_fixture.h"

namespace agntd::llm {
namespace {

using agntos::ProviderKind;
using agntos::testing::openai_stream;
using agntos::testing::RequestExpectation;
using agntos::testing::ScriptedAnswer;
using agntos::testing::ScriptStep;
using testing::RecordingSink;

class OpenAiDialect : public testing::ProviderTest {
protected:
  OpenAiDialect() : ProviderTest(ProviderKind::openai, "AGNTOS_TEST_OPENAI_KEY", "sk-test-0penai-k3y-value") {}
};

TEST_F(OpenAiDialect, TextAndToolCallSplitAcrossManyReadsAreAssembled) {
  const std::string arguments = R"({"target":"system","detail":"caf\u00e9 \u2713 – full"})";
  server.push(ScriptStep::events(openai_stream(ScriptedAnswer{
                                     .text = {"Let me ", "look", " at the system."},
                                     .tool_calls = {{"call_abc", "inspect", arguments, 9}},
                                     .usage = std::pair{123L, 45L}}))
                  .split_every(7, std::chrono::milliseconds(1)));
  const auto response = provider().chat(request(), sink, cancel);

  EXPECT_EQ(response.content, "Let me look at the system.");
  EXPECT_EQ(sink.content, response.content);
  EXPECT_EQ(sink.tokens, 3);
  ASSERT_EQ(response.tool_calls.size(), 1u);
  EXPECT_EQ(response.tool_calls[0], (ToolCall{"call_abc", "inspect", arguments}));
  ASSERT_EQ(sink.calls.size(), 1u);
  EXPECT_EQ(sink.calls[0], response.tool_calls[0]);
  EXPECT_EQ(response.finish_reason, "tool_calls");
  EXPECT_EQ(response.usage, (Usage{123, 45}));
  EXPECT_EQ(sink.usage, (Usage{123, 45}));
  EXPECT_EQ(sink.usage_reports, 1);
}

TEST_F(OpenAiDialect, RequestFollowsTheChatCompletionsFormat) {
  server.push(ScriptStep::events(openai_stream(ScriptedAnswer{.text = {"ok"}}))
                  .expecting(RequestExpectation{.path = "/v1/chat/completions",
                                                .body_equals = {{"/stream", true},
                                                                {"/stream_options/include_usage", true},
                                                                {"/model", "scripted-model"},
                                                                {"/max_tokens", 512}},
                                                .header_equals = {{"Authorization", "Bearer " + key}}}));
  auto chat = request();
  chat.messages.push_back(Message{Role::assistant, "", {ToolCall{"call_1", "inspect", R"({"target":"cpu"})"}}, "", ""});
  chat.messages.push_back(Message{Role::tool, "4 cores", {}, "call_1", "inspect"});
  provider().chat(chat, sink, cancel);

  const Json body = server.requests().at(0).json();
  EXPECT_EQ(body["tools"], Json::parse(R"([{"type":"function","function":{"name":"inspect",
      "description":"Show system state","parameters":{"type":"object","properties":{"target":{"type":"string"}}}}}])"));
  EXPECT_EQ(body["messages"][0], Json::parse(R"({"role":"system","content":"You manage NixOS."})"));
  EXPECT_EQ(body["messages"][2], Json::parse(R"({"role":"assistant","content":null,"tool_calls":[{"id":"call_1",
      "type":"function","function":{"name":"inspect","arguments":"{\"target\":\"cpu\"}"}}]})"));
  EXPECT_EQ(body["messages"][3], Json::parse(R"({"role":"tool","tool_call_id":"call_1","content":"4 cores"})"));
  EXPECT_FALSE(body.contains("temperature"));
}

TEST_F(OpenAiDialect, NoAuthorizationHeaderWithoutAKeyVariable) {
  server.push(ScriptStep::events(openai_stream(ScriptedAnswer{.text = {"ok"}}))
                  .expecting(RequestExpectation{.headers_absent = {"Authorization"}}));
  auto keyless = profile();
  keyless.api_key_env = "";
  EXPECT_EQ(provider(keyless).chat(request(), sink, cancel).content, "ok");
}

TEST_F(OpenAiDialect, ToolsAreLeftOutWhenTheProfileSaysTheModelHasNone) {
  server.push(ScriptStep::events(openai_stream(ScriptedAnswer{.text = {"ok"}})));
  auto no_tools = profile();
  no_tools.supports_tools = false;
  no_tools.temperature = 0.25;
  provider(no_tools).chat(request(), sink, cancel);
  const Json body = server.requests().at(0).json();
  EXPECT_FALSE(body.contains("tools"));
  EXPECT_EQ(body["temperature"], 0.25);
}

TEST_F(OpenAiDialect, ParallelToolCallsAreAssembledByIndex) {
  server.push(ScriptStep::events(openai_stream(ScriptedAnswer{
                                     .tool_calls = {{"call_1", "inspect", R"({"target":"cpu"})", 4},
                                                    {"call_2", "audit", R"({"action":"list","limit":5})", 6},
                                                    {"call_3", "memory", R"({})", 2}},
                                     .interleave_tool_calls = true}))
                  .split_every(11));
  const auto response = provider().chat(request(), sink, cancel);
  ASSERT_EQ(response.tool_calls.size(), 3u);
  EXPECT_EQ(response.tool_calls[0], (ToolCall{"call_1", "inspect", R"({"target":"cpu"})"}));
  EXPECT_EQ(response.tool_calls[1], (ToolCall{"call_2", "audit", R"({"action":"list","limit":5})"}));
  EXPECT_EQ(response.tool_calls[2], (ToolCall{"call_3", "memory", "{}"}));
  EXPECT_EQ(sink.calls, response.tool_calls);
  EXPECT_EQ(response.finish_reason, "tool_calls");
}

TEST_F(OpenAiDialect, ANewIdAtAReusedIndexStartsANewCall) {
  // Some servers (Ollama) send every call of a parallel batch at index 0.
  auto chunk = [](const Json& call) {
    return "data: " + Json{{"choices", {{{"index", 0}, {"delta", {{"tool_calls", {call}}}}}}}}.dump() + "\n\n";
  };
  std::string stream = chunk(Json{{"index", 0}, {"id", "a"}, {"function", {{"name", "inspect"}, {"arguments", "{}"}}}});
  stream += chunk(Json{{"index", 0}, {"id", "b"}, {"function", {{"name", "audit"}, {"arguments", "{\"x\":"}}}});
  stream += chunk(Json{{"index", 0}, {"function", {{"arguments", "1}"}}}});
  stream += "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\ndata: [DONE]\n\n";
  server.push(ScriptStep::events(stream));
  const auto response = provider().chat(request(), sink, cancel);
  ASSERT_EQ(response.tool_calls.size(), 2u);
  EXPECT_EQ(response.tool_calls[0], (ToolCall{"a", "inspect", "{}"}));
  EXPECT_EQ(response.tool_calls[1], (ToolCall{"b", "audit", "{\"x\":1}"}));
}

TEST_F(OpenAiDialect, ReasoningGoesToTheThinkingChannel) {
  for (const char* field : {"reasoning_content", "reasoning"}) {
    server.push(ScriptStep::events(openai_stream(ScriptedAnswer{
                                       .thinking = {"The user wants ", "htop."}, .text = {"Sure."}, .reasoning_field = field}))
                    .split_every(5));
    RecordingSink channel_sink;
    const auto response = provider().chat(request(), channel_sink, cancel);
    EXPECT_EQ(response.thinking, "The user wants htop.") << field;
    EXPECT_EQ(channel_sink.thinking, "The user wants htop.") << field;
    EXPECT_EQ(response.content, "Sure.") << field;
    EXPECT_EQ(channel_sink.content, "Sure.") << field;
  }
}

TEST_F(OpenAiDialect, AStreamWithoutDoneEndsAtItsFinishReason) {
  server.push(ScriptStep::events(openai_stream(ScriptedAnswer{.text = {"done"}, .terminator = false})));
  const auto response = provider().chat(request(), sink, cancel);
  EXPECT_EQ(response.content, "done");
  EXPECT_EQ(response.finish_reason, "stop");
}

TEST_F(OpenAiDialect, AServerThatDoesNotStreamIsUnderstood) {
  server.push(ScriptStep::json(200, Json::parse(R"({"id":"x","object":"chat.completion","choices":[{"index":0,
      "message":{"role":"assistant","content":"Hi.","reasoning_content":"hm",
      "tool_calls":[{"id":"c1","type":"function","function":{"name":"inspect","arguments":"{}"}}]},
      "finish_reason":"tool_calls"}],"usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12}})")));
  const auto response = provider().chat(request(), sink, cancel);
  EXPECT_EQ(response.content, "Hi.");
  EXPECT_EQ(response.thinking, "hm");
  ASSERT_EQ(response.tool_calls.size(), 1u);
  EXPECT_EQ(response.tool_calls[0], (ToolCall{"c1", "inspect", "{}"}));
  EXPECT_EQ(response.usage, (Usage{9, 3}));
  EXPECT_EQ(sink.calls.size(), 1u);
}

TEST_F(OpenAiDialect, AnErrorInsideTheStreamIsReported) {
  server.push(ScriptStep::events("data: {\"error\":{\"message\":\"model overloaded\",\"type\":\"server_error\"}}\n\n"));
  const auto error = failure_of(provider());
  EXPECT_EQ(error.kind(), LlmFailure::endpoint);
  EXPECT_NE(std::string(error.what()).find("model overloaded"), std::string::npos) << error.what();
  EXPECT_NE(std::string(error.what()).find(server.base_url()), std::string::npos) << error.what();
}

}  // namespace
}  // namespace agntd::llm
