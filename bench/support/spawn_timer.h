// SPDX-License-Identifier: MIT
#pragma once
// Whole-process timing for the benchmarks (docs/BENCHMARKS.md): a command is started with
// posix_spawn (vfork), its output sent to /dev/null, and waited for; the time is the wall
// time from just before the spawn to just after the wait. Commands compared with each other
// are run interleaved (A B C A B C ...), so that the noise of a shared machine falls on all
// of them alike, and each is summarised by its median.

#include <map>
#include <string>
#include <vector>

namespace agntos::bench {

struct Command {
  std::string label;
  std::vector<std::string> argv;
  std::map<std::string, std::string> env;  // added to the benchmark's own environment
  std::vector<int> exit_codes{0};          // the exit statuses that count as a run
};

// One run: wall time, and the CPU time (user + system) the child used, in milliseconds. CPU
// time is much less disturbed by other work on a shared machine than wall time.
struct Sample {
  double wall = 0;
  double cpu = 0;
};

// Throws std::runtime_error when the command cannot start or exits with a status outside
// `exit_codes` (with the command's stderr).
Sample run_once(const Command& command);
// The wall time of one run.
inline double time_once(const Command& command) { return run_once(command).wall; }

// `runs` rounds of every command in turn, after `warmup` untimed rounds. Result[i] holds the
// samples of commands[i].
std::vector<std::vector<Sample>> interleaved(const std::vector<Command>& commands, int runs, int warmup = 2);

std::vector<double> walls(const std::vector<Sample>& samples);
std::vector<double> cpus(const std::vector<Sample>& samples);

double median(std::vector<double> values);

// The median of the pairwise ratios a[i] / b[i] (more robust than a ratio of medians when the
// machine's load changes during a run).
double median_ratio(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace agntos::bench
