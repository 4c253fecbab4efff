// SPDX-License-Identifier: MIT
#include "common/system/snapshot.h"

#include <cstdio>
#include <utility>

#include "common/system/human_units.h"
#include "common/text.h"

namespace agntos {

namespace {

// `text` in at most `max_bytes` bytes: cut short on a character boundary and marked with "~".
std::string fit(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  return std::string(utf8_prefix(text, max_bytes - 1)) + "~";
}

std::string gib(uint64_t bytes) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0));
  return buffer;
}

// Appends "label item · item · +N more" to `text` while the line fits `budget` bytes.
void append_items(std::string& text, std::string_view label, const std::vector<std::string>& items, size_t budget) {
  std::string line(label);
  size_t shown = 0;
  for (const auto& item : items) {
    const std::string separator = shown ? " · " : " ";
    const size_t remaining = items.size() - shown - 1;
    const size_t reserve = remaining ? std::string(" · +" + std::to_string(remaining) + " more").size() : 0;
    if (line.size() + separator.size() + item.size() + reserve + 1 > budget) break;
    line += separator + item;
    ++shown;
  }
  if (shown < items.size()) line += (shown ? " · +" : " +") + std::to_string(items.size() - shown) + " more";
  if (line.size() + 1 <= budget) text += line + "\n";
}

}  // namespace

SystemSnapshot read_system_snapshot(const fs::path& root) {
  SystemSnapshot snapshot;
  snapshot.hostname = read_hostname();
  snapshot.os = read_os_release(root);
  snapshot.kernel = read_kernel();
  snapshot.cpu = read_cpu_info(root, CpuDetail::summary);
  snapshot.memory = read_memory_info(root);
  snapshot.disks = read_disks(root, DiskSelection::distinct_local);
  for (auto& interface : read_network_interfaces(root, WithMac::no)) {
    std::erase_if(interface.addresses, [](const InterfaceAddress& address) { return address.link_local(); });
    if (!interface.loopback && !interface.addresses.empty()) snapshot.network.push_back(std::move(interface));
  }
  snapshot.uptime_seconds = read_uptime_seconds();
  return snapshot;
}

Json snapshot_json(const SystemSnapshot& snapshot) {
  Json disks = Json::array();
  for (const auto& disk : snapshot.disks)
    disks.push_back(Json{{"mountpoint", disk.mount.mountpoint},
                         {"size_bytes", json_or_null(disk.size)},
                         {"free_bytes", json_or_null(disk.free)}});
  Json network = Json::array();
  for (const auto& interface : snapshot.network) {
    Json addresses = Json::array();
    for (const auto& address : interface.addresses) addresses.push_back(address.address);
    network.push_back(Json{{"name", interface.name}, {"addresses", addresses}});
  }
  return Json{{"hostname", snapshot.hostname},
              {"os", snapshot.os.pretty_name},
              {"kernel", snapshot.kernel.release},
              {"arch", snapshot.kernel.machine},
              {"cpu", {{"model", snapshot.cpu.model}, {"cores", snapshot.cpu.cores}, {"threads", snapshot.cpu.threads}}},
              {"memory", {{"total_bytes", snapshot.memory.total}, {"available_bytes", snapshot.memory.available}}},
              {"disks", disks},
              {"network", network},
              {"uptime_seconds", snapshot.uptime_seconds}};
}

std::string snapshot_text(const SystemSnapshot& snapshot) {
  const auto or_unknown = [](const std::string& value) { return value.empty() ? std::string("?") : value; };
  std::string text = "host " + fit(or_unknown(snapshot.hostname), 40) + " · " + fit(snapshot.os.pretty_name, 48) +
                     " · " + fit(or_unknown(snapshot.kernel.name) + " " + snapshot.kernel.release, 40) + " " +
                     fit(snapshot.kernel.machine, 12) + "\n";

  const auto& cpu = snapshot.cpu;
  std::string count = std::to_string(cpu.threads);
  if (cpu.cores > 0 && cpu.cores != cpu.threads) count = std::to_string(cpu.cores) + "c/" + count + "t";
  const std::string model = short_cpu_model(cpu.model);
  text += "cpu " + fit(model.empty() ? "?" : model, 40) + " x " + count + " · mem " + gib(snapshot.memory.available) +
          "/" + gib(snapshot.memory.total) + " GiB free · up " + human_duration(snapshot.uptime_seconds) + "\n";

  std::vector<std::string> disks;
  for (const auto& disk : snapshot.disks) {
    std::string item = fit(disk.mount.mountpoint, 24) + " ";
    item += disk.free && disk.size ? human_size(*disk.free) + " free of " + human_size(*disk.size) : "size unknown";
    disks.push_back(std::move(item));
  }
  std::vector<std::string> interfaces;
  for (const auto& interface : snapshot.network) {
    // One address per interface: the first IPv4, else the first routable IPv6.
    const InterfaceAddress* shown = &interface.addresses.front();
    for (const auto& address : interface.addresses)
      if (!address.link_local()) {
        shown = &address;
        break;
      }
    interfaces.push_back(fit(interface.name, 16) + " " + shown->address);
  }
  // The disk line may use what the first two lines left, less room for a short net line.
  const size_t net_reserve = interfaces.empty() ? 9 : 60;
  const size_t disk_budget = kSnapshotTextMax > text.size() + net_reserve ? kSnapshotTextMax - text.size() - net_reserve : 0;
  if (disks.empty())
    text += "disk none found\n";
  else
    append_items(text, "disk", disks, disk_budget);
  const size_t net_budget = kSnapshotTextMax > text.size() ? kSnapshotTextMax - text.size() : 0;
  if (interfaces.empty()) {
    if (net_budget >= 9) text += "net none\n";
  } else {
    append_items(text, "net", interfaces, net_budget);
  }
  return text;
}

}  // namespace agntos
