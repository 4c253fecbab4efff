// SPDX-License-Identifier: MIT
#pragma once
// The Anthropic Messages API.
//
// POST {endpoint}/messages with "x-api-key" (when the profile names a key variable) and
// "anthropic-version: 2023-06-01". System messages become the top-level `system`; an
// assistant's tool calls become `tool_use` blocks and tool messages `tool_result` blocks of a
// user message (consecutive messages of one role are merged, as the API wants roles to
// alternate); tools are {name, description, input_schema}.
//
// The stream is a sequence of named events: message_start (input token count),
// content_block_start (text, thinking or tool_use with id and name), content_block_delta
// (text_delta, thinking_delta, input_json_delta whose partial_json fragments are concatenated
// and parsed at content_block_stop), message_delta (stop_reason, output token count),
// message_stop, ping, and error. stop_reason is reported in OpenAI words: end_turn and
// stop_sequence -> "stop", max_tokens -> "length", tool_use -> "tool_calls".

#include <memory>

#include "agntd/llm/provider.h"

namespace agntd::llm {

class AnthropicProvider : public Provider {
public:
  AnthropicProvider(agntos::ModelProfile profile, std::shared_ptr<HttpTransport> transport, ProviderOptions options = {});

  ChatResponse chat(const ChatRequest& request, StreamSink& sink, const std::atomic<bool>& cancel) override;
  const agntos::ModelProfile& profile() const override { return m_profile; }

  // The JSON body chat() sends for `request`.
  Json request_body(const ChatRequest& request) const;

private:
  agntos::ModelProfile m_profile;
  std::shared_ptr<HttpTransport> m_transport;
  ProviderOptions m_options;
};

}  // namespace agntd::llm
