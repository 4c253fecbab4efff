// SPDX-License-Identifier: MIT
#include "support/spawn_timer.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>

extern char** environ;

namespace agntos::bench {
namespace {

std::vector<std::string> environment_with(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> result;
  for (char** entry = environ; *entry; ++entry) {
    const std::string item = *entry;
    const auto name = item.substr(0, item.find('='));
    if (!extra.count(name)) result.push_back(item);
  }
  for (const auto& [name, value] : extra) result.push_back(name + "=" + value);
  return result;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> result;
  for (auto& s : strings) result.push_back(s.data());
  result.push_back(nullptr);
  return result;
}

}  // namespace

Sample run_once(const Command& command) {
  auto argv_strings = command.argv;
  auto env_strings = environment_with(command.env);
  auto argv = pointers(argv_strings);
  auto envp = pointers(env_strings);
  char err_template[] = "/tmp/agntos-bench-stderr-XXXXXX";
  const int err_fd = ::mkstemp(err_template);
  if (err_fd < 0) throw std::runtime_error("mkstemp failed");
  ::unlink(err_template);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
  pid_t pid = -1;
  const auto start = std::chrono::steady_clock::now();
  const int rc = ::posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  int status = 0;
  rusage usage{};
  if (rc == 0) ::wait4(pid, &status, 0, &usage);
  const auto end = std::chrono::steady_clock::now();
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    ::close(err_fd);
    throw std::runtime_error("cannot start " + command.argv[0] + ": " + std::strerror(rc));
  }
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (std::find(command.exit_codes.begin(), command.exit_codes.end(), code) == command.exit_codes.end()) {
    std::string err(4096, '\0');
    const ssize_t n = ::pread(err_fd, err.data(), err.size(), 0);
    err.resize(n > 0 ? static_cast<size_t>(n) : 0);
    ::close(err_fd);
    std::string line;
    for (const auto& arg : command.argv) line += arg + " ";
    throw std::runtime_error(command.label + ": '" + line + "' exited with " + std::to_string(code) + ": " + err);
  }
  ::close(err_fd);
  const auto ms = [](const timeval& t) { return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_usec) / 1e3; };
  return Sample{std::chrono::duration<double, std::milli>(end - start).count(), ms(usage.ru_utime) + ms(usage.ru_stime)};
}

std::vector<std::vector<Sample>> interleaved(const std::vector<Command>& commands, int runs, int warmup) {
  for (int round = 0; round < warmup; ++round)
    for (const auto& command : commands) run_once(command);
  std::vector<std::vector<Sample>> samples(commands.size());
  for (int round = 0; round < runs; ++round)
    for (size_t i = 0; i < commands.size(); ++i) samples[i].push_back(run_once(commands[i]));
  return samples;
}

std::vector<double> walls(const std::vector<Sample>& samples) {
  std::vector<double> result;
  for (const auto& sample : samples) result.push_back(sample.wall);
  return result;
}

std::vector<double> cpus(const std::vector<Sample>& samples) {
  std::vector<double> result;
  for (const auto& sample : samples) result.push_back(sample.cpu);
  return result;
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t middle = values.size() / 2;
  return values.size() % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

double median_ratio(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> ratios;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i)
    if (b[i] > 0) ratios.push_back(a[i] / b[i]);
  return median(ratios);
}

}  // namespace agntos::bench
