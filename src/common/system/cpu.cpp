// SPDX-License-Identifier: MIT
#include "common/system/cpu.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <utility>

#include "common/system/fact_files.h"
#include "common/text.h"

namespace agntos {

using namespace facts;

namespace {

std::string arm_implementer_name(std::string_view id) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kNames{{
      {"0x41", "ARM"}, {"0x42", "Broadcom"}, {"0x43", "Cavium"}, {"0x48", "HiSilicon"},
      {"0x4e", "NVIDIA"}, {"0x51", "Qualcomm"}, {"0x61", "Apple"}, {"0xc0", "Ampere"},
  }};
  for (const auto& [key, name] : kNames)
    if (id == key) return std::string(name);
  return std::string(id);
}

// What cpuinfo says, before the reader decides how many CPUs there are.
struct CpuinfoFields {
  CpuInfo info;
  int cores_per_package = 0;  // "cpu cores"
  int siblings = 0;           // logical CPUs per package
  bool model_named = false;   // the model came from a model line, not from ARM part ids
};

CpuinfoFields parse_cpuinfo_fields(std::string_view text) {
  CpuinfoFields result;
  // Views into `text`.
  std::map<std::string_view, std::string_view> first;  // first value of every key in the file
  std::set<std::pair<std::string_view, std::string_view>> core_ids;
  std::set<std::string_view> packages;
  std::string_view package;
  int threads = 0;
  for_each_line(text, [&](std::string_view line) {
    const auto pair = colon_pair(line);
    if (!pair) return;
    const auto [key, value] = *pair;
    first.try_emplace(key, value);
    if (key == "processor" && all_digits(value)) {
      ++threads;
      package = {};
    } else if (key == "physical id") {
      package = value;
      packages.insert(value);
    } else if (key == "core id") {
      core_ids.emplace(package, value);
    }
  });
  auto get = [&](const char* key) -> std::string {
    const auto it = first.find(key);
    return it == first.end() ? std::string() : std::string(it->second);
  };
  CpuInfo& info = result.info;
  for (const char* key : {"model name", "cpu model", "Model", "Hardware", "Processor", "cpu", "uarch"}) {
    info.model = get(key);
    if (!info.model.empty()) break;
  }
  result.model_named = !info.model.empty();
  info.vendor = get("vendor_id");
  if (info.vendor.empty() && !get("CPU implementer").empty()) {
    info.vendor = arm_implementer_name(get("CPU implementer"));
    if (info.model.empty()) info.model = info.vendor + " CPU part " + get("CPU part");
  }
  if (info.vendor.empty()) info.vendor = get("vendor");
  info.threads = threads;
  result.cores_per_package = to_number<int>(get("cpu cores")).value_or(0);
  result.siblings = to_number<int>(get("siblings")).value_or(0);
  if (!core_ids.empty())
    info.cores = static_cast<int>(core_ids.size());
  else if (result.cores_per_package > 0)
    info.cores = result.cores_per_package * std::max<int>(1, static_cast<int>(packages.size()));
  else
    info.cores = threads;
  if (const auto mhz = get("cpu MHz"); !mhz.empty()) info.mhz = to_number<double>(mhz);
  std::string flags = get("flags");
  if (flags.empty()) flags = get("Features");
  info.flags_count = fields(flags).size();
  return result;
}

}  // namespace

CpuInfo parse_cpuinfo(std::string_view text) { return parse_cpuinfo_fields(text).info; }

std::optional<int> parse_cpu_list(std::string_view text) {
  const auto list = trim(text);
  if (list.empty()) return std::nullopt;
  int count = 0;
  for (const auto& range : split(list, ',')) {
    const auto dash = range.find('-');
    const auto low = to_number<int>(std::string_view(range).substr(0, dash));
    const auto high = dash == std::string::npos ? low : to_number<int>(std::string_view(range).substr(dash + 1));
    if (!low || !high || *high < *low) return std::nullopt;
    count += *high - *low + 1;
  }
  return count;
}

CpuInfo read_cpu_info(const fs::path& root, CpuDetail detail) {
  const auto cpuinfo_path = under(root, "/proc/cpuinfo");
  const auto online = read_text(under(root, "/sys/devices/system/cpu/online"), 4096);
  // 0 when unknown (a plain int: GCC 12 misreports an optional here as maybe-uninitialized).
  const int online_count = online ? parse_cpu_list(*online).value_or(0) : 0;
  if (detail == CpuDetail::summary) {
    // The first entry is enough for a homogeneous machine; reading all of cpuinfo costs
    // time in proportion to the number of CPUs.
    const auto fields_read = parse_cpuinfo_fields(read_text(cpuinfo_path, 64 * 1024, ReadUntil::first_blank_line).value_or(""));
    CpuInfo info = fields_read.info;
    if (fields_read.model_named) {
      info.threads = online_count > 0 ? online_count : std::max(info.threads, 1);
      if (fields_read.cores_per_package > 0 && fields_read.siblings > 0)
        info.cores = fields_read.cores_per_package * std::max(1, info.threads / fields_read.siblings);
      else
        info.cores = info.threads;
      info.mhz.reset();
      info.flags_count = 0;
      return info;
    }
    // ARM puts the model (Hardware, Model) at the end of the file: read it all.
  }
  CpuInfo info = parse_cpuinfo(read_text(cpuinfo_path).value_or(""));
  if (info.threads == 0) info.threads = online_count;
  if (info.cores == 0) info.cores = info.threads;
  if (detail == CpuDetail::summary) {
    info.mhz.reset();
    info.flags_count = 0;
    return info;
  }
  if (!info.mhz) {
    const auto khz = read_trimmed(under(root, "/sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq"));
    if (khz) {
      if (const auto value = to_number<double>(*khz)) info.mhz = *value / 1000.0;
    }
  }
  return info;
}

std::optional<LoadAverage> parse_loadavg(std::string_view text) {
  const std::string trimmed = trim(text);
  const auto parts = fields(trimmed);
  if (parts.size() < 3) return std::nullopt;
  const auto one = to_number<double>(parts[0]);
  const auto five = to_number<double>(parts[1]);
  const auto fifteen = to_number<double>(parts[2]);
  if (!one || !five || !fifteen) return std::nullopt;
  LoadAverage load{*one, *five, *fifteen, 0, 0};
  if (parts.size() >= 4) {
    const auto slash = parts[3].find('/');
    if (slash != std::string_view::npos) {
      load.running = to_number<long>(parts[3].substr(0, slash)).value_or(0);
      load.total = to_number<long>(parts[3].substr(slash + 1)).value_or(0);
    }
  }
  return load;
}

std::optional<LoadAverage> read_load_average(const fs::path& root) {
  const auto text = read_text(under(root, "/proc/loadavg"), 4096);
  if (!text) return std::nullopt;
  return parse_loadavg(*text);
}

std::string short_cpu_model(std::string_view model) {
  std::string text(model);
  const auto at = text.find(" @ ");
  if (at != std::string::npos) text.resize(at);
  for (const std::string_view mark : {"(R)", "(r)", "(TM)", "(tm)"}) {
    for (auto found = text.find(mark); found != std::string::npos; found = text.find(mark)) text.erase(found, mark.size());
  }
  std::vector<std::string> kept;
  for (const auto& word : fields(text))
    if (word != "CPU" && word != "Processor" && word != "processor") kept.emplace_back(word);
  return join(kept, " ");
}

}  // namespace agntos
