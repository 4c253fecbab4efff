// SPDX-License-Identifier: MIT
#pragma once
// A scripted OpenAI-compatible endpoint for the daemon rows of the benchmark: it answers at
// once, in a thread of the benchmark, so the daemon's own cost per round can be separated
// from the LLM's. Each POST is answered with an event stream (Connection: close): when the
// request's last message is the user's, a call of the `inspect` tool with {"target":"cpu"};
// when it is a tool result, the text "First token, then the rest." in four deltas. With a
// token delay, the first delta is sent alone and the rest after that delay, and the moment
// the first delta left (after its write returned) is recorded, so a client of the daemon can
// tell how long the daemon took to forward it.

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace agntos::bench {

class LlmStub {
public:
  LlmStub();
  LlmStub(const LlmStub&) = delete;
  LlmStub& operator=(const LlmStub&) = delete;
  ~LlmStub();

  std::string base_url() const;
  // 0: the whole answer at once.
  void set_token_delay(std::chrono::milliseconds delay) { m_token_delay = delay; }
  // When the first delta of the latest text answer was written.
  std::chrono::steady_clock::time_point first_token_sent() const;
  // Milliseconds spent answering (accept to close), summed since the last call; then reset.
  double take_busy_ms();

private:
  void serve();
  void answer(int fd);

  int m_listener = -1;
  int m_port = 0;
  std::atomic<bool> m_stop{false};
  std::chrono::milliseconds m_token_delay{0};
  mutable std::mutex m_mutex;
  std::chrono::steady_clock::time_point m_first_token_sent;
  double m_busy_ms = 0;
  std::thread m_thread;
};

}  // namespace agntos::bench
