// SPDX-License-Identifier: MIT
#include "common/system/memory.h"

#include <gtest/gtest.h>

#include "common/files.h"
#include "support/temp_dir.h"

namespace agntos {
namespace {

constexpr const char* kMeminfo = R"(MemTotal:       24684096 kB
MemFree:        23054216 kB
MemAvailable:   23756332 kB
Buffers:            1340 kB
Cached:           881316 kB
SwapCached:            0 kB
SwapTotal:       2097148 kB
SwapFree:        1048576 kB
)";

void write(const testing::TempDir& root, const std::string& path, std::string_view content) {
  write_file_atomic(root / path, content, 0644, MakeParents::yes);
}

TEST(SystemMemory, ParsesMeminfoInBytes) {
  const auto memory = parse_meminfo(kMeminfo);
  EXPECT_EQ(memory.total, 24684096ull * 1024);
  EXPECT_EQ(memory.available, 23756332ull * 1024);
  EXPECT_EQ(memory.free, 23054216ull * 1024);
  EXPECT_EQ(memory.buffers, 1340ull * 1024);
  EXPECT_EQ(memory.cached, 881316ull * 1024);
  EXPECT_EQ(memory.swap_total, 2097148ull * 1024);
  EXPECT_EQ(memory.swap_free, 1048576ull * 1024);
}

TEST(SystemMemory, MeminfoWithoutMemAvailableEstimatesIt) {
  const auto memory = parse_meminfo("MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 10 kB\nCached: 200 kB\n");
  EXPECT_EQ(memory.available, 310ull * 1024);
  testing::TempDir root;
  write(root, "proc/meminfo", kMeminfo);
  EXPECT_EQ(read_memory_info(root.path()).total, 24684096ull * 1024);
  EXPECT_EQ(read_memory_info(root / "nowhere").total, 0u);
}

}  // namespace
}  // namespace agntos
