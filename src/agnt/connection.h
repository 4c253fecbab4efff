// SPDX-License-Identifier: MIT
#pragma once
// The client side of agntd's socket (SPEC §6.5, docs/protocol.md): NDJSON over a Unix socket.

#include <chrono>
#include <deque>
#include <filesystem>
#include <optional>
#include <string>

#include "common/fd.h"
#include "common/json.h"

namespace agnt {

using agntos::Json;

class Connection {
public:
  // Connects; nullopt when nothing answers on `socket` (absent, refused, not a socket).
  static std::optional<Connection> open(const std::filesystem::path& socket);

  // Throws Error(Errc::failed) when the connection is gone.
  void send(const Json& message);

  enum class Wait { message, other_fd, timeout, closed };
  // Waits up to `timeout` (negative: forever) for a whole message, or for `other_fd`
  // (-1: none) to become readable. On Wait::message the message is in `out`.
  Wait next(Json& out, std::chrono::milliseconds timeout, int other_fd = -1);
  // A whole message already read and not yet returned by next().
  bool has_buffered() const { return !m_queue.empty(); }
  bool closed() const { return m_closed; }
  int fd() const { return m_fd.get(); }

private:
  explicit Connection(agntos::Fd fd) : m_fd(std::move(fd)) {}
  void read_available();

  agntos::Fd m_fd;
  std::string m_buffer;
  std::deque<Json> m_queue;
  bool m_closed = false;
};

// agntd started by agnt for this session (SPEC §7: "if no daemon is running, agnt starts
// one"): its own process group (a Ctrl-C at the terminal does not reach it), stopped with
// SIGTERM by the destructor and by the kernel if agnt dies (PR_SET_PDEATHSIG). Its stdout and
// stderr go to `log`.
class DaemonChild {
public:
  // Starts `agntd --socket <socket>` and waits until the socket answers. Throws
  // Error(Errc::not_found) when agntd cannot be found, Error(Errc::failed) when it exits or
  // does not answer within `timeout` (the message quotes the end of its log).
  DaemonChild(const std::filesystem::path& agntd, const std::filesystem::path& socket, const std::filesystem::path& log,
              std::chrono::milliseconds timeout = std::chrono::seconds(20));
  DaemonChild(const DaemonChild&) = delete;
  DaemonChild& operator=(const DaemonChild&) = delete;
  ~DaemonChild();

  pid_t pid() const { return m_pid; }
  bool running();

private:
  pid_t m_pid = -1;
};

// agntd to start: $AGNTOS_AGNTD, else beside this program (also ../agntd/agntd, the build
// tree's layout), else on PATH; nullopt when none is found.
std::optional<std::filesystem::path> find_agntd();

// agntctl to run (`agnt system`, slash commands): $AGNTOS_AGNTCTL, else beside this program
// (or ../agntctl/agntctl), else "agntctl" on PATH.
std::filesystem::path find_agntctl();

}  // namespace agnt
