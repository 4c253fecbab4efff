// SPDX-License-Identifier: MIT
// Benchmarks for the SPEC §10 targets that concern agntd:
//   - daemon overhead per tool round (the LLM answers instantly) under 10 ms;
//   - idle resident memory under 10 MB.
// The real agntd runs with the offline provider (an instant, deterministic "LLM") in a
// temporary config and state dir; a client drives it through the socket. One tool round is
// "show cpu": two LLM rounds and one `agntctl inspect cpu`. The daemon's own cost per tool
// round is that turn minus the agntctl process alone (BM_agntctl_inspect_cpu).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "agntd/unix_socket.h"
#include "common/files.h"
#include "common/json.h"
#include "common/process.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using agntos::Json;
using namespace std::chrono_literals;

class Daemon {
public:
  Daemon() {
    const char* base = std::getenv("AGNTOS_BENCH_DIR");
    m_root = fs::path(base ? base : "/tmp/agntos-bench") / ("agntd-" + std::to_string(::getpid()));
    fs::create_directories(m_root / "config");
    fs::create_directories(m_root / "state");
    ::chmod(m_root.c_str(), 0700);
    m_socket = m_root / "run" / "agntd.sock";
    m_env = {{"AGNTOS_CONFIG_DIR", (m_root / "config").string()},
             {"AGNTOS_STATE_DIR", (m_root / "state").string()},
             {"AGNTOS_SOCKET", m_socket.string()},
             {"AGNTOS_AGNTCTL", AGNTCTL_BINARY},
             {"XDG_CONFIG_HOME", (m_root / "xdg").string()}};
    std::vector<std::string> environment;
    for (char** entry = environ; *entry; ++entry) environment.emplace_back(*entry);
    for (const auto& [name, value] : m_env) environment.push_back(name + "=" + value);
    std::vector<char*> c_env;
    for (auto& item : environment) c_env.push_back(item.data());
    c_env.push_back(nullptr);
    std::string binary = AGNTD_BINARY;
    char* argv[] = {binary.data(), nullptr};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 2, (m_root / "agntd.err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::posix_spawn(&m_pid, binary.c_str(), &actions, nullptr, argv, c_env.data());
    posix_spawn_file_actions_destroy(&actions);
    for (int i = 0; i < 500; ++i) {
      try {
        agntd::connect_unix(m_socket);
        return;
      } catch (const std::exception&) {
        std::this_thread::sleep_for(10ms);
      }
    }
  }
  ~Daemon() {
    ::kill(m_pid, SIGTERM);
    int status = 0;
    ::waitpid(m_pid, &status, 0);
    std::error_code ec;
    fs::remove_all(m_root, ec);
  }
  pid_t pid() const { return m_pid; }
  const fs::path& socket() const { return m_socket; }
  const std::map<std::string, std::string>& env() const { return m_env; }

private:
  fs::path m_root;
  fs::path m_socket;
  std::map<std::string, std::string> m_env;
  pid_t m_pid = -1;
};

Daemon& daemon() {
  static Daemon instance;
  return instance;
}

class Client {
public:
  explicit Client(const fs::path& socket) : m_fd(agntd::connect_unix(socket)) {}
  void send(const Json& message) {
    const auto line = message.dump() + "\n";
    agntos::write_all(m_fd.get(), line, "agntd socket");
  }
  // Reads until a message of `type`; false on end of stream.
  bool until(const std::string& type) {
    for (;;) {
      for (auto newline = m_buffer.find('\n'); newline != std::string::npos; newline = m_buffer.find('\n')) {
        const auto message = Json::parse(m_buffer.substr(0, newline));
        m_buffer.erase(0, newline + 1);
        if (message.value("type", "") == type) return true;
      }
      char chunk[65536];
      const ssize_t n = ::read(m_fd.get(), chunk, sizeof chunk);
      if (n <= 0) return false;
      m_buffer.append(chunk, static_cast<size_t>(n));
    }
  }

private:
  agntos::Fd m_fd;
  std::string m_buffer;
};

void turns(benchmark::State& state, const std::string& prompt) {
  Client client(daemon().socket());
  client.send(Json{{"type", "init"}});
  if (!client.until("session_ready")) state.SkipWithError("no session_ready");
  for (auto _ : state) {
    client.send(Json{{"type", "chat"}, {"prompt", prompt}});
    if (!client.until("turn_complete")) state.SkipWithError("no turn_complete");
  }
}

// One LLM round, no tool: the daemon's cost of a turn (prompt, storage, socket).
void BM_daemon_turn_without_tool(benchmark::State& state) { turns(state, "hello"); }
BENCHMARK(BM_daemon_turn_without_tool)->Unit(benchmark::kMillisecond)->Repetitions(5)->ReportAggregatesOnly(true);

// Two LLM rounds and one agntctl subprocess.
void BM_daemon_turn_with_one_tool(benchmark::State& state) { turns(state, "show cpu"); }
BENCHMARK(BM_daemon_turn_with_one_tool)->Unit(benchmark::kMillisecond)->Repetitions(5)->ReportAggregatesOnly(true);

// The tool alone, as the daemon runs it.
void BM_agntctl_inspect_cpu(benchmark::State& state) {
  agntos::ProcessOptions options;
  options.env_set = daemon().env();
  for (auto _ : state) {
    const auto result = agntos::run_process({AGNTCTL_BINARY, "--json", "inspect", "--", "cpu"}, options);
    if (!result.ok()) state.SkipWithError(result.err.c_str());
  }
}
BENCHMARK(BM_agntctl_inspect_cpu)->Unit(benchmark::kMillisecond)->Repetitions(5)->ReportAggregatesOnly(true);

long status_kb(pid_t pid, const std::string& file, const std::string& key) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/" + file);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(key + ":", 0) == 0) return std::strtol(line.c_str() + key.size() + 1, nullptr, 10);
  return -1;
}

// Resident memory of the daemon after the turns above and a few seconds of idleness.
void BM_daemon_idle_memory(benchmark::State& state) {
  std::this_thread::sleep_for(3s);
  for (auto _ : state) benchmark::DoNotOptimize(status_kb(daemon().pid(), "status", "VmRSS"));
  state.counters["rss_kb"] = static_cast<double>(status_kb(daemon().pid(), "status", "VmRSS"));
  state.counters["pss_kb"] = static_cast<double>(status_kb(daemon().pid(), "smaps_rollup", "Pss"));
  state.counters["private_dirty_kb"] = static_cast<double>(status_kb(daemon().pid(), "smaps_rollup", "Private_Dirty"));
}
BENCHMARK(BM_daemon_idle_memory)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
