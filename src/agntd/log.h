// SPDX-License-Identifier: MIT
#pragma once
// The daemon's log: one JSON object per line, {"time","level","event",...fields}, written to
// stderr (for journald under systemd) and appended to <state>/agntd.log (mode 0600).
//
// Lines carry ids, names and error messages, never prompts, answers or tool output (those are
// in sessions.db) and never an API key. Safe to call from any thread.

#include <filesystem>
#include <mutex>
#include <string_view>

#include "common/fd.h"
#include "common/json.h"

namespace agntd {

using agntos::Json;

enum class LogLevel { debug, info, warning, error };

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
  std::mutex m_mutex;
  agntos::Fd m_file;
  bool m_stderr;
};

}  // namespace agntd
