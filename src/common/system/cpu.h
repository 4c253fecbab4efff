// SPDX-License-Identifier: MIT
#pragma once
// The processor: /proc/cpuinfo (x86 and ARM layouts), the online CPU list, cpufreq, and
// /proc/loadavg.
//
// Readers take a `root` (default "/") and read <root>/proc/..., <root>/sys/..., <root>/etc/...,
// so tests can feed a fake tree; they never throw for a missing or odd file (an unknown fact is
// empty, zero, nullopt or an empty list). The parse_* functions take the file's text and are pure.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agntos {

namespace fs = std::filesystem;

struct CpuInfo {
  std::string model;          // "AMD EPYC 7763 64-Core Processor"; empty when unknown
  std::string vendor;         // "GenuineIntel", "AuthenticAMD", an ARM implementer id; may be empty
  int cores = 0;              // physical cores (equals threads when the file does not say)
  int threads = 0;            // logical CPUs
  std::optional<double> mhz;  // current clock of the first CPU
  size_t flags_count = 0;     // x86 "flags" or ARM "Features"
};

// Parses /proc/cpuinfo text (x86 and ARM layouts). threads counts the "processor" entries;
// cores counts distinct (physical id, core id) pairs, else "cpu cores" per physical package.
CpuInfo parse_cpuinfo(std::string_view text);

// Number of CPUs in a kernel CPU list such as "0-3,6" (5); nullopt when malformed.
std::optional<int> parse_cpu_list(std::string_view text);

enum class CpuDetail {
  summary,  // model, vendor, cores, threads from the first entry of cpuinfo and
            // /sys/devices/system/cpu/online: constant cost however many CPUs there are
  full,     // the whole of cpuinfo (mhz and flags too), plus cpufreq when cpuinfo has no MHz
};
CpuInfo read_cpu_info(const fs::path& root = "/", CpuDetail detail = CpuDetail::full);

struct LoadAverage {
  double one = 0, five = 0, fifteen = 0;
  long running = 0;  // runnable scheduling entities
  long total = 0;    // existing scheduling entities
};
// /proc/loadavg: "0.95 1.58 0.96 3/96 8705"; nullopt when malformed.
std::optional<LoadAverage> parse_loadavg(std::string_view text);
std::optional<LoadAverage> read_load_average(const fs::path& root = "/");

// The CPU model without trademarks and clock: "Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz" ->
// "Intel Xeon Gold 6230".
std::string short_cpu_model(std::string_view model);

}  // namespace agntos
