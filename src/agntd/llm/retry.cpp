// SPDX-License-Identifier: MIT
#include "agntd/llm/retry.h"

#include <algorithm>
#include <thread>

#include "common/json.h"
#include "common/secret_env.h"
#include "common/text.h"

namespace agntd::llm {
namespace {

constexpr size_t kMaxErrorBody = 64 * 1024;
constexpr size_t kMaxErrorMessage = 500;

enum class BodyMode { none, events, json, error };

// Routes the response body: event stream to the decoder, anything else into a buffer.
class BodyRouter : public HttpBodyHandler {
public:
  explicit BodyRouter(StreamDecoder& decoder) : m_decoder(decoder) {}

  void on_head(const HttpHead& head) override {
    m_head = head;
    if (head.status < 200 || head.status >= 300) m_mode = BodyMode::error;
    else if (head.content_type == "application/json") m_mode = BodyMode::json;
    else m_mode = BodyMode::events;  // text/event-stream, or a server that does not say
  }

  bool on_body(std::string_view bytes) override {
    switch (m_mode) {
      case BodyMode::events:
        for (const auto& event : m_parser.feed(bytes)) m_decoder.on_event(event);
        return true;
      case BodyMode::json:
      case BodyMode::error:
        if (m_buffer.size() < kMaxErrorBody || m_mode == BodyMode::json) m_buffer.append(bytes);
        return true;
      case BodyMode::none:
        return true;
    }
    return true;
  }

  BodyMode mode() const { return m_mode; }
  const std::string& buffer() const { return m_buffer; }

private:
  StreamDecoder& m_decoder;
  SseParser m_parser;
  HttpHead m_head;
  BodyMode m_mode = BodyMode::none;
  std::string m_buffer;
};

// One attempt's failure: the message, whether another attempt may help, and how long the
// endpoint asked us to wait.
struct Failure {
  LlmFailure kind;
  std::string message;
  long status = 0;
  bool retryable = false;
  std::optional<std::chrono::seconds> retry_after;
};

}  // namespace

std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int retry) {
  auto delay = policy.first_backoff;
  for (int i = 0; i < retry && delay < policy.max_backoff; ++i) delay *= 2;
  return std::min(delay, policy.max_backoff);
}

bool sleep_unless_cancelled(std::chrono::milliseconds duration, const std::atomic<bool>& cancel) {
  const auto until = std::chrono::steady_clock::now() + duration;
  while (!cancel.load()) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= until) return true;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(until - now, std::chrono::milliseconds(50)));
  }
  return false;
}

std::string url_for_messages(std::string_view url) {
  return std::string(url.substr(0, std::min(url.find('?'), url.find('#'))));
}

std::string error_message_from_body(std::string_view body) {
  std::string message;
  const auto json = agntos::Json::parse(body, nullptr, false);
  if (json.is_object()) {
    const auto error = json.find("error");
    if (error != json.end() && error->is_object()) {
      message = agntos::json_string(*error, "message").value_or("");
      if (message.empty()) message = agntos::dump_json(*error);
    } else if (error != json.end() && error->is_string()) {
      message = error->get<std::string>();
    } else if (auto text = agntos::json_string(json, "message")) {
      message = *text;
    } else if (auto detail = json.find("detail"); detail != json.end()) {
      message = detail->is_string() ? detail->get<std::string>() : agntos::dump_json(*detail);
    }
  }
  if (message.empty()) message = agntos::trim(body);
  for (char& c : message)
    if (c == '\n' || c == '\r') c = ' ';
  if (message.size() > kMaxErrorMessage) message = std::string(agntos::utf8_prefix(message, kMaxErrorMessage)) + "…";
  return message.empty() ? "(empty response)" : message;
}

StreamEnd stream_with_retries(HttpTransport& transport, const HttpRequest& request, const RetryPolicy& policy,
                              StreamDecoder& decoder, const std::atomic<bool>& cancel) {
  const std::string where = "LLM endpoint " + url_for_messages(request.url);
  const int attempts = 1 + std::max(0, policy.max_retries);
  for (int attempt = 1;; ++attempt) {
    if (cancel.load()) return StreamEnd::cancelled;
    decoder.reset();
    BodyRouter router(decoder);
    std::optional<Failure> failure;
    try {
      const HttpResult result = transport.post(request, router, cancel);
      const long status = result.head.status;
      if (result.outcome == HttpOutcome::cancelled) return StreamEnd::cancelled;
      if (status != 0 && (status < 200 || status >= 300) &&
          (result.outcome == HttpOutcome::completed || !router.buffer().empty())) {
        failure = Failure{LlmFailure::http_status,
                          where + " returned " + std::to_string(status) + ": " + error_message_from_body(router.buffer()),
                          status, status == 429 || status == 408 || status >= 500, result.head.retry_after};
      } else {
        switch (result.outcome) {
          case HttpOutcome::completed:
          case HttpOutcome::aborted:
            if (router.mode() == BodyMode::json) decoder.on_json_body(router.buffer());
            if (!decoder.finished())
              failure = Failure{LlmFailure::broken, where + " ended the response before it was complete", status, true, {}};
            break;
          case HttpOutcome::connect_failed:
            failure = Failure{LlmFailure::connect, "cannot connect to " + where + ": " + result.error, 0, true, {}};
            break;
          case HttpOutcome::timed_out:
            if (decoder.finished()) break;
            failure = Failure{LlmFailure::timeout, where + " stopped sending (" + result.error + ")", status, false, {}};
            break;
          case HttpOutcome::transfer_failed:
            if (decoder.finished()) break;  // the answer was complete; only the goodbye was lost
            failure = Failure{LlmFailure::broken, "the connection to " + where + " broke mid-response: " + result.error,
                              status, true, {}};
            break;
          case HttpOutcome::cancelled:
            return StreamEnd::cancelled;
        }
      }
    } catch (const LlmError& e) {
      failure = Failure{e.kind(), where + " " + e.what(), e.http_status(), e.retryable(), {}};
    } catch (const agntos::Error& e) {
      failure = Failure{LlmFailure::protocol, where + " sent a malformed stream: " + e.what(), 0, false, {}};
    } catch (const std::exception& e) {
      // A JSON value of an unexpected type (nlohmann's type_error) and the like.
      failure = Failure{LlmFailure::protocol, where + " sent an event the daemon cannot read: " + e.what(), 0, false, {}};
    }
    if (!failure) return StreamEnd::finished;
    if (cancel.load()) return StreamEnd::cancelled;

    const bool may_retry = failure->retryable && !decoder.delivered() && attempt < attempts;
    std::chrono::milliseconds delay = backoff_delay(policy, attempt - 1);
    if (failure->retry_after) {
      if (*failure->retry_after > policy.max_retry_after) {
        failure->message += " (the endpoint asks to retry after " + std::to_string(failure->retry_after->count()) + " s)";
        throw LlmError(failure->kind, agntos::redact_secrets(failure->message, request.secrets), failure->status, false);
      }
      delay = *failure->retry_after;
    }
    if (!may_retry) {
      if (attempt > 1) failure->message += " (after " + std::to_string(attempt) + " attempts)";
      throw LlmError(failure->kind, agntos::redact_secrets(failure->message, request.secrets), failure->status, false);
    }
    if (!sleep_unless_cancelled(delay, cancel)) return StreamEnd::cancelled;
  }
}

}  // namespace agntd::llm
