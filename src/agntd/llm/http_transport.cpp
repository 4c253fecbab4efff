// SPDX-License-Identifier: MIT
#include "agntd/llm/http_transport.h"

#include "agntd/llm/libcurl.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <exception>
#include <mutex>

#include "common/error.h"
#include "common/text.h"

#ifndef AGNTOS_VERSION
#define AGNTOS_VERSION "0.0.0"
#endif

namespace agntd::llm {
namespace {

using Clock = std::chrono::steady_clock;

struct EasyDeleter {
  void operator()(CURL* handle) const noexcept { libcurl().curl_easy_cleanup(handle); }
};
struct MultiDeleter {
  void operator()(CURLM* handle) const noexcept { libcurl().curl_multi_cleanup(handle); }
};
using CurlEasy = std::unique_ptr<CURL, EasyDeleter>;
using CurlMulti = std::unique_ptr<CURLM, MultiDeleter>;

// Owns a curl_slist header list.
class CurlHeaders {
public:
  CurlHeaders() = default;
  CurlHeaders(const CurlHeaders&) = delete;
  CurlHeaders& operator=(const CurlHeaders&) = delete;
  ~CurlHeaders() { libcurl().curl_slist_free_all(m_list); }
  void append(const std::string& line) {
    curl_slist* grown = libcurl().curl_slist_append(m_list, line.c_str());
    if (!grown) throw agntos::Error(agntos::Errc::failed, "out of memory building HTTP headers");
    m_list = grown;
  }
  curl_slist* get() const noexcept { return m_list; }

private:
  curl_slist* m_list = nullptr;
};

// An easy handle attached to a multi handle; detached before either is destroyed.
class MultiAttachment {
public:
  MultiAttachment(CURLM* multi, CURL* easy) : m_multi(multi), m_easy(easy) {
    if (libcurl().curl_multi_add_handle(multi, easy) != CURLM_OK)
      throw agntos::Error(agntos::Errc::failed, "cannot start an HTTP transfer (curl_multi_add_handle)");
  }
  MultiAttachment(const MultiAttachment&) = delete;
  MultiAttachment& operator=(const MultiAttachment&) = delete;
  ~MultiAttachment() { libcurl().curl_multi_remove_handle(m_multi, m_easy); }

private:
  CURLM* m_multi;
  CURL* m_easy;
};

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (libcurl().curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
      throw agntos::Error(agntos::Errc::failed, "cannot initialise libcurl");
  });
}

// State shared with the libcurl callbacks (which must not throw: exceptions are parked here).
struct Transfer {
  Transfer(HttpBodyHandler& body_handler, const std::atomic<bool>& cancel_flag)
      : handler(body_handler), cancel(cancel_flag) {}
  HttpBodyHandler& handler;
  const std::atomic<bool>& cancel;
  CURL* easy = nullptr;
  HttpHead head;
  bool head_delivered = false;
  bool received_bytes = false;
  bool handler_stopped = false;
  std::exception_ptr error;
  Clock::time_point last_activity = Clock::now();
};

void deliver_head(Transfer& transfer) {
  if (transfer.head_delivered) return;
  transfer.head_delivered = true;
  long status = 0;
  libcurl().curl_easy_getinfo(transfer.easy, CURLINFO_RESPONSE_CODE, &status);
  transfer.head.status = status;
  transfer.handler.on_head(transfer.head);
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  const std::string_view line(data, size * count);
  transfer.last_activity = Clock::now();
  transfer.received_bytes = true;
  if (agntos::starts_with(line, "HTTP/")) {
    // A new response head (after a 1xx, or a redirect): forget the previous one's headers.
    transfer.head = HttpHead{};
    return size * count;
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return size * count;
  const std::string name = agntos::to_lower(agntos::trim(line.substr(0, colon)));
  const std::string value = agntos::trim(line.substr(colon + 1));
  if (name == "retry-after") {
    transfer.head.retry_after = parse_retry_after(value);
  } else if (name == "content-type") {
    transfer.head.content_type = agntos::to_lower(agntos::trim(value.substr(0, value.find(';'))));
  }
  return size * count;
}

size_t on_write(char* data, size_t size, size_t count, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  transfer.last_activity = Clock::now();
  transfer.received_bytes = true;
  try {
    deliver_head(transfer);
    if (!transfer.handler.on_body(std::string_view(data, size * count))) {
      transfer.handler_stopped = true;
      return 0;  // anything but size*count makes libcurl stop with CURLE_WRITE_ERROR
    }
  } catch (...) {
    transfer.error = std::current_exception();
    return 0;
  }
  return size * count;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto& transfer = *static_cast<Transfer*>(user);
  return transfer.cancel.load() ? 1 : 0;  // non-zero aborts with CURLE_ABORTED_BY_CALLBACK
}

template <typename T>
void set_option(CURL* easy, CURLoption option, T value) {
  if (libcurl().curl_easy_setopt(easy, option, value) != CURLE_OK)
    throw agntos::Error(agntos::Errc::failed, "cannot configure the HTTP client (curl option " +
                                                  std::to_string(static_cast<int>(option)) + ")");
}

std::string milliseconds_text(std::chrono::milliseconds value) {
  return value.count() % 1000 == 0 ? std::to_string(value.count() / 1000) + " s" : std::to_string(value.count()) + " ms";
}

}  // namespace

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value) {
  const std::string text = agntos::trim(value);
  if (text.empty()) return std::nullopt;
  if (std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); })) {
    if (text.size() > 9) return std::chrono::seconds(999999999);
    return std::chrono::seconds(std::stol(text));
  }
  const time_t when = libcurl().curl_getdate(text.c_str(), nullptr);
  if (when == -1) return std::nullopt;
  const time_t now = std::time(nullptr);
  return std::chrono::seconds(when > now ? when - now : 0);
}

