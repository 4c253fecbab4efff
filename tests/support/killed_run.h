// SPDX-License-Identifier: MIT
#pragma once
// Killing agntctl at a chosen moment, for the crash and confirm-or-revert tests: run_and_kill
// starts a command and SIGKILLs its whole process group after a delay, and KillWindow picks the
// delays so that kills land both before and after the end of the command on any machine.

#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "support/agntctl_runner.h"

namespace agntos::testing {

// Starts `agntctl args` with the environment of env.run() in a process group of its own, with
// stdout and stderr discarded, SIGKILLs the group after `delay` (agntctl and whatever it runs,
// as agntd's cancel does; nothing happens when it has already ended) and reaps agntctl.
void run_and_kill(const AgntctlEnv& env, const std::vector<std::string>& args, std::chrono::microseconds delay);

// Where to kill: uniformly over a window that starts a little longer (x1.2) than one measured
// run and grows by a fifth whenever a kill in its last fifth still caught the run unfinished,
// so every machine (a loaded CI runner included) sees both outcomes without a timing constant.
// The seed makes the sequence of kill points repeatable.
class KillWindow {
public:
  KillWindow(std::chrono::microseconds measured, unsigned seed);
  std::chrono::microseconds next();
  // The run killed at the last point had not finished.
  void killed_before_the_end();
  long window_ms() const { return m_window / 1000; }

private:
  long m_window;
  long m_last = 0;
  std::mt19937 m_random;
};

}  // namespace agntos::testing
