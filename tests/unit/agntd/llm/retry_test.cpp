// SPDX-License-Identifier: MIT
// Failures of the HTTP exchange, through the real providers, libcurl and the scripted server:
// retries, timeouts, cancellation, broken streams, and that the API key never shows.
#include "agntd/llm/retry.h"

#include <gtest/gtest.h>

#include <thread>

#include "support/llm_provider_fixture.h"

namespace agntd::llm {
namespace {

using namespace std::chrono_literals;
using agntos::ProviderKind;
using agntos::testing::anthropic_stream;
using agntos::testing::openai_stream;
using agntos::testing::refused_base_url;
using agntos::testing::ScriptedAnswer;
using agntos::testing::ScriptStep;
using testing::fast_options;

constexpr const char* kKey = "sk-s3cret-never-print-me";

using Clock = std::chrono::steady_clock;

class LlmRetryTest : public testing::ProviderTest {
protected:
  LlmRetryTest() : ProviderTest(ProviderKind::openai, "AGNTOS_TEST_RETRY_KEY", kKey) {}
};

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(LlmRetryPolicy, BackoffDoublesUpToTheCap) {
  RetryPolicy policy;
  policy.first_backoff = 100ms;
  policy.max_backoff = 350ms;
  EXPECT_EQ(backoff_delay(policy, 0), 100ms);
  EXPECT_EQ(backoff_delay(policy, 1), 200ms);
  EXPECT_EQ(backoff_delay(policy, 2), 350ms);
  EXPECT_EQ(backoff_delay(policy, 30), 350ms);
}

TEST(LlmRetryPolicy, RetryAfterIsSecondsOrADate) {
  EXPECT_EQ(parse_retry_after("7"), std::chrono::seconds(7));
  EXPECT_EQ(parse_retry_after(" 0 "), std::chrono::seconds(0));
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), std::chrono::seconds(0));  // in the past
  EXPECT_EQ(parse_retry_after("soon"), std::nullopt);
}

TEST(LlmRetryPolicy, ErrorBodiesOfBothApisGiveTheirMessage) {
  EXPECT_EQ(error_message_from_body(R"({"error":{"message":"Invalid key","type":"auth"}})"), "Invalid key");
  EXPECT_EQ(error_message_from_body(R"({"type":"error","error":{"type":"x","message":"Overloaded"}})"), "Overloaded");
  EXPECT_EQ(error_message_from_body(R"({"error":"model not found"})"), "model not found");
  EXPECT_EQ(error_message_from_body(R"({"detail":"Not Found"})"), "Not Found");
  EXPECT_EQ(error_message_from_body("<html>\nBad Gateway\n</html>"), "<html> Bad Gateway </html>");
  EXPECT_EQ(error_message_from_body(""), "(empty response)");
}

TEST_F(LlmRetryTest, RateLimitIsRetriedAfterTheRetryAfterDelay) {
  server.push(ScriptStep::error(429, "rate limited").with_header("Retry-After", "1"));
  server.push(ScriptStep::events(openai_stream(ScriptedAnswer{.text = {"after ", "waiting"}})));
  const auto started = Clock::now();
  const auto response = provider().chat(request(), sink, cancel);
  EXPECT_EQ(response.content, "after waiting");
  EXPECT_GE(Clock::now() - started, 950ms);
  EXPECT_EQ(server.requests().size(), 2u);
}

