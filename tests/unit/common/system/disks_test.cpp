// SPDX-License-Identifier: MIT
#include "common/system/disks.h"

#include <gtest/gtest.h>

#include "common/files.h"
#include "support/temp_dir.h"

namespace agntos {
namespace {

void write(const testing::TempDir& root, const std::string& path, std::string_view content) {
  write_file_atomic(root / path, content, 0644, MakeParents::yes);
}

TEST(Disks, ParsesMountsWithEscapesAndReadOnlyFlag) {
  const auto mounts = parse_mounts("/dev/sda1 / ext4 rw,relatime 0 0\n"
                                   "/dev/sdb1 /media/My\\040Disk vfat ro,nosuid 0 0\n");
  ASSERT_EQ(mounts.size(), 2u);
  EXPECT_EQ(mounts[0].mountpoint, "/");
  EXPECT_FALSE(mounts[0].read_only);
  EXPECT_EQ(mounts[1].mountpoint, "/media/My Disk");
  EXPECT_EQ(mounts[1].fstype, "vfat");
  EXPECT_TRUE(mounts[1].read_only);
  EXPECT_TRUE(is_pseudo_filesystem("tmpfs"));
  EXPECT_TRUE(is_pseudo_filesystem("overlay"));
  EXPECT_TRUE(is_pseudo_filesystem("cgroup2"));
  EXPECT_FALSE(is_pseudo_filesystem("ext4"));
  EXPECT_TRUE(is_network_filesystem("nfs4"));
  EXPECT_FALSE(is_network_filesystem("btrfs"));
}

TEST(Disks, DisksSkipPseudoFilesystemsFilesAndHiddenMounts) {
  testing::TempDir root;
  for (const char* dir : {"proc", "run", "nix/store", "data", "mnt/nfs", "hidden"})
    std::filesystem::create_directories(root / dir);
  write(root, "etc/hosts", "127.0.0.1 localhost\n");
  write(root, "proc/mounts",
        "/dev/sda1 / ext4 rw 0 0\n"
        "proc /proc proc rw 0 0\n"
        "tmpfs /run tmpfs rw 0 0\n"
        "/dev/sda1 /nix/store ext4 ro 0 0\n"
        "/dev/sda1 /etc/hosts ext4 rw 0 0\n"
        "/dev/sdb1 /data xfs rw 0 0\n"
        "server:/export /mnt/nfs nfs4 rw 0 0\n"
        "/dev/sdc1 /hidden ext4 rw 0 0\n"
        "tmpfs /hidden tmpfs rw 0 0\n");
  std::vector<std::string> real;
  for (const auto& disk : read_disks(root.path(), DiskSelection::real)) {
    real.push_back(disk.mount.mountpoint);
    EXPECT_TRUE(disk.size.has_value()) << disk.mount.mountpoint;
    EXPECT_TRUE(disk.free.has_value()) << disk.mount.mountpoint;
  }
  EXPECT_EQ(real, (std::vector<std::string>{"/", "/nix/store", "/data", "/mnt/nfs"}));
  std::vector<std::string> local;
  for (const auto& disk : read_disks(root.path(), DiskSelection::distinct_local)) local.push_back(disk.mount.mountpoint);
  EXPECT_EQ(local, (std::vector<std::string>{"/", "/data"}));
}

TEST(Disks, OverlayRootIsStillADisk) {
  testing::TempDir root;
  write(root, "proc/mounts", "overlay / overlay rw 0 0\ntmpfs /tmp tmpfs rw 0 0\n");
  const auto disks = read_disks(root.path(), DiskSelection::distinct_local);
  ASSERT_EQ(disks.size(), 1u);
  EXPECT_EQ(disks[0].mount.mountpoint, "/");
}

}  // namespace
}  // namespace agntos
