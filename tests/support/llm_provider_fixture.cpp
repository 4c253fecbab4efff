// SPDX-License-Identifier: MIT
#include "support/llm_provider_fixture.h"

#include <cstdlib>

namespace agntd::llm::testing {

void RecordingSink::on_token(std::string_view text, Channel channel) {
  (channel == Channel::content ? content : thinking) += text;
  ++tokens;
}

void RecordingSink::on_usage(const Usage& reported) {
  usage = reported;
  ++usage_reports;
}

ProviderOptions fast_options() {
  ProviderOptions options;
  options.retry.first_backoff = std::chrono::milliseconds(10);
  options.retry.max_backoff = std::chrono::milliseconds(40);
  options.connect_timeout = std::chrono::seconds(5);
  options.idle_timeout = std::chrono::seconds(20);
  return options;
}

ProviderTest::ProviderTest(agntos::ProviderKind kind, std::string variable, std::string value)
    : key_variable(std::move(variable)), key(std::move(value)), m_kind(kind) {}

void ProviderTest::SetUp() { ::setenv(key_variable.c_str(), key.c_str(), 1); }

void ProviderTest::TearDown() {
  ::unsetenv(key_variable.c_str());
  const auto failures = server.failures();
  EXPECT_TRUE(failures.empty()) << failures.front();
}

agntos::ModelProfile ProviderTest::profile(agntos::ProviderKind kind) const {
  agntos::ModelProfile profile;
  profile.name = "test";
  profile.provider = kind;
  profile.endpoint = server.base_url();
  profile.model = "scripted-model";
  profile.api_key_env = key_variable;
  profile.max_tokens = 512;
  return profile;
}

HttpProvider ProviderTest::provider(agntos::ModelProfile profile, ProviderOptions options) const {
  return HttpProvider(std::move(profile), std::make_shared<CurlTransport>(), options);
}

ChatRequest ProviderTest::request() {
  ChatRequest chat;
  chat.messages = {Message{Role::system, "You manage NixOS.", {}, "", ""}, Message{Role::user, "install htop", {}, "", ""}};
  chat.tools = {ToolSchema{"inspect", "Show system state",
                           Json{{"type", "object"}, {"properties", {{"target", {{"type", "string"}}}}}}}};
  return chat;
}

LlmError ProviderTest::failure_of(HttpProvider provider, const ChatRequest& chat) {
  try {
    provider.chat(chat, sink, cancel);
  } catch (const LlmError& e) {
    EXPECT_EQ(std::string(e.what()).find(key), std::string::npos) << "the key leaked: " << e.what();
    return e;
  }
  ADD_FAILURE() << "chat() did not fail";
  return LlmError(LlmFailure::config, "none");
}

}  // namespace agntd::llm::testing
