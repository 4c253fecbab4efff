// SPDX-License-Identifier: MIT
#pragma once
// RAM and swap: /proc/meminfo, in bytes.
//
// Readers take a `root` (default "/") and read <root>/proc/..., <root>/sys/..., <root>/etc/...,
// so tests can feed a fake tree; they never throw for a missing or odd file (an unknown fact is
// empty, zero, nullopt or an empty list). The parse_* functions take the file's text and are pure.

#include <cstdint>
#include <filesystem>
#include <string_view>

namespace agntos {

namespace fs = std::filesystem;

struct MemoryInfo {  // all in bytes
  uint64_t total = 0;
  uint64_t available = 0;  // MemAvailable; free + buffers + cached on kernels without it
  uint64_t free = 0;
  uint64_t buffers = 0;
  uint64_t cached = 0;
  uint64_t swap_total = 0;
  uint64_t swap_free = 0;
};
MemoryInfo parse_meminfo(std::string_view text);
MemoryInfo read_memory_info(const fs::path& root = "/");

}  // namespace agntos
