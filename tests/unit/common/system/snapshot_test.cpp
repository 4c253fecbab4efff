// SPDX-License-Identifier: MIT
#include "common/system/snapshot.h"

#include <gtest/gtest.h>

namespace agntos {
namespace {

TEST(Snapshot, SnapshotTextStaysCompactWithManyDisksAndInterfaces) {
  SystemSnapshot snapshot;
  snapshot.hostname = std::string(64, 'h');
  snapshot.os.pretty_name = "NixOS 24.05 (Uakari)";
  snapshot.kernel = {"Linux", "6.6.30-some-very-long-vendor-kernel-release-string", "x86_64"};
  snapshot.cpu.model = "Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz";
  snapshot.cpu.cores = 32;
  snapshot.cpu.threads = 64;
  snapshot.memory.total = 64ull << 30;
  snapshot.memory.available = 12ull << 30;
  snapshot.uptime_seconds = 3 * 86400 + 4 * 3600 + 5;
  for (int i = 0; i < 12; ++i) {
    DiskUsage disk;
    disk.mount.mountpoint = "/srv/storage/volume-number-" + std::to_string(i);
    disk.size = 2ull << 40;
    disk.free = 1ull << 40;
    snapshot.disks.push_back(disk);
    NetworkInterface interface;
    interface.name = "veth" + std::to_string(1000 + i);
    interface.addresses.push_back({"ipv4", "10.200.100." + std::to_string(i), 24});
    snapshot.network.push_back(interface);
  }
  const auto text = snapshot_text(snapshot);
  EXPECT_LE(text.size(), kSnapshotTextMax) << text;
  EXPECT_NE(text.find("more"), std::string::npos) << text;
  EXPECT_NE(text.find("cpu Intel Xeon Platinum 8375C x 32c/64t"), std::string::npos) << text;
  EXPECT_NE(text.find("up 3d 4h"), std::string::npos) << text;
  EXPECT_NE(text.find("\nnet veth1000 10.200.100.0"), std::string::npos) << text;
}

TEST(Snapshot, SnapshotTextOfASmallMachine) {
  SystemSnapshot snapshot;
  snapshot.hostname = "demo";
  snapshot.os.pretty_name = "NixOS 24.05 (Uakari)";
  snapshot.kernel = {"Linux", "6.1.0", "x86_64"};
  snapshot.cpu.model = "Intel Xeon";
  snapshot.cpu.cores = 2;
  snapshot.cpu.threads = 2;
  snapshot.memory.total = 23ull << 30;
  snapshot.memory.available = 3ull << 30;
  snapshot.uptime_seconds = 3 * 86400 + 4 * 3600;
  DiskUsage disk;
  disk.mount.mountpoint = "/";
  disk.size = 252ull << 30;
  disk.free = 53ull << 30;
  snapshot.disks.push_back(disk);
  NetworkInterface interface;
  interface.name = "eth0";
  interface.addresses = {{"ipv6", "fe80::1", 64}, {"ipv6", "2001:db8::2", 64}};
  snapshot.network.push_back(interface);
  EXPECT_EQ(snapshot_text(snapshot),
            "host demo · NixOS 24.05 (Uakari) · Linux 6.1.0 x86_64\n"
            "cpu Intel Xeon x 2 · mem 3.0/23.0 GiB free · up 3d 4h\n"
            "disk / 53G free of 252G\n"
            "net eth0 2001:db8::2\n");
  const auto json = snapshot_json(snapshot);
  EXPECT_EQ(json["cpu"]["threads"], 2);
  EXPECT_EQ(json["disks"][0]["free_bytes"], 53ull << 30);
  EXPECT_EQ(json["network"][0]["addresses"], Json::array({"fe80::1", "2001:db8::2"}));
}

TEST(Snapshot, LiveSnapshotHasTheBasics) {
  const auto snapshot = read_system_snapshot();
  EXPECT_FALSE(snapshot.hostname.empty());
  EXPECT_FALSE(snapshot.kernel.release.empty());
  EXPECT_GT(snapshot.cpu.threads, 0);
  EXPECT_GT(snapshot.memory.total, 0u);
  EXPECT_GT(snapshot.uptime_seconds, 0);
  EXPECT_LE(snapshot_text(snapshot).size(), kSnapshotTextMax);
}

}  // namespace
}  // namespace agntos
