// SPDX-License-Identifier: MIT
#include "agntd/client_connection.h"

#include <sys/socket.h>

#include <cerrno>

namespace agntd {

ClientConnection::Read ClientConnection::read(const std::function<void(std::string_view)>& on_line,
                                              const std::function<void()>& on_too_long) {
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::recv(m_fd.get(), buffer, sizeof buffer, MSG_DONTWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return Read::open;
    if (n <= 0) {
      if (!m_in.empty() && !m_discarding) on_line(m_in);
      m_in.clear();
      return n == 0 ? Read::end_of_input : Read::failed;
    }
    m_in.append(buffer, static_cast<size_t>(n));
    size_t start = 0;
    for (size_t newline; (newline = m_in.find('\n', start)) != std::string::npos; start = newline + 1) {
      if (m_discarding) {
        m_discarding = false;
        continue;
      }
      std::string_view line(m_in.data() + start, newline - start);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      on_line(line);
    }
    m_in.erase(0, start);
    if (m_in.size() > kMaxLine) {
      if (!m_discarding) on_too_long();
      m_in.clear();
      m_discarding = true;
    }
  }
}

void ClientConnection::queue(std::string_view line) {
  if (m_broken) return;
  m_out += line;
  while (!m_out.empty()) {
    const ssize_t n = ::send(m_fd.get(), m_out.data(), m_out.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      m_out.erase(0, static_cast<size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      break;
    } else {
      m_broken = true;
      m_out.clear();
      break;
    }
  }
  if (m_out.size() > kMaxQueued) {
    m_broken = true;
    m_out.clear();
  }
}

}  // namespace agntd
