// SPDX-License-Identifier: MIT
#pragma once
// Graphics cards: the card<N> entries of /sys/class/drm, with their PCI ids and driver.
//
// Readers take a `root` (default "/") and read <root>/proc/..., <root>/sys/..., <root>/etc/...,
// so tests can feed a fake tree; they never throw for a missing or odd file (an unknown fact is
// empty, zero, nullopt or an empty list). The parse_* functions take the file's text and are pure.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agntos {

namespace fs = std::filesystem;

struct Gpu {
  std::string card;                      // "card0"
  std::optional<std::string> vendor_id;  // "0x10de"
  std::optional<std::string> device_id;  // "0x2684"
  std::string vendor;                    // "NVIDIA", or "unknown"
  std::optional<std::string> driver;     // name of the device's driver symlink, e.g. "nvidia"
  std::optional<std::string> bus_id;     // the device's name on its bus, e.g. "0000:01:00.0"
};
// "NVIDIA" for 0x10de, "AMD" 0x1002, "Intel" 0x8086, "QEMU Bochs" 0x1234, "virtio" 0x1af4,
// "unknown" otherwise.
std::string gpu_vendor_name(std::string_view vendor_id);
// <root>/sys/class/drm/card<N> entries (connectors like card0-HDMI-A-1 are skipped), sorted.
std::vector<Gpu> read_gpus(const fs::path& root = "/");

}  // namespace agntos
