// SPDX-License-Identifier: MIT
#include "common/system/human_units.h"

#include <cstdio>
#include <iterator>

namespace agntos {

std::string human_size(uint64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "K", "M", "G", "T", "P", "E"};
  double value = static_cast<double>(bytes);
  size_t unit = 0;
  while (value >= 1024.0 && unit + 1 < std::size(kUnits)) {
    value /= 1024.0;
    ++unit;
  }
  char buffer[32];
  if (unit == 0)
    std::snprintf(buffer, sizeof buffer, "%lluB", static_cast<unsigned long long>(bytes));
  else if (value < 9.95)
    std::snprintf(buffer, sizeof buffer, "%.1f%s", value, kUnits[unit]);
  else
    std::snprintf(buffer, sizeof buffer, "%.0f%s", value, kUnits[unit]);
  return buffer;
}

std::string human_duration(long long seconds) {
  if (seconds < 0) seconds = 0;
  const long long days = seconds / 86400;
  const long long hours = seconds % 86400 / 3600;
  const long long minutes = seconds % 3600 / 60;
  if (days > 0) return std::to_string(days) + "d " + std::to_string(hours) + "h";
  if (hours > 0) return std::to_string(hours) + "h " + std::to_string(minutes) + "m";
  if (minutes > 0) return std::to_string(minutes) + "m";
  return std::to_string(seconds) + "s";
}

}  // namespace agntos
