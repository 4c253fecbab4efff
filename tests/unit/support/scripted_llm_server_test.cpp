// SPDX-License-Identifier: MIT
// The scripted server itself: what it records, how it reports unmet expectations, and that
// the streams it writes parse as each provider's format.
#include "support/scripted_llm_server.h"

#include <gtest/gtest.h>

#include "agntd/llm/http_transport.h"
#include "agntd/llm/sse_parser.h"

namespace agntos::testing {
namespace {

using agntd::llm::CurlTransport;
using agntd::llm::HttpBodyHandler;
using agntd::llm::HttpHead;
using agntd::llm::HttpOutcome;
using agntd::llm::HttpRequest;
using agntd::llm::HttpResult;
using agntd::llm::SseEvent;
using agntd::llm::SseParser;

// Collects the head and the body pieces as the transport delivers them.
struct Collector : HttpBodyHandler {
  void on_head(const HttpHead& received) override { head = received; }
  bool on_body(std::string_view bytes) override {
    body += bytes;
    ++pieces;
    return true;
  }
  HttpHead head;
  std::string body;
  int pieces = 0;
};

HttpResult post(const std::string& url, const std::string& body, Collector& collector,
                std::vector<agntd::llm::HttpHeader> headers = {}) {
  HttpRequest request;
  request.url = url;
  request.body = body;
  request.headers = std::move(headers);
  std::atomic<bool> cancel{false};
  return CurlTransport().post(request, collector, cancel);
}

TEST(ScriptedLlmServer, RecordsRequestsAndPlaysStepsInOrder) {
  ScriptedLlmServer server;
  server.push(ScriptStep::json(200, Json{{"n", 1}}));
  server.push(ScriptStep::error(503, "busy").with_header("Retry-After", "7"));
  Collector first, second;
  post(server.base_url() + "/chat/completions", R"({"model":"m"})", first, {{"X-Test", "yes"}});
  const auto result = post(server.base_url() + "/messages", "{}", second);

  EXPECT_EQ(first.head.status, 200);
  EXPECT_EQ(first.head.content_type, "application/json");
  EXPECT_EQ(Json::parse(first.body), (Json{{"n", 1}}));
  EXPECT_EQ(result.head.status, 503);
  EXPECT_EQ(result.head.retry_after, std::chrono::seconds(7));
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].path, "/v1/chat/completions");
  EXPECT_EQ(requests[0].json()["model"], "m");
  EXPECT_EQ(requests[0].header("x-test"), "yes");
  EXPECT_EQ(requests[1].path, "/v1/messages");
  EXPECT_TRUE(server.failures().empty());
}

TEST(ScriptedLlmServer, UnmetExpectationsAndMissingStepsAreFailures) {
  ScriptedLlmServer server;
  server.push(ScriptStep::json(200, Json::object())
                  .expecting(RequestExpectation{.path = "/v1/messages", .body_equals = {{"/stream", true}}}));
  Collector collector;
  post(server.base_url() + "/chat/completions", R"({"stream":false})", collector);
  EXPECT_EQ(collector.head.status, 400);
  post(server.base_url() + "/chat/completions", "{}", collector);
  EXPECT_EQ(collector.head.status, 500);
  const auto failures = server.failures();
  ASSERT_EQ(failures.size(), 2u);
  EXPECT_EQ(failures[0], "request 1: path is /v1/chat/completions, expected /v1/messages");
  EXPECT_EQ(failures[1], "request 2 (/v1/chat/completions) has no script step");
}

TEST(ScriptedLlmServer, ChunksArriveAsSeparateReadsWhenDelayed) {
  ScriptedLlmServer server;
  server.push(ScriptStep::events("data: a\n\ndata: b\n\n").split_at({3, 9, 12}));
  ScriptedLlmServer slow;
  slow.push(ScriptStep::events("data: a\n\ndata: b\n\n").split_every(4, std::chrono::milliseconds(20)));
  Collector fast_collector, slow_collector;
  post(server.base_url(), "{}", fast_collector);
  post(slow.base_url(), "{}", slow_collector);
  EXPECT_EQ(fast_collector.body, "data: a\n\ndata: b\n\n");
  EXPECT_EQ(slow_collector.body, "data: a\n\ndata: b\n\n");
  EXPECT_EQ(slow_collector.head.content_type, "text/event-stream");
  EXPECT_GE(slow_collector.pieces, 4);  // five pieces 20 ms apart are not merged into one read
}

