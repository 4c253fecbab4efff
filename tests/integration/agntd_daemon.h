// SPDX-License-Identifier: MIT
#pragma once
// Test helpers for the daemon: the real agntd binary running in the temporary dirs of an
// AgntctlEnv, and an NDJSON client for its socket.

#include <sys/types.h>

#include <csignal>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/fd.h"
#include "common/json.h"
#include "support/agntctl_runner.h"

namespace agntd::testing {

using agntos::Json;
using namespace std::chrono_literals;

std::filesystem::path agntd_binary();

// The environment agntd gets in the tests: the env's dirs, its extra variables, agntctl's
// path, fast LLM retries, and `extra` on top.
std::map<std::string, std::string> daemon_environment(const agntos::testing::AgntctlEnv& env,
                                                      const std::map<std::string, std::string>& extra = {});

class DaemonProcess {
public:
  // Starts `agntd <args>`; its stderr and stdout go to <root>/agntd-<pid>.out.
  explicit DaemonProcess(const agntos::testing::AgntctlEnv& env, const std::map<std::string, std::string>& extra_env = {},
                         std::vector<std::string> args = {});
  DaemonProcess(const DaemonProcess&) = delete;
  DaemonProcess& operator=(const DaemonProcess&) = delete;
  // SIGTERM, then SIGKILL if it has not ended within 10 seconds.
  ~DaemonProcess();

  // True once the socket accepts a connection; false when the process ended or time ran out.
  bool wait_ready(std::chrono::milliseconds timeout = 30s);
  // Exit status once ended within `timeout` (128+N for signal N); nullopt while it runs.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout);
  bool running();
  // Sends `signal` and waits for the exit status.
  std::optional<int> stop(int signal = SIGTERM);

  pid_t pid() const { return m_pid; }
  const std::filesystem::path& socket() const { return m_socket; }
  std::string output() const;

private:
  pid_t m_pid = -1;
  std::optional<int> m_status;
  std::filesystem::path m_socket;
  std::filesystem::path m_output;
};

class SocketClient {
public:
  explicit SocketClient(const std::filesystem::path& socket);

  void send(const Json& message);
  void send_raw(const std::string& bytes);
  // The next message, or nullopt on timeout or end of stream (then eof() is true).
  std::optional<Json> next(std::chrono::milliseconds timeout = 60s);
  // Reads until a message of `type` and returns it (null with a test failure on timeout or
  // end of stream); the messages read before it are appended to `seen`.
  Json expect(const std::string& type, std::vector<Json>* seen = nullptr, std::chrono::milliseconds timeout = 120s);
  bool eof() const { return m_eof; }
  void close() { m_fd.reset(); }

private:
  agntos::Fd m_fd;
  std::string m_buffer;
  bool m_eof = false;
};

// The types of `messages`, in order.
std::vector<std::string> types_of(const std::vector<Json>& messages);

// Lines of the audit log in the config dir, parsed.
std::vector<Json> audit_entries(const agntos::testing::AgntctlEnv& env);

}  // namespace agntd::testing
