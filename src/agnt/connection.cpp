// SPDX-License-Identifier: MIT
#include "agnt/connection.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "common/error.h"
#include "common/process.h"

namespace agnt {

using agntos::Errc;
using agntos::Error;

std::optional<Connection> Connection::open(const std::filesystem::path& socket) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const auto& text = socket.native();
  if (text.size() >= sizeof address.sun_path) throw Error(Errc::usage, "socket path too long: " + text);
  std::memcpy(address.sun_path, text.c_str(), text.size() + 1);
  agntos::Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) agntos::throw_errno("cannot create a socket");
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) return std::nullopt;
  return Connection(std::move(fd));
}

void Connection::send(const Json& message) {
  const std::string line = agntos::dump_json(message) + "\n";
  size_t sent = 0;
  while (sent < line.size()) {
    const ssize_t n = ::send(m_fd.get(), line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      m_closed = true;
      throw Error(Errc::failed, "the connection to agntd is lost");
    }
    sent += static_cast<size_t>(n);
  }
}

void Connection::read_available() {
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::recv(m_fd.get(), buffer, sizeof buffer, MSG_DONTWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (n <= 0) {
      m_closed = true;
      break;
    }
    m_buffer.append(buffer, static_cast<size_t>(n));
  }
  size_t start = 0;
  for (size_t newline; (newline = m_buffer.find('\n', start)) != std::string::npos; start = newline + 1) {
    const std::string line = m_buffer.substr(start, newline - start);
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    try {
      auto message = Json::parse(line);
      if (message.is_object()) m_queue.push_back(std::move(message));
    } catch (const std::exception&) {
      m_queue.push_back(Json{{"type", "error"}, {"message", "agntd sent a line that is not JSON"}, {"code", "failed"}});
    }
  }
  m_buffer.erase(0, start);
}

Connection::Wait Connection::next(Json& out, std::chrono::milliseconds timeout, int other_fd) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (!m_queue.empty()) {
      out = std::move(m_queue.front());
      m_queue.pop_front();
      return Wait::message;
    }
    if (m_closed) return Wait::closed;
    int wait_ms = -1;
    if (timeout.count() >= 0) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      wait_ms = static_cast<int>(std::max<long long>(0, left.count()));
    }
    pollfd fds[2] = {{m_fd.get(), POLLIN, 0}, {other_fd, POLLIN, 0}};
    const int ready = ::poll(fds, other_fd >= 0 ? 2 : 1, wait_ms);
    if (ready < 0 && errno == EINTR) {
      if (other_fd >= 0) {
        pollfd check{other_fd, POLLIN, 0};
        if (::poll(&check, 1, 0) > 0) return Wait::other_fd;
      }
      continue;
    }
    if (ready < 0) agntos::throw_errno("poll failed");
    if (other_fd >= 0 && fds[1].revents) return Wait::other_fd;
    if (fds[0].revents) {
      read_available();
      continue;
    }
    if (ready == 0) return Wait::timeout;
  }
}

namespace {

std::filesystem::path self_dir() {
  std::error_code error;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::filesystem::path() : self.parent_path();
}

std::optional<std::filesystem::path> find_sibling(const char* variable, const std::string& name) {
  if (const char* value = std::getenv(variable); value && *value) return std::filesystem::path(value);
  const auto dir = self_dir();
  if (!dir.empty()) {
    for (const auto& candidate : {dir / name, dir.parent_path() / name / name})
      if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  if (const auto found = agntos::find_program(name)) return *found;
  return std::nullopt;
}

std::string tail_of(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream content;
  content << in.rdbuf();
  const std::string text = content.str();
  return text.size() > 600 ? "..." + text.substr(text.size() - 600) : text;
}

}  // namespace

std::optional<std::filesystem::path> find_agntd() { return find_sibling("AGNTOS_AGNTD", "agntd"); }

std::filesystem::path find_agntctl() { return find_sibling("AGNTOS_AGNTCTL", "agntctl").value_or("agntctl"); }

DaemonChild::DaemonChild(const std::filesystem::path& agntd, const std::filesystem::path& socket,
                         const std::filesystem::path& log, std::chrono::milliseconds timeout) {
  agntos::Fd log_fd(::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
  if (!log_fd) agntos::throw_errno("cannot open " + log.string());
  const std::string program = agntd.string();
  const std::string socket_text = socket.string();
  const pid_t parent = ::getpid();
  m_pid = ::fork();
  if (m_pid < 0) agntos::throw_errno("cannot start agntd");
  if (m_pid == 0) {
    // Only async-signal-safe calls until exec.
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(127);
    const int null = ::open("/dev/null", O_RDONLY);
    if (null >= 0) ::dup2(null, STDIN_FILENO);
    ::dup2(log_fd.get(), STDOUT_FILENO);
    ::dup2(log_fd.get(), STDERR_FILENO);
    const char* argv[] = {program.c_str(), "--socket", socket_text.c_str(), nullptr};
    ::execv(program.c_str(), const_cast<char* const*>(argv));
    ::_exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (Connection::open(socket)) return;
    int status = 0;
    if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
      m_pid = -1;
      throw Error(Errc::failed, "agntd (" + program + ") exited at start; its output (" + log.string() +
                                    "):\n" + tail_of(log));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(m_pid, SIGKILL);
  int status = 0;
  ::waitpid(m_pid, &status, 0);
  m_pid = -1;
  throw Error(Errc::failed, "agntd did not answer on " + socket_text + " within " +
                                std::to_string(timeout.count() / 1000) + " s; its output (" + log.string() + "):\n" +
                                tail_of(log));
}

bool DaemonChild::running() {
  if (m_pid <= 0) return false;
  int status = 0;
  if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
    m_pid = -1;
    return false;
  }
  return true;
}

DaemonChild::~DaemonChild() {
  if (m_pid <= 0) return;
  ::kill(m_pid, SIGTERM);
  for (int i = 0; i < 500; ++i) {
    int status = 0;
    if (::waitpid(m_pid, &status, WNOHANG) == m_pid) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(m_pid, SIGKILL);
  int status = 0;
  ::waitpid(m_pid, &status, 0);
}

}  // namespace agnt
