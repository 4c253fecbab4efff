// SPDX-License-Identifier: MIT
#include "common/system/memory.h"

#include "common/system/fact_files.h"
#include "common/text.h"

namespace agntos {

using namespace facts;

MemoryInfo parse_meminfo(std::string_view text) {
  MemoryInfo memory;
  bool have_available = false;
  for_each_line(text, [&](std::string_view line) {
    const auto pair = colon_pair(line);
    if (!pair) return;
    const auto parts = fields(pair->second);
    if (parts.empty()) return;
    const auto number = to_number<uint64_t>(parts[0]);
    if (!number) return;
    const uint64_t bytes = parts.size() > 1 && parts[1] == "kB" ? *number * 1024 : *number;
    const auto key = pair->first;
    if (key == "MemTotal") memory.total = bytes;
    else if (key == "MemFree") memory.free = bytes;
    else if (key == "MemAvailable") memory.available = bytes, have_available = true;
    else if (key == "Buffers") memory.buffers = bytes;
    else if (key == "Cached") memory.cached = bytes;
    else if (key == "SwapTotal") memory.swap_total = bytes;
    else if (key == "SwapFree") memory.swap_free = bytes;
  });
  if (!have_available) memory.available = memory.free + memory.buffers + memory.cached;
  return memory;
}

MemoryInfo read_memory_info(const fs::path& root) {
  return parse_meminfo(read_text(under(root, "/proc/meminfo"), 64 * 1024).value_or(""));
}

}  // namespace agntos
