// SPDX-License-Identifier: MIT
#pragma once
// The fixture of the provider tests (tests/unit/agntd/llm/): a scripted LLM server on loopback
// (support/scripted_llm_server.h), real HttpProviders with libcurl pointed at it, an API key in
// the environment for the test's duration and a sink that records what the provider streamed.
// Retries wait milliseconds, so the failure tests stay fast. A test that ends with an unmet
// expectation or a request beyond its script fails.
//
//   class OpenAiDialect : public ProviderTest {
//   protected:
//     OpenAiDialect() : ProviderTest(ProviderKind::openai, "AGNTOS_TEST_OPENAI_KEY", "sk-test") {}
//   };
//   TEST_F(OpenAiDialect, Hello) {
//     server.push(ScriptStep::events(openai_stream({.text = {"hi"}})));
//     EXPECT_EQ(provider().chat(request(), sink, cancel).content, "hi");
//   }

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <vector>

#include "agntd/llm/http_provider.h"
#include "agntd/llm/http_transport.h"
#include "agntd/llm/llm_error.h"
#include "support/scripted_llm_server.h"

namespace agntd::llm::testing {

// A sink that records what it was told.
class RecordingSink : public StreamSink {
public:
  void on_token(std::string_view text, Channel channel) override;
  void on_tool_call_complete(const ToolCall& call) override { calls.push_back(call); }
  void on_usage(const Usage& reported) override;

  std::string content;
  std::string thinking;
  std::atomic<int> tokens{0};  // read by a canceller thread
  std::vector<ToolCall> calls;
  Usage usage;
  int usage_reports = 0;
};

// Retries after 10 ms (at most 40 ms), so that retry tests take milliseconds.
ProviderOptions fast_options();

class ProviderTest : public ::testing::Test {
protected:
  // Providers of `kind` read their key from `key_variable`, which holds `key` during the test.
  ProviderTest(agntos::ProviderKind kind, std::string key_variable, std::string key);
  void SetUp() override;
  void TearDown() override;

  // The fixture's kind (or `kind`) at the scripted server, model "scripted-model", 512 tokens,
  // the key from the fixture's variable.
  agntos::ModelProfile profile() const { return profile(m_kind); }
  agntos::ModelProfile profile(agntos::ProviderKind kind) const;
  HttpProvider provider() const { return provider(profile()); }
  HttpProvider provider(agntos::ModelProfile profile, ProviderOptions options = fast_options()) const;

  // A system message, a user message ("install htop") and one tool, inspect with a target.
  static ChatRequest request();
  // The LlmError chat() throws. Fails the test when chat() returns instead, or when the
  // message shows the key.
  LlmError failure_of(HttpProvider provider, const ChatRequest& chat = request());

  const std::string key_variable;
  const std::string key;
  agntos::testing::ScriptedLlmServer server;
  std::atomic<bool> cancel{false};
  RecordingSink sink;

private:
  agntos::ProviderKind m_kind;
};

}  // namespace agntd::llm::testing
