// SPDX-License-Identifier: MIT
#include "integration/agntd_daemon.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <thread>

#include "agntd/unix_socket.h"
#include "common/error.h"
#include "common/files.h"
#include "common/text.h"

extern char** environ;

namespace agntd::testing {

namespace fs = std::filesystem;

fs::path agntd_binary() { return AGNTD_BINARY; }

std::map<std::string, std::string> daemon_environment(const agntos::testing::AgntctlEnv& env,
                                                      const std::map<std::string, std::string>& extra) {
  std::map<std::string, std::string> vars = env.env;
  vars["AGNTOS_CONFIG_DIR"] = env.config_dir().string();
  vars["AGNTOS_STATE_DIR"] = env.state_dir().string();
  vars["AGNTOS_DATA_DIR"] = agntos::testing::source_dir().string();
  vars["AGNTOS_SOCKET"] = (env.root() / "run" / "agntd.sock").string();
  vars["XDG_CONFIG_HOME"] = (env.root() / "xdg-config").string();
  vars["AGNTOS_AGNTCTL"] = agntos::testing::agntctl_binary().string();
  vars["AGNTOS_LLM_BACKOFF_MS"] = "5";
  for (const auto& [name, value] : extra) vars[name] = value;
  return vars;
}

DaemonProcess::DaemonProcess(const agntos::testing::AgntctlEnv& env, const std::map<std::string, std::string>& extra_env,
                             std::vector<std::string> args) {
  const auto vars = daemon_environment(env, extra_env);
  m_socket = vars.at("AGNTOS_SOCKET");
  std::vector<std::string> environment;
  for (char** entry = environ; *entry; ++entry) {
    std::string_view item(*entry);
    if (!vars.count(std::string(item.substr(0, item.find('='))))) environment.emplace_back(item);
  }
  for (const auto& [name, value] : vars) environment.push_back(name + "=" + value);
  std::vector<std::string> argv{agntd_binary().string()};
  argv.insert(argv.end(), args.begin(), args.end());

  static int counter = 0;
  m_output = env.root() / ("agntd-" + std::to_string(++counter) + ".out");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, m_output.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  auto c_strings = [](std::vector<std::string>& strings) {
    std::vector<char*> result;
    for (auto& s : strings) result.push_back(s.data());
    result.push_back(nullptr);
    return result;
  };
  auto c_argv = c_strings(argv);
  auto c_env = c_strings(environment);
  const int error = ::posix_spawn(&m_pid, argv[0].c_str(), &actions, nullptr, c_argv.data(), c_env.data());
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) throw agntos::SysError(error, "cannot start agntd");
}

DaemonProcess::~DaemonProcess() {
  if (m_status || m_pid <= 0) return;
  ::kill(m_pid, SIGTERM);
  if (!wait_exit(10s)) {
    ::kill(m_pid, SIGKILL);
    wait_exit(10s);
  }
}

std::optional<int> DaemonProcess::wait_exit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!m_status) {
    int status = 0;
    const pid_t done = ::waitpid(m_pid, &status, WNOHANG);
    if (done == m_pid) {
      m_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      break;
    }
    if (std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(10ms);
  }
  return m_status;
}

bool DaemonProcess::running() { return !wait_exit(0ms); }

std::optional<int> DaemonProcess::stop(int signal) {
  if (!m_status) ::kill(m_pid, signal);
  return wait_exit(20s);
}

bool DaemonProcess::wait_ready(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!running()) return false;
    try {
      connect_unix(m_socket);
      return true;
    } catch (const agntos::Error&) {
    }
    std::this_thread::sleep_for(20ms);
  }
  return false;
}

std::string DaemonProcess::output() const { return agntos::read_file_if_exists(m_output).value_or(""); }

SocketClient::SocketClient(const fs::path& socket) : m_fd(connect_unix(socket)) {}

void SocketClient::send(const Json& message) { send_raw(message.dump() + "\n"); }

void SocketClient::send_raw(const std::string& bytes) {
  std::string_view rest(bytes);
  while (!rest.empty()) {
    const ssize_t n = ::send(m_fd.get(), rest.data(), rest.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw agntos::SysError(errno, "send to agntd");
    rest.remove_prefix(static_cast<size_t>(n));
  }
}

std::optional<Json> SocketClient::next(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (const auto newline = m_buffer.find('\n'); newline != std::string::npos) {
      const auto line = m_buffer.substr(0, newline);
      m_buffer.erase(0, newline + 1);
      try {
        return Json::parse(line);
      } catch (const std::exception&) {
        ADD_FAILURE() << "agntd sent a line that is not JSON: " << line;
        continue;
      }
    }
    if (m_eof || !m_fd) return std::nullopt;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    pollfd fd{m_fd.get(), POLLIN, 0};
    if (::poll(&fd, 1, static_cast<int>(left.count())) <= 0) continue;
    char buffer[65536];
    const ssize_t n = ::recv(m_fd.get(), buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      m_eof = true;
      continue;
    }
    m_buffer.append(buffer, static_cast<size_t>(n));
  }
}

Json SocketClient::expect(const std::string& type, std::vector<Json>* seen, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    auto message = next(std::max(left, 0ms));
    if (!message) {
      ADD_FAILURE() << (m_eof ? "connection closed" : "timed out") << " waiting for a " << type << " message";
      return nullptr;
    }
    if (message->value("type", "") == type) return *message;
    if (seen) seen->push_back(*message);
  }
}

std::vector<std::string> types_of(const std::vector<Json>& messages) {
  std::vector<std::string> types;
  for (const auto& message : messages) types.push_back(message.value("type", "?"));
  return types;
}

std::vector<Json> audit_entries(const agntos::testing::AgntctlEnv& env) {
  std::vector<Json> entries;
  const auto text = agntos::read_file_if_exists(env.config_dir() / "audit.jsonl");
  if (!text) return entries;
  for (const auto& line : agntos::split_lines(*text))
    if (!line.empty()) entries.push_back(Json::parse(line));
  return entries;
}

}  // namespace agntd::testing