CurlTransport::CurlTransport() { global_init(); }

HttpResult CurlTransport::post(const HttpRequest& request, HttpBodyHandler& handler, const std::atomic<bool>& cancel) {
  CurlEasy easy(libcurl().curl_easy_init());
  CurlMulti multi(libcurl().curl_multi_init());
  if (!easy || !multi) throw agntos::Error(agntos::Errc::failed, "cannot create an HTTP client (libcurl)");

  Transfer transfer(handler, cancel);
  transfer.easy = easy.get();
  CurlHeaders headers;
  for (const auto& header : request.headers) headers.append(header.name + ": " + header.value);
  headers.append("Expect:");  // no 100-continue round trip for large prompts
  char error_buffer[CURL_ERROR_SIZE] = {};

  CURL* handle = easy.get();
  set_option(handle, CURLOPT_URL, request.url.c_str());
  set_option(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  set_option(handle, CURLOPT_POST, 1L);
  set_option(handle, CURLOPT_POSTFIELDS, request.body.data());
  set_option(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  set_option(handle, CURLOPT_HTTPHEADER, headers.get());
  set_option(handle, CURLOPT_USERAGENT, "agntd/" AGNTOS_VERSION);
  set_option(handle, CURLOPT_NOSIGNAL, 1L);
  set_option(handle, CURLOPT_TCP_KEEPALIVE, 1L);
  set_option(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request.connect_timeout.count()));
  set_option(handle, CURLOPT_ERRORBUFFER, error_buffer);
  set_option(handle, CURLOPT_HEADERFUNCTION, on_header);
  set_option(handle, CURLOPT_HEADERDATA, static_cast<void*>(&transfer));
  set_option(handle, CURLOPT_WRITEFUNCTION, on_write);
  set_option(handle, CURLOPT_WRITEDATA, static_cast<void*>(&transfer));
  set_option(handle, CURLOPT_NOPROGRESS, 0L);
  set_option(handle, CURLOPT_XFERINFOFUNCTION, on_progress);
  set_option(handle, CURLOPT_XFERINFODATA, static_cast<void*>(&transfer));

  HttpResult result;
  std::optional<CURLcode> code;
  {
    MultiAttachment attached(multi.get(), handle);
    for (;;) {
      int running = 0;
      if (libcurl().curl_multi_perform(multi.get(), &running) != CURLM_OK) {
        result.outcome = HttpOutcome::transfer_failed;
        result.error = "the HTTP client failed (curl_multi_perform)";
        break;
      }
      if (running == 0) {
        int queued = 0;
        while (CURLMsg* message = libcurl().curl_multi_info_read(multi.get(), &queued))
          if (message->msg == CURLMSG_DONE) code = message->data.result;
        break;
      }
      if (cancel.load()) {
        result.outcome = HttpOutcome::cancelled;
        result.error = "cancelled";
        break;
      }
      if (Clock::now() - transfer.last_activity > request.idle_timeout) {
        result.outcome = HttpOutcome::timed_out;
        result.error = "no data for " + milliseconds_text(request.idle_timeout);
        break;
      }
      libcurl().curl_multi_poll(multi.get(), nullptr, 0, 100, nullptr);
    }
  }
  if (transfer.error) std::rethrow_exception(transfer.error);

  if (code) {
    switch (*code) {
      case CURLE_OK:
        result.outcome = HttpOutcome::completed;
        break;
      case CURLE_COULDNT_RESOLVE_HOST:
      case CURLE_COULDNT_RESOLVE_PROXY:
      case CURLE_COULDNT_CONNECT:
      case CURLE_SSL_CONNECT_ERROR:
        result.outcome = HttpOutcome::connect_failed;
        break;
      case CURLE_OPERATION_TIMEDOUT:
        result.outcome = transfer.received_bytes ? HttpOutcome::timed_out : HttpOutcome::connect_failed;
        break;
      case CURLE_ABORTED_BY_CALLBACK:
        result.outcome = HttpOutcome::cancelled;
        break;
      case CURLE_WRITE_ERROR:
        result.outcome = transfer.handler_stopped ? HttpOutcome::aborted : HttpOutcome::transfer_failed;
        break;
      default:
        result.outcome = HttpOutcome::transfer_failed;
    }
    if (*code != CURLE_OK) result.error = *error_buffer ? error_buffer : libcurl().curl_easy_strerror(*code);
  }
  if (result.outcome == HttpOutcome::completed) {
    deliver_head(transfer);  // a response without a body still has a head
  } else if (!transfer.head_delivered) {
    long status = 0;
    libcurl().curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
    transfer.head.status = status;
  }
  result.head = transfer.head;
  return result;
}

}  // namespace agntd::llm
