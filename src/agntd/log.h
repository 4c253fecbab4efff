// SPDX-License-Identifier: MIT
#pragma once
// The daemon's log: one JSON object per line, {"time","level","event",...fields}, written to
// stderr (for journald under systemd) and appended to <state>/agntd.log (mode 0600).
//
// Lines carry ids, names and error messages, never prompts, answers or tool output (those are
// in sessions.db) and never an API key. Safe to call from any thread.
//
// Rate limited per event name, so a fault that repeats (accept failing at the descriptor
// limit, a client sending garbage in a loop) cannot fill the disk: each event may write a
// burst of kLogBurst lines, then one more per kLogRefill; lines over that are counted and
// dropped, and the next line of that event says how many with "suppressed": N.

#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "common/fd.h"
#include "common/json.h"

namespace agntd {

using agntos::Json;

enum class LogLevel { debug, info, warning, error };

inline constexpr double kLogBurst = 20;
inline constexpr std::chrono::milliseconds kLogRefill{200};

class Logger {
public:
  // `file` empty: stderr only. A file that cannot be opened is reported once on stderr and
  // then ignored: the log never stops the daemon.
  explicit Logger(const std::filesystem::path& file = {}, bool to_stderr = true);

  void log(LogLevel level, std::string_view event, Json fields = Json::object());
  void info(std::string_view event, Json fields = Json::object()) { log(LogLevel::info, event, std::move(fields)); }
  void warning(std::string_view event, Json fields = Json::object()) { log(LogLevel::warning, event, std::move(fields)); }
  void error(std::string_view event, Json fields = Json::object()) { log(LogLevel::error, event, std::move(fields)); }

private:
  struct Budget {
    double tokens = kLogBurst;
    std::chrono::steady_clock::time_point refilled = std::chrono::steady_clock::now();
    unsigned long long suppressed = 0;
  };
  std::map<std::string, Budget, std::less<>> m_budgets;
  std::mutex m_mutex;
  agntos::Fd m_file;
  bool m_stderr;
};

}  // namespace agntd
