// SPDX-License-Identifier: MIT
#pragma once
// Test helpers for the providers: a sink that records what it was told, and a profile that
// points at a scripted server.

#include <atomic>
#include <string>
#include <vector>

#include "agntd/llm/provider.h"

namespace agntd::llm::testing {

class RecordingSink : public StreamSink {
public:
  void on_token(std::string_view text, Channel channel) override {
    (channel == Channel::content ? content : thinking) += text;
    ++tokens;
  }
  void on_tool_call_complete(const ToolCall& call) override { calls.push_back(call); }
  void on_usage(const Usage& reported) override {
    usage = reported;
    ++usage_reports;
  }

  std::string content;
  std::string thinking;
  std::atomic<int> tokens{0};  // read by a canceller thread
  std::vector<ToolCall> calls;
  Usage usage;
  int usage_reports = 0;
};

inline agntos::ModelProfile test_profile(agntos::ProviderKind provider, const std::string& endpoint,
                                         const std::string& key_env = "") {
  agntos::ModelProfile profile;
  profile.name = "test";
  profile.provider = provider;
  profile.endpoint = endpoint;
  profile.model = "scripted-model";
  profile.api_key_env = key_env;
  profile.max_tokens = 512;
  return profile;
}

// Fast retries so that retry tests take milliseconds.
inline ProviderOptions fast_options() {
  ProviderOptions options;
  options.retry.first_backoff = std::chrono::milliseconds(10);
  options.retry.max_backoff = std::chrono::milliseconds(40);
  options.connect_timeout = std::chrono::seconds(5);
  options.idle_timeout = std::chrono::seconds(20);
  return options;
}

}  // namespace agntd::llm::testing
