// SPDX-License-Identifier: MIT
#pragma once
// What the daemon calls to talk to a model.
//
// A Provider sends one ChatRequest and streams the answer into a StreamSink. chat() returns
// when the answer is complete, or early with finish_reason "cancelled" (and whatever had
// arrived) once `cancel` becomes true; it throws LlmError when the endpoint cannot give an
// answer, after the retries the provider allows (see retry.h). No message of an LlmError ever
// contains the API key, which is read from the profile's api_key_env variable at each request.
// chat() may be called from several threads at once.

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "agntd/llm/http_transport.h"
#include "agntd/llm/llm_error.h"
#include "agntd/llm/message.h"
#include "agntd/llm/retry.h"
#include "common/models_config.h"

namespace agntd::llm {

// Timeouts and retries of an HTTP provider.
struct ProviderOptions {
  RetryPolicy retry;
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  // No byte for this long ends the request. Generous: a local model may process a long prompt
  // for minutes before its first token.
  std::chrono::milliseconds idle_timeout{std::chrono::seconds(300)};
};

class Provider {
public:
  virtual ~Provider() = default;
  virtual ChatResponse chat(const ChatRequest& request, StreamSink& sink, const std::atomic<bool>& cancel) = 0;
  // The profile this provider serves (its name, model and endpoint; never a key).
  virtual const agntos::ModelProfile& profile() const = 0;
};

// The API key for a request to `profile` (see agntos::read_api_key), with an unset variable
// reported as LlmError(LlmFailure::config).
std::optional<std::string> request_api_key(const agntos::ModelProfile& profile);

// The HTTP provider for an "openai" or "anthropic" profile. Throws agntos::Error for an
// "offline" profile, which has no HTTP provider (the daemon's offline router serves it).
std::unique_ptr<Provider> make_http_provider(const agntos::ModelProfile& profile,
                                             std::shared_ptr<HttpTransport> transport,
                                             const ProviderOptions& options = {});

}  // namespace agntd::llm
