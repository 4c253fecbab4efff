// SPDX-License-Identifier: MIT
#pragma once
// Runs a program from an argv vector (never a shell string) with posix_spawn.
//
// The child gets its own process group. Both output pipes are drained together, each kept up
// to a cap (the rest is read and counted, not stored). On timeout or cancellation the whole
// process group is killed; when the direct child exits, anything it left running in its group
// is killed too, so a call never leaves processes behind. The child is always reaped.

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agntos {

enum class OutputStream { out, err };

struct ProcessOptions {
  std::optional<std::filesystem::path> cwd;
  std::map<std::string, std::string> env_set;  // added or replaced in the inherited environment
  std::vector<std::string> env_unset;          // removed from the inherited environment
  std::optional<std::string> stdin_text;       // nullopt: stdin is /dev/null
  std::chrono::milliseconds timeout{0};        // 0: no timeout
  size_t output_cap = 1 << 20;                 // bytes kept per stream
  // Called with every chunk as it arrives (e.g. to stream rebuild progress).
  std::function<void(OutputStream, std::string_view)> on_output;
  // Polled while the child runs; when it becomes true the group is killed.
  const std::atomic<bool>* cancel = nullptr;
};

struct ProcessResult {
  int exit_code = -1;       // exit status, or -1 when killed by a signal
  int term_signal = 0;      // signal that ended the child, 0 if it exited
  bool timed_out = false;
  bool cancelled = false;
  std::string out;
  std::string err;
  size_t out_total = 0;     // bytes produced, including those past the cap
  size_t err_total = 0;
  std::chrono::milliseconds duration{0};

  bool ok() const { return exit_code == 0 && !timed_out && !cancelled; }
  bool out_truncated() const { return out_total > out.size(); }
  bool err_truncated() const { return err_total > err.size(); }
};

// Throws Error(Errc::not_found) when the program cannot be found or started, and
// Error(Errc::usage) when an argument holds a NUL byte (a C string would cut it short).
ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options = {});

// The path of the running program (/proc/self/exe): what runs itself again (the confirm
// watchdog, agntctl through sudo). Throws Error(Errc::failed) when the kernel does not say.
std::filesystem::path current_executable();

// Looks a program up in PATH; nullopt when absent.
std::optional<std::filesystem::path> find_program(std::string_view name);

}  // namespace agntos
