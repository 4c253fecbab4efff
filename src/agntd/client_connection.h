// SPDX-License-Identifier: MIT
#pragma once
// One client's end of the socket: NDJSON lines in, queued lines out, never blocking.
//
// Reading (the poll thread only): complete lines are handed over one by one, a trailing CR
// stripped; a line longer than kMaxLine is dropped up to its newline and reported once; at the
// end of input a last line without a newline still counts.
// Writing (callers serialise it, e.g. under the server's mutex): queue() appends and writes
// what the socket takes now; the rest waits for flush() when poll says the socket is writable.
// A peer that reads nothing is cut off once kMaxQueued bytes wait (broken()).

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "common/fd.h"

namespace agntd {

class ClientConnection {
public:
  static constexpr size_t kMaxLine = 1 << 20;
  static constexpr size_t kMaxQueued = 64u << 20;

  explicit ClientConnection(agntos::Fd fd) : m_fd(std::move(fd)) {}
  int fd() const { return m_fd.get(); }

  enum class Read { open, end_of_input, failed };
  // Reads what is there now. `on_line` gets each complete line; `on_too_long` is called once
  // per dropped line.
  Read read(const std::function<void(std::string_view)>& on_line, const std::function<void()>& on_too_long);

  // Queues `line` (may be empty: only flushes) and writes what the socket takes.
  void queue(std::string_view line);
  bool wants_write() const { return !m_out.empty(); }
  bool broken() const { return m_broken; }

private:
  agntos::Fd m_fd;
  std::string m_in;
  bool m_discarding = false;
  std::string m_out;
  bool m_broken = false;
};

}  // namespace agntd
