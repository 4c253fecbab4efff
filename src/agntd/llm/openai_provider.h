// SPDX-License-Identifier: MIT
#pragma once
// The OpenAI chat-completions protocol, spoken by OpenAI and by most local servers (llama.cpp,
// Ollama, vLLM, LM Studio).
//
// POST {endpoint}/chat/completions with stream: true and stream_options.include_usage, tools
// as {"type":"function","function":{name,description,parameters}}, and
// "Authorization: Bearer <key>" only when the profile names a key variable. The answer streams
// as `data: {chunk}` events ending with `data: [DONE]`: choices[0].delta.content is text,
// delta.reasoning_content or delta.reasoning is thinking, delta.tool_calls are fragments
// assembled by their index (id and name in the first fragment, arguments concatenated; a new
// id at a used index starts a new call, as some servers reuse index 0), and the chunk with
// `usage` gives the token counts. A server that answers with one JSON document instead of a
// stream is understood too.

#include <memory>

#include "agntd/llm/provider.h"

namespace agntd::llm {

class OpenAiProvider : public Provider {
public:
  OpenAiProvider(agntos::ModelProfile profile, std::shared_ptr<HttpTransport> transport, ProviderOptions options = {});

  ChatResponse chat(const ChatRequest& request, StreamSink& sink, const std::atomic<bool>& cancel) override;
  const agntos::ModelProfile& profile() const override { return m_profile; }

  // The JSON body chat() sends for `request` (also used to measure prompt size).
  Json request_body(const ChatRequest& request) const;

private:
  agntos::ModelProfile m_profile;
  std::shared_ptr<HttpTransport> m_transport;
  ProviderOptions m_options;
};

}  // namespace agntd::llm
