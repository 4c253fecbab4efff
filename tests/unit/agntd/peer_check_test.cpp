// SPDX-License-Identifier: MIT
#include "agntd/peer_check.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <thread>

#include "common/process.h"

namespace agntd {
namespace {

using namespace std::chrono_literals;

// A child that lives until killed; the test process plays the daemon.
class Child {
public:
  explicit Child(const std::vector<std::string>& argv) {
    m_pid = ::fork();
    if (m_pid == 0) {
      std::vector<char*> args;
      for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
      args.push_back(nullptr);
      ::execvp(args[0], args.data());
      ::_exit(127);
    }
    std::this_thread::sleep_for(300ms);  // let bwrap set up its namespaces
  }
  ~Child() {
    ::kill(m_pid, SIGKILL);
    ::waitpid(m_pid, nullptr, 0);
  }
  pid_t pid() const { return m_pid; }

private:
  pid_t m_pid = -1;
};

TEST(PeerCheck, AProcessOutsideTheDaemonsFamilyIsAllowed) {
  // Our parent (the test runner's shell or ctest) does not descend from us.
  EXPECT_EQ(peer_refusal(::getppid(), ::getpid()), std::nullopt);
  EXPECT_EQ(peer_refusal(::getpid(), ::getpid()), std::nullopt);
}

TEST(PeerCheck, ADescendantOfTheDaemonIsRefused) {
  Child tool({"sh", "-c", "sleep 30 & wait"});
  // The grandchild: `sleep` below the shell the "daemon" started.
  std::optional<std::string> refusal;
  for (int i = 0; i < 50 && !refusal; ++i) {
    const auto children = agntos::run_process({"pgrep", "-P", std::to_string(tool.pid())});
    if (children.ok()) refusal = peer_refusal(std::stoi(children.out), ::getpid());
    else std::this_thread::sleep_for(50ms);
  }
  ASSERT_TRUE(refusal.has_value());
  EXPECT_NE(refusal->find("descends"), std::string::npos) << *refusal;
}

TEST(PeerCheck, AProcessInASandboxIsRefused) {
  const auto bwrap = agntos::find_program("bwrap");
  if (!bwrap) GTEST_SKIP() << "bubblewrap not installed";
  Child sandbox({bwrap->string(), "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--unshare-user",
                 "--unshare-pid", "--cap-drop", "ALL", "--", "sleep", "30"});
  // Whatever the pid, the sandboxed sleep is in other namespaces than the "daemon" pid 1.
  const auto sleeper = agntos::run_process({"pgrep", "-n", "-P", std::to_string(sandbox.pid())});
  ASSERT_TRUE(sleeper.ok()) << sleeper.err;
  const auto refusal = peer_refusal(std::stoi(sleeper.out), 1);
  ASSERT_TRUE(refusal.has_value());
  EXPECT_NE(refusal->find("namespace"), std::string::npos) << *refusal;
}

TEST(PeerCheck, AnUnknownPeerIsRefused) {
  EXPECT_TRUE(peer_refusal(0, ::getpid()).has_value());
  EXPECT_TRUE(peer_refusal(::getpid(), ::getpid(), "/nonexistent-proc").has_value());
}

}  // namespace
}  // namespace agntd
