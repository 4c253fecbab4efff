// SPDX-License-Identifier: MIT
#pragma once
// What one HTTP chat API does differently from another: the path it is posted to, how the key
// is sent, the request body, and how the answer's event stream is decoded. HttpProvider
// (http_provider.h) does everything they share (the request, retries, cancellation).
//
// The dialects: openai_dialect.cpp (chat completions: OpenAI and most local servers) and
// anthropic_dialect.cpp (Messages API). Each file's opening comment describes its wire format.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agntd/llm/http_transport.h"
#include "agntd/llm/message.h"
#include "agntd/llm/retry.h"
#include "common/json.h"
#include "common/models_config.h"

namespace agntd::llm {

using agntos::Json;

// A StreamDecoder that also hands over what it assembled.
class ResponseDecoder : public StreamDecoder {
public:
  // The answer so far; with `cancelled`, tool calls not yet complete are left out and the
  // finish reason is "cancelled".
  virtual ChatResponse response(bool cancelled) const = 0;
};

class Dialect {
public:
  virtual ~Dialect() = default;
  // Appended to the profile's endpoint ("/chat/completions", "/messages").
  virtual std::string path() const = 0;
  // The headers this API wants besides Content-Type and Accept, the key among them when there is one.
  virtual std::vector<HttpHeader> headers(const std::optional<std::string>& key) const = 0;
  virtual Json request_body(const ChatRequest& request, const agntos::ModelProfile& profile) const = 0;
  virtual std::unique_ptr<ResponseDecoder> decoder(StreamSink& sink) const = 0;
};

std::unique_ptr<Dialect> openai_dialect();
std::unique_ptr<Dialect> anthropic_dialect();

}  // namespace agntd::llm
