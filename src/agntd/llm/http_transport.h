// SPDX-License-Identifier: MIT
#pragma once
// The HTTP seam of the LLM providers: one streaming POST.
//
// HttpTransport is the interface the providers use; CurlTransport is the real one (libcurl).
// Tests replace the network, not this class: they point a CurlTransport at the scripted
// loopback server in tests/support, so every byte goes through the real code.
//
// A transfer reports what happened instead of throwing for network trouble: the caller (the
// retry loop) decides what is worth another attempt. Only an exception thrown by the body
// handler propagates out of post(), after the transfer has been torn down.

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agntd::llm {

struct HttpHeader {
  std::string name;
  std::string value;
};

struct HttpRequest {
  std::string url;
  std::vector<HttpHeader> headers;
  std::string body;
  // Values (API keys) that must never appear in a message about this request.
  std::vector<std::string> secrets;
  // Giving up on establishing the connection (TCP and TLS).
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  // Giving up when no byte has arrived for this long (before the headers or between chunks).
  std::chrono::milliseconds idle_timeout{std::chrono::seconds(300)};
};

struct HttpHead {
  long status = 0;
  std::string content_type;                       // lowercase, without parameters
  std::optional<std::chrono::seconds> retry_after;  // Retry-After as seconds (delta or HTTP date)
};

enum class HttpOutcome {
  completed,        // the whole response arrived
  connect_failed,   // no connection: refused, unresolvable, connect timeout
  timed_out,        // connected, then nothing arrived for idle_timeout
  cancelled,        // the cancel flag was set
  transfer_failed,  // the connection broke mid-response (reset, closed early, bad framing)
  aborted,          // the body handler returned false
};

struct HttpResult {
  HttpOutcome outcome = HttpOutcome::completed;
  HttpHead head;             // status 0 when no response head arrived
  std::string error;         // what the transport saw, for messages ("" when completed)
};

class HttpBodyHandler {
public:
  virtual ~HttpBodyHandler() = default;
  // Once per response when status and headers are known, before the first body bytes (also for
  // a response without a body).
  virtual void on_head(const HttpHead& head) = 0;
  // The next bytes of the body, as they arrive. Return false to stop the transfer.
  virtual bool on_body(std::string_view bytes) = 0;
};

class HttpTransport {
public:
  virtual ~HttpTransport() = default;
  // POSTs request.body to request.url. Returns within about 100 ms of `cancel` becoming true.
  // Safe to call from several threads at once.
  virtual HttpResult post(const HttpRequest& request, HttpBodyHandler& handler, const std::atomic<bool>& cancel) = 0;
};

// libcurl: one easy handle per call, driven by a multi handle so that cancel and the idle
// timeout are checked every 100 ms while waiting for the socket.
class CurlTransport : public HttpTransport {
public:
  CurlTransport();
  HttpResult post(const HttpRequest& request, HttpBodyHandler& handler, const std::atomic<bool>& cancel) override;
};

// Parses a Retry-After value: delay-seconds or an HTTP date (as seconds from now, at least 0).
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value);

}  // namespace agntd::llm
