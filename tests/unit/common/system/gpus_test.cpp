// SPDX-License-Identifier: MIT
#include "common/system/gpus.h"

#include <gtest/gtest.h>

#include "common/files.h"
#include "support/temp_dir.h"

namespace agntos {
namespace {

void write(const testing::TempDir& root, const std::string& path, std::string_view content) {
  write_file_atomic(root / path, content, 0644, MakeParents::yes);
}

TEST(Gpus, ReadsGpusFromDrmCards) {
  testing::TempDir root;
  namespace fs = std::filesystem;
  const auto devices = root / "sys/devices/pci0000:00";
  write(root, "sys/devices/pci0000:00/0000:01:00.0/vendor", "0x10de\n");
  write(root, "sys/devices/pci0000:00/0000:01:00.0/device", "0x2684\n");
  fs::create_symlink("../../bus/pci/drivers/nvidia", devices / "0000:01:00.0/driver");
  write(root, "sys/devices/pci0000:00/0000:00:02.0/vendor", "0x1234\n");
  write(root, "sys/devices/pci0000:00/0000:00:02.0/device", "0x1111\n");
  fs::create_directories(root / "sys/class/drm/card1");
  fs::create_directories(root / "sys/class/drm/card0");
  fs::create_directories(root / "sys/class/drm/card1-HDMI-A-1");
  fs::create_directories(root / "sys/class/drm/renderD128");
  fs::create_directory_symlink(devices / "0000:01:00.0", root / "sys/class/drm/card1/device");
  fs::create_directory_symlink(devices / "0000:00:02.0", root / "sys/class/drm/card0/device");

  const auto gpus = read_gpus(root.path());
  ASSERT_EQ(gpus.size(), 2u);
  EXPECT_EQ(gpus[0].card, "card0");
  EXPECT_EQ(gpus[0].vendor, "QEMU Bochs");
  EXPECT_EQ(gpus[0].driver, std::nullopt);
  EXPECT_EQ(gpus[1].card, "card1");
  EXPECT_EQ(gpus[1].vendor, "NVIDIA");
  EXPECT_EQ(gpus[1].vendor_id, "0x10de");
  EXPECT_EQ(gpus[1].device_id, "0x2684");
  EXPECT_EQ(gpus[1].driver, "nvidia");
  EXPECT_EQ(gpus[1].bus_id, "0000:01:00.0");
  EXPECT_TRUE(read_gpus(root / "nowhere").empty());
}

TEST(Gpus, NamesGpuVendors) {
  EXPECT_EQ(gpu_vendor_name("0x10de"), "NVIDIA");
  EXPECT_EQ(gpu_vendor_name("0x1002"), "AMD");
  EXPECT_EQ(gpu_vendor_name("0x8086"), "Intel");
  EXPECT_EQ(gpu_vendor_name("0x1AF4"), "virtio");
  EXPECT_EQ(gpu_vendor_name("0xffff"), "unknown");
}

}  // namespace
}  // namespace agntos
