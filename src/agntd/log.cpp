// SPDX-License-Identifier: MIT
#include "agntd/log.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "common/files.h"
#include "common/ids.h"

namespace agntd {
namespace {

std::string_view level_name(LogLevel level) {
  switch (level) {
    case LogLevel::debug: return "debug";
    case LogLevel::info: return "info";
    case LogLevel::warning: return "warning";
    case LogLevel::error: return "error";
  }
  return "info";
}

}  // namespace

Logger::Logger(const std::filesystem::path& file, bool to_stderr) : m_stderr(to_stderr) {
  if (file.empty()) return;
  m_file.reset(::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
  if (!m_file && m_stderr) std::fprintf(stderr, "agntd: cannot open log file %s; logging to stderr only\n", file.c_str());
}

void Logger::log(LogLevel level, std::string_view event, Json fields) {
  unsigned long long suppressed = 0;
  {
    std::lock_guard lock(m_mutex);
    auto it = m_budgets.find(event);
    if (it == m_budgets.end()) it = m_budgets.emplace(std::string(event), Budget{}).first;
    Budget& budget = it->second;
    const auto now = std::chrono::steady_clock::now();
    budget.tokens = std::min(kLogBurst, budget.tokens + std::chrono::duration<double>(now - budget.refilled) /
                                                            std::chrono::duration<double>(kLogRefill));
    budget.refilled = now;
    if (budget.tokens < 1) {
      ++budget.suppressed;
      return;
    }
    budget.tokens -= 1;
    suppressed = budget.suppressed;
    budget.suppressed = 0;
  }
  Json line{{"time", agntos::iso8601_now()}, {"level", level_name(level)}, {"event", event}};
  if (fields.is_object())
    for (auto& [key, value] : fields.items()) line[key] = std::move(value);
  if (suppressed) line["suppressed"] = suppressed;
  const std::string text = agntos::dump_json(line) + "\n";
  std::lock_guard lock(m_mutex);
  if (m_stderr) agntos::write_best_effort(STDERR_FILENO, text);
  if (m_file) agntos::write_best_effort(m_file.get(), text);
}

}  // namespace agntd
