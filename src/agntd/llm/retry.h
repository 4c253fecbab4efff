// SPDX-License-Identifier: MIT
#pragma once
// The request loop both HTTP providers share: POST, decode the event stream, retry.
//
// Retried (at most max_retries times, with exponential backoff): connection failures, 429
// (waiting Retry-After when the endpoint sends it), 5xx, a connection that broke or a stream
// that ended early, and errors the decoder marks retryable — but only while nothing has been
// delivered to the caller's sink. Once a token has been shown, a failure is final: repeating
// the request would show the user the beginning of the answer twice.
//
// Every error message names the endpoint URL (without its query) and what went wrong, e.g.
// "LLM endpoint http://127.0.0.1:8081/v1/chat/completions returned 401: invalid api key".
// The request's secrets are replaced by "[redacted]" in every message, so even an endpoint
// that echoes the key cannot put it into an error.

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>

#include "agntd/llm/http_transport.h"
#include "agntd/llm/llm_error.h"
#include "agntd/llm/sse_parser.h"

namespace agntd::llm {

struct RetryPolicy {
  int max_retries = 3;
  std::chrono::milliseconds first_backoff{1000};  // doubled for each further retry
  std::chrono::milliseconds max_backoff{16000};
  // A Retry-After longer than this is not waited for: the error says when to try again.
  std::chrono::seconds max_retry_after{60};
};

// Delay before retry number `retry` (0 for the first): first_backoff * 2^retry, capped at
// max_backoff.
std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int retry);

// Sleeps, waking every 50 ms to look at `cancel`; false when cancelled.
bool sleep_unless_cancelled(std::chrono::milliseconds duration, const std::atomic<bool>& cancel);

// The provider-specific half of a streamed exchange.
class StreamDecoder {
public:
  virtual ~StreamDecoder() = default;
  // A new attempt begins: forget what an earlier attempt decoded.
  virtual void reset() = 0;
  // One server-sent event of a 2xx response. Throws LlmError on malformed or error events,
  // with a message that reads on from "LLM endpoint <url> ", e.g. "sent malformed JSON: …".
  virtual void on_event(const SseEvent& event) = 0;
  // A 2xx response that is a plain JSON document instead of an event stream.
  virtual void on_json_body(const std::string& body) = 0;
  // The stream's terminator has arrived ([DONE], message_stop).
  virtual bool finished() const = 0;
  // Something has reached the caller's sink.
  virtual bool delivered() const = 0;
};

enum class StreamEnd { finished, cancelled };

// Runs the exchange until the decoder is finished, the caller cancels, or a failure is final
// (thrown as LlmError).
StreamEnd stream_with_retries(HttpTransport& transport, const HttpRequest& request, const RetryPolicy& policy,
                              StreamDecoder& decoder, const std::atomic<bool>& cancel);

// The human-readable message of an error response body ({"error":{"message":…}},
// {"error":"…"}, {"message":…}, {"detail":…}), else the body itself, trimmed and capped.
std::string error_message_from_body(std::string_view body);

// `url` without its query string and fragment (for messages).
std::string url_for_messages(std::string_view url);

}  // namespace agntd::llm