TEST_F(LlmRetryTest, ARetryAfterLongerThanTheCapFailsAtOnceSayingWhen) {
  server.push(ScriptStep::error(429, "quota exceeded").with_header("Retry-After", "3600"));
  const auto error = failure_of(provider());
  EXPECT_TRUE(contains(error.what(), "returned 429: quota exceeded")) << error.what();
  EXPECT_TRUE(contains(error.what(), "retry after 3600 s")) << error.what();
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST_F(LlmRetryTest, ServerErrorsAreRetriedThenSucceed) {
  for (int i = 0; i < 3; ++i) server.push(ScriptStep::error(500 + i, "busy"));
  server.push(ScriptStep::events(openai_stream(ScriptedAnswer{.text = {"third time lucky"}})));
  EXPECT_EQ(provider().chat(request(), sink, cancel).content, "third time lucky");
  EXPECT_EQ(server.requests().size(), 4u);
}

TEST_F(LlmRetryTest, ServerErrorsAfterThreeRetriesFailWithAClearError) {
  for (int i = 0; i < 4; ++i) server.push(ScriptStep::error(500, "internal trouble"));
  const auto error = failure_of(provider());
  EXPECT_EQ(error.kind(), LlmFailure::http_status);
  EXPECT_EQ(error.http_status(), 500);
  EXPECT_EQ(std::string(error.what()), "LLM endpoint " + server.base_url() +
                                           "/chat/completions returned 500: internal trouble (after 4 attempts)");
  EXPECT_EQ(server.requests().size(), 4u);
  EXPECT_EQ(server.steps_left(), 0u);
}

TEST_F(LlmRetryTest, ClientErrorsAreNotRetried) {
  server.push(ScriptStep::error(400, "unknown model"));
  const auto error = failure_of(provider(profile(ProviderKind::anthropic)));
  EXPECT_EQ(std::string(error.what()), "LLM endpoint " + server.base_url() + "/messages returned 400: unknown model");
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST_F(LlmRetryTest, ARefusedConnectionIsRetriedThenNamed) {
  auto refused = profile();
  refused.endpoint = refused_base_url();
  const std::string url = refused.endpoint;
  const auto error = failure_of(provider(refused));
  EXPECT_EQ(error.kind(), LlmFailure::connect);
  EXPECT_TRUE(contains(error.what(), "cannot connect to LLM endpoint " + url + "/chat/completions")) << error.what();
  EXPECT_TRUE(contains(error.what(), "(after 4 attempts)")) << error.what();
}

TEST_F(LlmRetryTest, AConnectionDroppedAfterTokensFailsWithoutRetry) {
  const std::string stream = openai_stream(ScriptedAnswer{.text = {"partial ", "answer ", "that ", "never ", "ends"}});
  server.push(ScriptStep::events(stream).drop_after(stream.find("that")));
  server.push(ScriptStep::events(openai_stream(ScriptedAnswer{.text = {"must not be requested"}})));
  const auto error = failure_of(provider());
  EXPECT_EQ(error.kind(), LlmFailure::broken);
  EXPECT_TRUE(contains(error.what(), "the connection to LLM endpoint " + server.base_url() +
                                         "/chat/completions broke mid-response"))
      << error.what();
  EXPECT_EQ(sink.content, "partial answer ");
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST_F(LlmRetryTest, AConnectionDroppedBeforeAnyTokenIsRetried) {
  const std::string stream = openai_stream(ScriptedAnswer{.text = {"hello"}});
  server.push(ScriptStep::events(stream).drop_after(20));  // inside the role-only first chunk
  server.push(ScriptStep::events(stream));
  EXPECT_EQ(provider().chat(request(), sink, cancel).content, "hello");
  EXPECT_EQ(server.requests().size(), 2u);
}

TEST_F(LlmRetryTest, AStreamThatEndsEarlyIsAClearError) {
  // A clean end of the body without [DONE] or finish_reason, after tokens were shown.
  server.push(ScriptStep::events("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"cut\"}}]}\n\n"));
  const auto error = failure_of(provider());
  EXPECT_EQ(error.kind(), LlmFailure::broken);
  EXPECT_TRUE(contains(error.what(), "ended the response before it was complete")) << error.what();
}

TEST_F(LlmRetryTest, MalformedJsonInTheStreamIsAClearError) {
  server.push(ScriptStep::events("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"}}]}\n\n"
                                 "data: {\"choices\": [ this is not json\n\n"));
  const auto error = failure_of(provider());
  EXPECT_EQ(error.kind(), LlmFailure::protocol);
  EXPECT_TRUE(contains(error.what(), "LLM endpoint " + server.base_url() +
                                         "/chat/completions sent malformed JSON in its event stream: {\"choices\": [ this"))
      << error.what();
}

TEST_F(LlmRetryTest, MalformedJsonFromAnthropicIsAClearError) {
  server.push(ScriptStep::events("event: message_start\ndata: {not json}\n\n"));
  const auto error = failure_of(provider(profile(ProviderKind::anthropic)));
  EXPECT_EQ(error.kind(), LlmFailure::protocol);
  EXPECT_TRUE(contains(error.what(), "malformed JSON")) << error.what();
}

TEST_F(LlmRetryTest, AnEventWithValuesOfTheWrongTypeIsAClearError) {
  server.push(ScriptStep::events("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":\"zero\","
                                 "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"));
  const auto error = failure_of(provider(profile(ProviderKind::anthropic)));
  EXPECT_EQ(error.kind(), LlmFailure::protocol);
  EXPECT_TRUE(contains(error.what(), "sent an event the daemon cannot read")) << error.what();
}

