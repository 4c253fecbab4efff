// SPDX-License-Identifier: MIT
#include "common/system/fact_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "common/fd.h"
#include "common/text.h"

namespace agntos::facts {

std::optional<std::string> read_text(const fs::path& path, size_t max_bytes, ReadUntil until) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return std::nullopt;
  std::string content;
  char buffer[4096];
  while (content.size() < max_bytes) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      return std::nullopt;
    }
    if (n == 0) break;
    content.append(buffer, static_cast<size_t>(n));
    if (until == ReadUntil::first_blank_line) {
      const auto blank = content.find("\n\n");
      if (blank != std::string::npos) {
        content.resize(blank + 1);
        break;
      }
    }
  }
  return content;
}

std::optional<std::string> read_trimmed(const fs::path& path) {
  auto text = read_text(path, 4096);
  if (!text) return std::nullopt;
  auto value = trim(*text);
  if (value.empty()) return std::nullopt;
  return value;
}

// `root` joined with an absolute path such as "/proc/meminfo".
fs::path under(const fs::path& root, std::string_view absolute) {
  return root / fs::path(absolute).relative_path();
}

std::vector<std::string_view> fields(std::string_view line) {
  std::vector<std::string_view> result;
  result.reserve(8);  // a line of /proc/mounts has 6
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    const size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) result.emplace_back(line.substr(start, i - start));
  }
  return result;
}

// "key : value" of /proc/cpuinfo.
std::optional<std::pair<std::string_view, std::string_view>> colon_pair(std::string_view line) {
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const auto trimmed = [](std::string_view text) {
    constexpr std::string_view kSpace = " \t\r\n";  // as trim()
    const auto first = text.find_first_not_of(kSpace);
    if (first == std::string_view::npos) return std::string_view();
    return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
  };
  return std::pair{trimmed(line.substr(0, colon)), trimmed(line.substr(colon + 1))};
}

}  // namespace agntos::facts
