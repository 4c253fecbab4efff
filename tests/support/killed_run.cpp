// SPDX-License-Identifier: MIT
#include "support/killed_run.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <thread>

extern char** environ;

namespace agntos::testing {
namespace {

// posix_spawn's attribute objects, destroyed on every path.
struct SpawnSetup {
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setpgroup(&attributes, 0);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
};

// NULL-terminated pointers into `strings`, for argv and envp.
std::vector<char*> c_array(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (auto& item : strings) pointers.push_back(item.data());
  pointers.push_back(nullptr);
  return pointers;
}

}  // namespace

void run_and_kill(const AgntctlEnv& env, const std::vector<std::string>& args, std::chrono::microseconds delay) {
  // Killing at a precise moment needs the pid at once, so this spawns directly instead of
  // going through run_process.
  std::map<std::string, std::string> variables;
  for (char** entry = environ; *entry; ++entry) {
    const std::string_view item(*entry);
    const auto equals = item.find('=');
    if (equals != std::string_view::npos) variables.emplace(item.substr(0, equals), item.substr(equals + 1));
  }
  for (const auto& [name, value] : env.environment()) variables[name] = value;
  std::vector<std::string> env_strings;
  for (const auto& [name, value] : variables) env_strings.push_back(name + "=" + value);
  std::vector<std::string> argv_strings{agntctl_binary().string()};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  auto envp = c_array(env_strings);
  auto argv = c_array(argv_strings);

  SpawnSetup setup;
  pid_t pid = 0;
  ASSERT_EQ(::posix_spawn(&pid, argv[0], &setup.actions, &setup.attributes, argv.data(), envp.data()), 0);
  std::this_thread::sleep_for(delay);
  ::kill(-pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
}

KillWindow::KillWindow(std::chrono::microseconds measured, unsigned seed)
    : m_window(measured.count() * 12 / 10), m_random(seed) {}

std::chrono::microseconds KillWindow::next() {
  m_last = std::uniform_int_distribution<long>(0, m_window)(m_random);
  return std::chrono::microseconds(m_last);
}

void KillWindow::killed_before_the_end() {
  if (m_last * 10 >= m_window * 8) m_window = m_window * 12 / 10;
}

}  // namespace agntos::testing