TEST_F(LlmRetryTest, NullUsageCountsAreReadAsZero) {
  server.push(ScriptStep::events("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"},\"finish_reason\":\"stop\"}],"
                                 "\"usage\":{\"prompt_tokens\":null,\"completion_tokens\":2}}\n\ndata: [DONE]\n\n"));
  const auto response = provider().chat(request(), sink, cancel);
  EXPECT_EQ(response.usage, (Usage{0, 2}));
}

TEST_F(LlmRetryTest, CancelDuringAStalledStreamReturnsPromptly) {
  const std::string stream = openai_stream(ScriptedAnswer{.text = {"thinking about it", " forever"}});
  server.push(ScriptStep::events(stream).stall_after(stream.find(" forever"), 60s));
  std::thread canceller([this] {
    while (sink.tokens == 0) std::this_thread::sleep_for(5ms);
    std::this_thread::sleep_for(100ms);
    cancel = true;
  });
  const auto started = Clock::now();
  const auto response = provider().chat(request(), sink, cancel);
  const auto elapsed = Clock::now() - started;
  canceller.join();
  EXPECT_EQ(response.finish_reason, "cancelled");
  EXPECT_EQ(response.content, "thinking about it");
  EXPECT_LT(elapsed, 1500ms);
}

TEST_F(LlmRetryTest, CancelDuringTheBackoffReturnsPromptly) {
  server.push(ScriptStep::error(503, "later").with_header("Retry-After", "30"));
  std::thread canceller([this] {
    while (server.requests().empty()) std::this_thread::sleep_for(5ms);
    std::this_thread::sleep_for(100ms);
    cancel = true;
  });
  const auto started = Clock::now();
  const auto response = provider().chat(request(), sink, cancel);
  canceller.join();
  EXPECT_EQ(response.finish_reason, "cancelled");
  EXPECT_LT(Clock::now() - started, 1500ms);
}

TEST_F(LlmRetryTest, AStalledStreamTimesOut) {
  const std::string stream = openai_stream(ScriptedAnswer{.text = {"a", "b"}});
  server.push(ScriptStep::events(stream).stall_after(stream.find("\"b\""), 30s));
  auto options = fast_options();
  options.idle_timeout = 300ms;
  const auto started = Clock::now();
  const auto error = failure_of(provider(profile(), options));
  EXPECT_EQ(error.kind(), LlmFailure::timeout);
  EXPECT_EQ(error.code(), agntos::Errc::timeout);
  EXPECT_TRUE(contains(error.what(), "stopped sending (no data for 300 ms)")) << error.what();
  EXPECT_LT(Clock::now() - started, 3s);
}

TEST_F(LlmRetryTest, TheKeyIsSentButNeverAppearsInAnError) {
  // An endpoint that echoes the key it was given, as some do in their 401 message.
  server.push(ScriptStep::error(401, std::string("Incorrect API key provided: ") + kKey));
  const auto error = failure_of(provider());
  EXPECT_EQ(server.requests().at(0).header("Authorization"), std::string("Bearer ") + kKey);
  EXPECT_EQ(std::string(error.what()), "LLM endpoint " + server.base_url() +
                                           "/chat/completions returned 401: Incorrect API key provided: [redacted]");

  server.push(ScriptStep::error(403, std::string("key ") + kKey + " is disabled"));
  const auto anthropic_error = failure_of(provider(profile(ProviderKind::anthropic)));
  EXPECT_EQ(server.requests().at(1).header("x-api-key"), kKey);
  EXPECT_TRUE(contains(anthropic_error.what(), "returned 403: key [redacted] is disabled")) << anthropic_error.what();
}

TEST_F(LlmRetryTest, AnUnsetKeyVariableIsNamedWithoutAnyValue) {
  ::unsetenv(key_variable.c_str());
  const auto error = failure_of(provider());
  EXPECT_EQ(error.kind(), LlmFailure::config);
  EXPECT_TRUE(contains(error.what(), "the environment variable " + key_variable)) << error.what();
  EXPECT_TRUE(server.requests().empty());
}

TEST_F(LlmRetryTest, AnOfflineProfileHasNoHttpProvider) {
  EXPECT_THROW(make_http_provider(agntos::offline_profile(), std::make_shared<CurlTransport>()), agntos::Error);
  EXPECT_THROW(HttpProvider(agntos::offline_profile(), std::make_shared<CurlTransport>()), agntos::Error);
}

}  // namespace
}  // namespace agntd::llm