TEST(ScriptedLlmServer, ADroppedStreamIsABrokenTransfer) {
  ScriptedLlmServer server;
  server.push(ScriptStep::events("data: a\n\ndata: b\n\n").drop_after(10));
  Collector collector;
  const auto result = post(server.base_url(), "{}", collector);
  EXPECT_EQ(result.outcome, HttpOutcome::transfer_failed);
  EXPECT_EQ(collector.body, "data: a\n\nd");
}

TEST(ScriptedLlmServer, ARefusedUrlRefuses) {
  Collector collector;
  EXPECT_EQ(post(refused_base_url(), "{}", collector).outcome, HttpOutcome::connect_failed);
}

std::vector<SseEvent> events_of(const std::string& stream) {
  SseParser parser;
  return parser.feed(stream);
}

TEST(ScriptedLlmServer, OpenAiStreamHasTheChunkShapes) {
  const auto events = events_of(openai_stream(ScriptedAnswer{
      .text = {"Hi"}, .tool_calls = {{"call_1", "inspect", R"({"a":1})", 2}}, .usage = std::pair{3L, 4L}}));
  ASSERT_EQ(events.size(), 8u);
  EXPECT_EQ(Json::parse(events[0].data)["choices"][0]["delta"], Json::parse(R"({"role":"assistant","content":""})"));
  EXPECT_EQ(Json::parse(events[1].data)["choices"][0]["delta"]["content"], "Hi");
  EXPECT_EQ(Json::parse(events[2].data)["choices"][0]["delta"]["tool_calls"][0],
            Json::parse(R"({"index":0,"id":"call_1","type":"function","function":{"name":"inspect","arguments":""}})"));
  EXPECT_EQ(Json::parse(events[3].data)["choices"][0]["delta"]["tool_calls"][0],
            Json::parse(R"({"index":0,"function":{"arguments":"{\"a"}})"));
  EXPECT_EQ(Json::parse(events[5].data)["choices"][0]["finish_reason"], "tool_calls");
  EXPECT_EQ(Json::parse(events[5].data)["usage"], nullptr);
  EXPECT_EQ(Json::parse(events[6].data)["choices"], Json::array());
  EXPECT_EQ(Json::parse(events[6].data)["usage"]["total_tokens"], 7);
  EXPECT_EQ(events[7].data, "[DONE]");
}

TEST(ScriptedLlmServer, AnthropicStreamHasTheEventSequence) {
  const auto events = events_of(anthropic_stream(ScriptedAnswer{
      .thinking = {"hm"}, .text = {"Hi"}, .tool_calls = {{"toolu_1", "inspect", R"({"a":1})", 2}}, .usage = std::pair{3L, 4L}}));
  std::vector<std::string> names;
  for (const auto& event : events) {
    names.push_back(event.event);
    EXPECT_EQ(Json::parse(event.data)["type"], event.event);
  }
  EXPECT_EQ(names, (std::vector<std::string>{
                       "message_start", "ping",
                       "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
                       "content_block_start", "content_block_delta", "content_block_stop",
                       "content_block_start", "content_block_delta", "content_block_delta", "content_block_delta",
                       "content_block_stop", "message_delta", "message_stop"}));
  EXPECT_EQ(Json::parse(events[9].data)["content_block"],
            Json::parse(R"({"type":"tool_use","id":"toolu_1","name":"inspect","input":{}})"));
  EXPECT_EQ(Json::parse(events[11].data)["delta"], Json::parse(R"({"type":"input_json_delta","partial_json":"{\"a"})"));
  EXPECT_EQ(Json::parse(events[14].data)["delta"]["stop_reason"], "tool_use");
  EXPECT_EQ(Json::parse(events[14].data)["usage"]["output_tokens"], 4);
}

}  // namespace
}  // namespace agntos::testing
