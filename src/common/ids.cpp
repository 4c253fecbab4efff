// SPDX-License-Identifier: MIT
#include "common/ids.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace agntos {

std::string make_id(std::string_view prefix) {
  static std::atomic<unsigned long long> last{0};
  const auto now = static_cast<unsigned long long>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
  unsigned long long previous = last.load();
  unsigned long long next = 0;
  do {
    next = now > previous ? now : previous + 1;
  } while (!last.compare_exchange_weak(previous, next));
  char hex[32];
  std::snprintf(hex, sizeof hex, "%llx", next);
  return std::string(prefix) + "-" + hex;
}

bool is_id(std::string_view text, std::string_view prefix) {
  if (text.size() <= prefix.size() + 1 || text.size() > prefix.size() + 1 + 32) return false;
  if (text.substr(0, prefix.size()) != prefix || text[prefix.size()] != '-') return false;
  return text.find_first_not_of("0123456789abcdef", prefix.size() + 1) == std::string_view::npos;
}

std::string iso8601_now() {
  const auto now = std::chrono::system_clock::now();
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  ::gmtime_r(&seconds, &tm);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(millis));
  return buffer;
}

std::string iso8601_utc(int64_t seconds) {
  const auto time = static_cast<std::time_t>(seconds);
  std::tm tm{};
  ::gmtime_r(&time, &tm);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

}  // namespace agntos
