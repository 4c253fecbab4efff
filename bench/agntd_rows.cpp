// SPDX-License-Identifier: MIT
#include "agntd_rows.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <algorithm>
#include <cctype>
#include <functional>
#include <set>
#include <sstream>
#include <thread>

#include "agntd/unix_socket.h"
#include "common/files.h"
#include "common/json.h"
#include "support/llm_stub.h"
#include "support/report.h"
#include "support/spawn_timer.h"

extern char** environ;

namespace agntos::bench {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// The real agntd in a fresh config and state dir; `models` is the models.toml ("" = none:
// the offline provider).
class Daemon {
public:
  Daemon(const Context& context, const std::string& models) {
    m_root = context.fresh_dir("agntd");
    ::chmod(m_root.c_str(), 0700);
    fs::create_directories(m_root / "config");
    fs::create_directories(m_root / "state");
    if (!models.empty()) write_file_atomic(m_root / "config" / "models.toml", models);
    m_socket = m_root / "run" / "agntd.sock";
    m_env = context.agntctl_env(m_root / "config", m_root / "state");
    m_env["AGNTOS_SOCKET"] = m_socket.string();
    m_env["AGNTOS_AGNTCTL"] = context.agntctl.string();
    std::vector<std::string> environment;
    for (char** entry = environ; *entry; ++entry) environment.emplace_back(*entry);
    for (const auto& [name, value] : m_env) environment.push_back(name + "=" + value);
    std::vector<char*> c_env;
    for (auto& item : environment) c_env.push_back(item.data());
    c_env.push_back(nullptr);
    std::string binary = context.agntd.string();
    char* argv[] = {binary.data(), nullptr};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 2, (m_root / "agntd.err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int rc = ::posix_spawn(&m_pid, binary.c_str(), &actions, nullptr, argv, c_env.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start agntd");
    for (int i = 0; i < 1000; ++i) {
      try {
        agntd::connect_unix(m_socket);
        return;
      } catch (const std::exception&) {
        std::this_thread::sleep_for(10ms);
      }
    }
    throw std::runtime_error("agntd did not start: " + read_file(m_root / "agntd.err"));
  }
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;
  ~Daemon() {
    ::kill(m_pid, SIGTERM);
    int status = 0;
    ::waitpid(m_pid, &status, 0);
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

class Client {
public:
  explicit Client(const fs::path& socket) : m_fd(agntd::connect_unix(socket)) {}
  void send(const Json& message) { write_all(m_fd.get(), message.dump() + "\n", "agntd socket"); }
  // Reads messages until one of `type`; `seen` gets every message with the time it was read.
  Json until(const std::string& type, const std::function<void(const Json&, Clock::time_point)>& seen = {}) {
    for (;;) {
      for (auto newline = m_buffer.find('\n'); newline != std::string::npos; newline = m_buffer.find('\n')) {
        const auto message = Json::parse(m_buffer.substr(0, newline));
        m_buffer.erase(0, newline + 1);
        if (seen) seen(message, m_read_at);
        if (message.value("type", "") == "error") throw std::runtime_error("agntd: " + message.dump());
        if (message.value("type", "") == type) return message;
      }
      char chunk[65536];
      const ssize_t n = ::read(m_fd.get(), chunk, sizeof chunk);
      if (n <= 0) throw std::runtime_error("agntd closed the connection");
      m_read_at = Clock::now();
      m_buffer.append(chunk, static_cast<size_t>(n));
    }
  }

private:
  Fd m_fd;
  std::string m_buffer;
  Clock::time_point m_read_at;
};

long status_kb(pid_t pid, const std::string& file, const std::string& key) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/" + file);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(key + ":", 0) == 0) return std::strtol(line.c_str() + key.size() + 1, nullptr, 10);
  return -1;
}

size_t mapped_libraries(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/maps");
  std::set<std::string> libraries;
  std::string line;
  while (std::getline(in, line)) {
    const size_t slash = line.find('/');
    if (slash != std::string::npos && line.find(".so", slash) != std::string::npos) libraries.insert(line.substr(slash));
  }
  return libraries.size();
}

// The mappings holding the most resident memory: "[heap] 1.2 MB, libcrypto.so.3 0.9 MB, ...".
std::string largest_mappings(pid_t pid, size_t count) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/smaps");
  std::map<std::string, long> rss_kb;
  std::string line;
  std::string current;
  while (std::getline(in, line)) {
    if (line.rfind("Rss:", 0) == 0) {
      rss_kb[current] += std::strtol(line.c_str() + 4, nullptr, 10);
    } else if (!line.empty() && std::isxdigit(static_cast<unsigned char>(line[0])) && line.find('-') < 17) {
      const size_t name = line.find_first_of("/[");
      current = name == std::string::npos ? "[anonymous]" : line.substr(name);
      if (const size_t slash = current.rfind('/'); slash != std::string::npos && current[0] == '/') current = current.substr(slash + 1);
    }
  }
  std::vector<std::pair<long, std::string>> sorted;
  for (const auto& [name, kb] : rss_kb) sorted.emplace_back(kb, name);
  std::sort(sorted.rbegin(), sorted.rend());
  std::ostringstream out;
  out.precision(2);
  for (size_t i = 0; i < sorted.size() && i < count; ++i)
    out << (i ? ", " : "") << sorted[i].second << " " << static_cast<double>(sorted[i].first) / 1024.0 << " MB";
  return out.str();
}

void memory_figure(const std::string& what, pid_t pid, double limit_mb, const std::string& target) {
  Figure figure;
  figure.row = "agntd memory";
  figure.what = what;
  figure.median = static_cast<double>(status_kb(pid, "status", "VmRSS")) / 1024.0;
  figure.unit = "MB";
  figure.target = target;
  figure.met = figure.median < limit_mb;
  figure.runs = 1;
  std::ostringstream note;
  note << "PSS " << static_cast<double>(status_kb(pid, "smaps_rollup", "Pss")) / 1024.0 << " MB, private dirty "
       << static_cast<double>(status_kb(pid, "smaps_rollup", "Private_Dirty")) / 1024.0 << " MB, "
       << mapped_libraries(pid) << " shared libraries mapped; largest: " << largest_mappings(pid, 6);
  figure.note = note.str();
  print(figure);
}

std::string stub_models(const LlmStub& stub) {
  return "[default]\nprovider = \"openai\"\nendpoint = \"" + stub.base_url() +
         "\"\nmodel = \"bench\"\nmax_tokens = 256\n";
}

void one_turn(Client& client, const std::string& prompt,
              const std::function<void(const Json&, Clock::time_point)>& seen = {}) {
  client.send(Json{{"type", "chat"}, {"prompt", prompt}});
  client.until("turn_complete", seen);
}

}  // namespace

