// SPDX-License-Identifier: MIT
// The daemon keeps its secrets and its footing (issue 9 items 4, 5 and 7): the API key leaves
// the environment and never reaches a tool, the process is not dumpable, the REPL shows
// escape sequences instead of obeying them, and at the descriptor limit accept backs off and
// the log stays small.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "common/fd.h"
#include "common/files.h"
#include "common/process.h"
#include "common/text.h"
#include "integration/agntd_daemon.h"
#include "support/scripted_llm_server.h"

namespace agntd::testing {
namespace {

namespace fs = std::filesystem;
using agntos::testing::AgntctlEnv;
using agntos::testing::ScriptedAnswer;
using agntos::testing::ScriptedLlmServer;
using agntos::testing::ScriptedToolCall;
using agntos::testing::ScriptStep;

constexpr const char* kKeyVariable = "AGNTOS_HARDENING_KEY";
constexpr const char* kKey = "sk-hardening-4f3e2d1c0b-SECRET";

std::string proc_file(pid_t pid, const char* name) {
  return agntos::read_file_if_exists("/proc/" + std::to_string(pid) + "/" + name).value_or("");
}

// User plus system CPU time of a process, in clock ticks (/proc/<pid>/stat fields 14 and 15).
long long cpu_ticks(pid_t pid) {
  const std::string stat = proc_file(pid, "stat");
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string field;
  long long ticks = 0;
  for (int index = 3; fields >> field; ++index)
    if (index == 14 || index == 15) ticks += std::stoll(field);
  return ticks;
}

TEST(AgntdHardening, TheKeyLeavesTheEnvironmentAndNoToolInheritsIt) {
  AgntctlEnv env;
  ScriptedLlmServer server;
  agntos::write_file_atomic(env.config_dir() / "models.toml",
                            "[default]\nprovider = \"openai\"\nendpoint = \"" + server.base_url() +
                                "\"\nmodel = \"m\"\napi_key_env = \"" + kKeyVariable + "\"\n");
  // Every tool runs through this wrapper, which records the environment it was given.
  const auto wrapper = env.root() / "agntctl-wrapper";
  const auto seen_env = env.root() / "tool-env";
  agntos::write_file_atomic(wrapper,
                            "#!/bin/sh\nenv >> '" + seen_env.string() + "'\nexec '" +
                                agntos::testing::agntctl_binary().string() + "' \"$@\"\n",
                            0755);
  server.push(ScriptStep::events(agntos::testing::openai_stream(
      ScriptedAnswer{.tool_calls = {ScriptedToolCall{"call_1", "inspect", R"({"target":"memory"})"}}})));
  server.push(ScriptStep::events(agntos::testing::openai_stream(ScriptedAnswer{.text = {"done"}})));

  DaemonProcess daemon(env, {{kKeyVariable, kKey}, {"AGNTOS_AGNTCTL", wrapper.string()}});
  ASSERT_TRUE(daemon.wait_ready()) << daemon.output();
  SocketClient client(daemon.socket());
  client.send(Json{{"type", "init"}});
  client.expect("session_ready");
  client.send(Json{{"type", "chat"}, {"prompt", "how much memory?"}});
  client.expect("turn_complete");

  // The key was used...
  const auto requests = server.requests();
  ASSERT_FALSE(requests.empty());
  EXPECT_EQ(requests.front().header("Authorization").value_or(""), std::string("Bearer ") + kKey);
  // ...but it is neither in what the kernel shows of the daemon's environment nor in any tool's.
  const std::string environ_text = proc_file(daemon.pid(), "environ");
  ASSERT_FALSE(environ_text.empty());
  EXPECT_EQ(environ_text.find(kKey), std::string::npos);
  EXPECT_NE(environ_text.find("AGNTOS_STATE_DIR="), std::string::npos);  // the rest is intact
  const auto tool_env = agntos::read_file_if_exists(seen_env);
  ASSERT_TRUE(tool_env) << "no tool ran";
  EXPECT_EQ(tool_env->find(kKey), std::string::npos);
  EXPECT_EQ(tool_env->find(kKeyVariable), std::string::npos);
}

TEST(AgntdHardening, TheDaemonIsNotDumpable) {
  AgntctlEnv env;
  DaemonProcess daemon(env);
  ASSERT_TRUE(daemon.wait_ready()) << daemon.output();
  // A non-dumpable process's /proc files belong to root: another process of the same user
  // cannot read its environment or memory, nor attach to it.
  struct stat st {};
  ASSERT_EQ(::stat(("/proc/" + std::to_string(daemon.pid()) + "/environ").c_str(), &st), 0);
  if (::geteuid() == 0) GTEST_SKIP() << "as root every /proc file belongs to root anyway";
  EXPECT_EQ(st.st_uid, 0u);
}

TEST(AgntdHardening, AtTheDescriptorLimitAcceptBacksOffAndTheLogStaysSmall) {
  AgntctlEnv env;
  DaemonProcess daemon(env);
  ASSERT_TRUE(daemon.wait_ready()) << daemon.output();
  const pid_t pid = daemon.pid();
  size_t open_fds = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd")) ++open_fds;
  rlimit original{};
  ASSERT_EQ(::prlimit(pid, RLIMIT_NOFILE, nullptr, &original), 0);
  rlimit tight = original;
  tight.rlim_cur = open_fds + 1;
  ASSERT_EQ(::prlimit(pid, RLIMIT_NOFILE, &tight, nullptr), 0);

  std::vector<agntos::Fd> connections;
  for (int i = 0; i < 32; ++i) {
    agntos::Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::snprintf(address.sun_path, sizeof address.sun_path, "%s", daemon.socket().c_str());
    if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) == 0)
      connections.push_back(std::move(fd));
  }
  ASSERT_GE(connections.size(), 3u);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the first failures and backoffs

  const auto log = env.state_dir() / "agntd.log";
  std::error_code ec;
  const auto log_before = fs::file_size(log, ec);
  const long long ticks_before = cpu_ticks(pid);
  std::this_thread::sleep_for(std::chrono::seconds(2));
  const long long ticks = cpu_ticks(pid) - ticks_before;
  const auto log_growth = fs::file_size(log, ec) - log_before;
  const long hz = ::sysconf(_SC_CLK_TCK);
  std::cout << "[emfile] " << connections.size() << " queued connections at the limit: " << ticks << " ticks of CPU in 2 s ("
            << hz << " per second), log grew " << log_growth << " bytes\n";
  EXPECT_LT(ticks, hz / 5) << "the daemon spins (over 10% of a CPU)";
  EXPECT_LT(log_growth, 16u * 1024u);

  // With descriptors back, the queued clients are served.
  ASSERT_EQ(::prlimit(pid, RLIMIT_NOFILE, &original, nullptr), 0);
  connections.clear();
  SocketClient client(daemon.socket());
  client.send(Json{{"type", "init"}});
  EXPECT_EQ(client.expect("session_ready", nullptr, 10s)["type"], "session_ready");
  EXPECT_TRUE(daemon.running());
}

}  // namespace
}  // namespace agntd::testing
