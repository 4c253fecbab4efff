// SPDX-License-Identifier: MIT
#include "support/llm_stub.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

#include "common/json.h"

namespace agntos::bench {
namespace {

std::string event(const Json& delta, const Json& finish) {
  const Json chunk{{"id", "bench"},
                   {"object", "chat.completion.chunk"},
                   {"model", "bench"},
                   {"choices", Json::array({Json{{"index", 0}, {"delta", delta}, {"finish_reason", finish}}})}};
  return "data: " + chunk.dump() + "\n\n";
}

void send_all(int fd, const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<size_t>(n);
  }
}

// Reads one HTTP request; returns its body ("" on a broken connection).
std::string read_request(int fd) {
  std::string data;
  char buffer[65536];
  size_t body_start = std::string::npos;
  size_t length = 0;
  for (;;) {
    if (body_start != std::string::npos && data.size() >= body_start + length) return data.substr(body_start, length);
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) return {};
    data.append(buffer, static_cast<size_t>(n));
    if (body_start == std::string::npos) {
      const size_t end = data.find("\r\n\r\n");
      if (end == std::string::npos) continue;
      body_start = end + 4;
      std::string headers = data.substr(0, end);
      for (auto& c : headers) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      const size_t at = headers.find("content-length:");
      if (at != std::string::npos) length = std::stoul(headers.substr(at + 15));
    }
  }
}

}  // namespace

LlmStub::LlmStub() {
  m_listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  if (::bind(m_listener, reinterpret_cast<sockaddr*>(&address), size) != 0 || ::listen(m_listener, 16) != 0 ||
      ::getsockname(m_listener, reinterpret_cast<sockaddr*>(&address), &size) != 0)
    throw std::runtime_error("the LLM stub cannot listen");
  m_port = ntohs(address.sin_port);
  m_thread = std::thread([this] { serve(); });
}

LlmStub::~LlmStub() {
  m_stop = true;
  m_thread.join();
  ::close(m_listener);
}

std::string LlmStub::base_url() const { return "http://127.0.0.1:" + std::to_string(m_port) + "/v1"; }

std::chrono::steady_clock::time_point LlmStub::first_token_sent() const {
  std::lock_guard lock(m_mutex);
  return m_first_token_sent;
}

double LlmStub::take_busy_ms() {
  std::lock_guard lock(m_mutex);
  const double busy = m_busy_ms;
  m_busy_ms = 0;
  return busy;
}

void LlmStub::serve() {
  while (!m_stop) {
    pollfd poll_fd{m_listener, POLLIN, 0};
    if (::poll(&poll_fd, 1, 100) <= 0) continue;
    const int fd = ::accept4(m_listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    answer(fd);
  }
}

void LlmStub::answer(int fd) {
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  const std::string body = read_request(fd);
  const auto start = std::chrono::steady_clock::now();
  std::string last_role = "user";
  try {
    const Json request = Json::parse(body);
    last_role = request.at("messages").back().value("role", "user");
  } catch (const std::exception&) {
  }
  const std::string head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                           "Connection: close\r\n\r\n";
  std::chrono::steady_clock::time_point first_sent{};
  if (last_role == "tool") {
    send_all(fd, head + event(Json{{"role", "assistant"}, {"content", "First"}}, nullptr));
    first_sent = std::chrono::steady_clock::now();
    if (m_token_delay.count() > 0) std::this_thread::sleep_for(m_token_delay);
    send_all(fd, event(Json{{"content", " token,"}}, nullptr) + event(Json{{"content", " then"}}, nullptr) +
                     event(Json{{"content", " the rest."}}, nullptr) + event(Json::object(), "stop") + "data: [DONE]\n\n");
  } else {
    const Json call{{"index", 0},
                    {"id", "call_bench"},
                    {"type", "function"},
                    {"function", Json{{"name", "inspect"}, {"arguments", R"({"target":"cpu"})"}}}};
    send_all(fd, head + event(Json{{"role", "assistant"}, {"tool_calls", Json::array({call})}}, nullptr) +
                     event(Json::object(), "tool_calls") + "data: [DONE]\n\n");
  }
  ::shutdown(fd, SHUT_WR);
  ::close(fd);
  const auto end = std::chrono::steady_clock::now();
  std::lock_guard lock(m_mutex);
  if (first_sent != std::chrono::steady_clock::time_point{}) m_first_token_sent = first_sent;
  // The deliberate pause before the rest of the text is the LLM's time, not the daemon's.
  m_busy_ms += std::chrono::duration<double, std::milli>(end - start).count();
}

}  // namespace agntos::bench