void daemon_memory_row(const Context& context) {
  const std::vector<std::string> prompts{"show cpu", "hello", "how much memory do I have?", "what is installed?",
                                         "show the disks"};
  {
    Daemon daemon(context, "");
    std::this_thread::sleep_for(2s);
    memory_figure("agntd idle RSS (offline provider)", daemon.pid(), 8, "< 8 MB");
    Client client(daemon.socket());
    client.send(Json{{"type", "init"}});
    client.until("session_ready");
    for (int turn = 0; turn < 100; ++turn) one_turn(client, prompts[turn % prompts.size()]);
    // agntd gives memory back after a second with nothing to do (Server::run): measure after it.
    std::this_thread::sleep_for(2s);
    memory_figure("agntd RSS after 100 turns (offline provider)", daemon.pid(), 16, "< 16 MB");
  }
  {
    LlmStub stub;
    Daemon daemon(context, stub_models(stub));
    std::this_thread::sleep_for(2s);
    memory_figure("agntd idle RSS (OpenAI provider, scripted LLM)", daemon.pid(), 8, "< 8 MB");
    Client client(daemon.socket());
    client.send(Json{{"type", "init"}});
    client.until("session_ready");
    for (int turn = 0; turn < 100; ++turn) one_turn(client, "show cpu");
    std::this_thread::sleep_for(2s);
    memory_figure("agntd RSS after 100 scripted turns (OpenAI provider)", daemon.pid(), 16, "< 16 MB");
  }
}

void daemon_round_row(const Context& context) {
  LlmStub stub;
  Daemon daemon(context, stub_models(stub));
  Client client(daemon.socket());
  client.send(Json{{"type", "init"}});
  client.until("session_ready");
  const Command tool{"agntctl --json inspect -- cpu",
                     {context.agntctl.string(), "--json", "inspect", "--", "cpu"}, daemon.env(), {0}};
  const int runs = context.runs;
  for (int warm = 0; warm < 3; ++warm) one_turn(client, "show cpu");
  stub.take_busy_ms();
  std::vector<double> turns, tools, llm, overheads;
  for (int round = 0; round < runs; ++round) {
    tools.push_back(time_once(tool));
    const auto start = Clock::now();
    one_turn(client, "show cpu");
    turns.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    llm.push_back(stub.take_busy_ms());
    overheads.push_back(turns.back() - tools.back() - llm.back());
  }
  Figure overhead;
  overhead.row = "daemon round";
  overhead.what = "agntd's own time per tool round (turn − agntctl − LLM)";
  overhead.median = median(overheads);
  overhead.target = "< 5 ms";
  overhead.met = overhead.median < 5;
  overhead.runs = runs;
  std::ostringstream note;
  note << "turn " << median(turns) << " ms (two LLM requests), agntctl inspect cpu alone " << median(tools)
       << " ms, LLM stub " << median(llm) << " ms";
  overhead.note = note.str();
  print(overhead);

  stub.set_token_delay(20ms);
  std::vector<double> latencies;
  for (int round = 0; round < runs; ++round) {
    Clock::time_point received{};
    one_turn(client, "show cpu", [&](const Json& message, Clock::time_point at) {
      if (received == Clock::time_point{} && message.value("type", "") == "token" &&
          message.value("content", "") == "First")
        received = at;
    });
    if (received == Clock::time_point{}) throw std::runtime_error("the first token never reached the client");
    latencies.push_back(std::chrono::duration<double, std::milli>(received - stub.first_token_sent()).count());
  }
  Figure first;
  first.row = "daemon round";
  first.what = "first token: LLM stub's write to the client's read";
  first.median = median(latencies);
  first.target = "< 1 ms";
  first.met = first.median < 1;
  first.runs = runs;
  print(first);
}

}  // namespace agntos::bench
