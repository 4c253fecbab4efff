// SPDX-License-Identifier: MIT
#include "common/system/gpus.h"

#include <algorithm>
#include <system_error>
#include <utility>

#include "common/system/fact_files.h"
#include "common/text.h"

namespace agntos {

using namespace facts;

std::string gpu_vendor_name(std::string_view vendor_id) {
  const auto id = to_lower(vendor_id);
  if (id == "0x10de") return "NVIDIA";
  if (id == "0x1002") return "AMD";
  if (id == "0x8086") return "Intel";
  if (id == "0x1234") return "QEMU Bochs";
  if (id == "0x1af4") return "virtio";
  return "unknown";
}

std::vector<Gpu> read_gpus(const fs::path& root) {
  std::vector<std::pair<long, Gpu>> found;
  std::error_code ec;
  for (fs::directory_iterator it(under(root, "/sys/class/drm"), ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!starts_with(name, "card") || !all_digits(std::string_view(name).substr(4))) continue;
    const fs::path device = it->path() / "device";
    Gpu gpu;
    gpu.card = name;
    gpu.vendor_id = read_trimmed(device / "vendor");
    gpu.device_id = read_trimmed(device / "device");
    gpu.vendor = gpu.vendor_id ? gpu_vendor_name(*gpu.vendor_id) : "unknown";
    std::error_code link_error;
    const auto driver = fs::read_symlink(device / "driver", link_error);
    if (!link_error && !driver.filename().empty()) gpu.driver = driver.filename().string();
    const auto bus = fs::read_symlink(device, link_error);
    if (!link_error && !bus.filename().empty()) gpu.bus_id = bus.filename().string();
    found.emplace_back(to_number<long>(std::string_view(name).substr(4)).value_or(0), std::move(gpu));
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Gpu> gpus;
  for (auto& [number, gpu] : found) gpus.push_back(std::move(gpu));
  return gpus;
}

}  // namespace agntos
