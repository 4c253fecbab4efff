// SPDX-License-Identifier: MIT
#include "common/system/cpu.h"

#include <gtest/gtest.h>

#include "common/files.h"
#include "support/temp_dir.h"

namespace agntos {
namespace {

constexpr const char* kX86Cpuinfo = R"(processor	: 0
vendor_id	: GenuineIntel
cpu family	: 6
model name	: Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz
cpu MHz		: 2095.078
physical id	: 0
siblings	: 2
core id		: 0
cpu cores	: 1
flags		: fpu vme de pse tsc

processor	: 1
vendor_id	: GenuineIntel
model name	: Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz
cpu MHz		: 2095.078
physical id	: 0
siblings	: 2
core id		: 0
cpu cores	: 1
flags		: fpu vme de pse tsc

processor	: 2
vendor_id	: GenuineIntel
model name	: Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz
physical id	: 1
siblings	: 2
core id		: 0
cpu cores	: 1
flags		: fpu vme de pse tsc

processor	: 3
vendor_id	: GenuineIntel
model name	: Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz
physical id	: 1
siblings	: 2
core id		: 0
cpu cores	: 1
flags		: fpu vme de pse tsc

)";

constexpr const char* kArmCpuinfo = R"(processor	: 0
BogoMIPS	: 108.00
Features	: fp asimd evtstrm crc32 cpuid
CPU implementer	: 0x41
CPU architecture: 8
CPU part	: 0xd08

processor	: 1
BogoMIPS	: 108.00
Features	: fp asimd evtstrm crc32 cpuid
CPU implementer	: 0x41
CPU architecture: 8
CPU part	: 0xd08

Hardware	: BCM2835
Revision	: c03111
Model		: Raspberry Pi 4 Model B Rev 1.1
)";

void write(const testing::TempDir& root, const std::string& path, std::string_view content) {
  write_file_atomic(root / path, content, 0644, MakeParents::yes);
}

TEST(Cpu, ParsesX86CpuinfoWithTwoPackages) {
  const auto cpu = parse_cpuinfo(kX86Cpuinfo);
  EXPECT_EQ(cpu.model, "Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz");
  EXPECT_EQ(cpu.vendor, "GenuineIntel");
  EXPECT_EQ(cpu.threads, 4);
  EXPECT_EQ(cpu.cores, 2);  // one core in each of two packages
  ASSERT_TRUE(cpu.mhz.has_value());
  EXPECT_NEAR(*cpu.mhz, 2095.078, 0.001);
  EXPECT_EQ(cpu.flags_count, 5u);
}

TEST(Cpu, ParsesArmCpuinfoWithTheModelAtTheEnd) {
  const auto cpu = parse_cpuinfo(kArmCpuinfo);
  EXPECT_EQ(cpu.model, "Raspberry Pi 4 Model B Rev 1.1");
  EXPECT_EQ(cpu.vendor, "ARM");
  EXPECT_EQ(cpu.threads, 2);
  EXPECT_EQ(cpu.cores, 2);
  EXPECT_FALSE(cpu.mhz.has_value());
  EXPECT_EQ(cpu.flags_count, 5u);
}

TEST(Cpu, CpuSummaryReadsTheFirstEntryAndTheOnlineList) {
  testing::TempDir root;
  write(root, "proc/cpuinfo", kX86Cpuinfo);
  write(root, "sys/devices/system/cpu/online", "0-3\n");
  const auto summary = read_cpu_info(root.path(), CpuDetail::summary);
  EXPECT_EQ(summary.model, "Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz");
  EXPECT_EQ(summary.threads, 4);
  EXPECT_EQ(summary.cores, 2);  // 1 core per package x (4 threads / 2 siblings)
  const auto full = read_cpu_info(root.path(), CpuDetail::full);
  EXPECT_EQ(full.threads, 4);
  EXPECT_EQ(full.cores, 2);
  EXPECT_EQ(full.flags_count, 5u);
}

TEST(Cpu, CpuSummaryOfArmFallsBackToTheWholeFile) {
  testing::TempDir root;
  write(root, "proc/cpuinfo", kArmCpuinfo);
  write(root, "sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq", "1500000\n");
  const auto summary = read_cpu_info(root.path(), CpuDetail::summary);
  EXPECT_EQ(summary.model, "Raspberry Pi 4 Model B Rev 1.1");
  EXPECT_EQ(summary.threads, 2);
  const auto full = read_cpu_info(root.path(), CpuDetail::full);
  ASSERT_TRUE(full.mhz.has_value());
  EXPECT_DOUBLE_EQ(*full.mhz, 1500.0);
}

TEST(Cpu, ParsesCpuLists) {
  EXPECT_EQ(parse_cpu_list("0-3,6\n"), 5);
  EXPECT_EQ(parse_cpu_list("0"), 1);
  EXPECT_EQ(parse_cpu_list(""), std::nullopt);
  EXPECT_EQ(parse_cpu_list("3-1"), std::nullopt);
  EXPECT_EQ(parse_cpu_list("a-b"), std::nullopt);
}

TEST(Cpu, ParsesLoadavg) {
  const auto load = parse_loadavg("0.95 1.58 0.96 3/96 8705\n");
  ASSERT_TRUE(load.has_value());
  EXPECT_DOUBLE_EQ(load->one, 0.95);
  EXPECT_DOUBLE_EQ(load->five, 1.58);
  EXPECT_DOUBLE_EQ(load->fifteen, 0.96);
  EXPECT_EQ(load->running, 3);
  EXPECT_EQ(load->total, 96);
  EXPECT_FALSE(parse_loadavg("garbage").has_value());
  testing::TempDir root;
  write(root, "proc/loadavg", "1.00 2.00 3.00 1/10 5\n");
  EXPECT_DOUBLE_EQ(read_load_average(root.path())->fifteen, 3.0);
}

TEST(Cpu, ShortModelDropsTrademarksAndClock) {
  EXPECT_EQ(short_cpu_model("Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz"), "Intel Core i7-8650U");
  EXPECT_EQ(short_cpu_model("AMD EPYC 7763 64-Core Processor"), "AMD EPYC 7763 64-Core");
}

}  // namespace
}  // namespace agntos
