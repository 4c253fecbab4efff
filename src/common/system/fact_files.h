// SPDX-License-Identifier: MIT
#pragma once
// What the system readers (common/system/*) share: reading the small text files of /proc,
// /sys and /etc, and taking their lines apart. Nothing here throws and nothing runs a
// subprocess: a fact that cannot be read is simply unknown.
//
// Readers take a `root` (default "/") and read <root>/proc/..., <root>/sys/..., <root>/etc/...,
// so tests can feed a fake tree; they never throw for a missing or odd file (an unknown fact is
// empty, zero, nullopt or an empty list). The parse_* functions take the file's text and are pure.

#include <charconv>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace agntos::facts {

namespace fs = std::filesystem;

enum class ReadUntil {
  end,               // the whole file (up to the byte limit)
  first_blank_line,  // the first block: stops after the first empty line (kept is its newline)
};

// At most `max_bytes` of a file; nullopt on any error. /proc files report size 0, so this reads
// until end of file rather than trusting st_size.
std::optional<std::string> read_text(const fs::path& path, size_t max_bytes = 1 << 20, ReadUntil until = ReadUntil::end);
// The file's first 4 KiB trimmed; nullopt when unreadable or blank.
std::optional<std::string> read_trimmed(const fs::path& path);
// `root` joined with an absolute path such as "/proc/meminfo".
fs::path under(const fs::path& root, std::string_view absolute);

// A whole number (in `base`) or a decimal at the start of `text`; nullopt when there is none.
template <typename Number>
std::optional<Number> to_number(std::string_view text, int base = 10) {
  Number value{};
  const char* end = text.data() + text.size();
  std::from_chars_result result;
  if constexpr (std::is_floating_point_v<Number>)
    result = std::from_chars(text.data(), end, value);
  else
    result = std::from_chars(text.data(), end, value, base);
  if (result.ec != std::errc() || result.ptr == text.data()) return std::nullopt;
  return value;
}

// Calls `each` with every line of `text` without its newline (a view into `text`), as
// split_lines would give them: the readers run on every `agntctl inspect`, and take a file
// apart without copying it line by line.
template <typename Each>
void for_each_line(std::string_view text, Each&& each) {
  while (!text.empty()) {
    const size_t end = text.find('\n');
    each(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
}

// The words of a line separated by spaces and tabs (views into `line`).
std::vector<std::string_view> fields(std::string_view line);
// "key : value" (cpuinfo, meminfo), both sides trimmed (views into `line`); nullopt without a colon.
std::optional<std::pair<std::string_view, std::string_view>> colon_pair(std::string_view line);

}  // namespace agntos::facts
