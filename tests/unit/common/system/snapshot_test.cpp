// SPDX-License-Identifier: MIT
#include "common/system_info.h"

#include <gtest/gtest.h>

#include <bit>

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

constexpr const char* kMeminfo = R"(MemTotal:       24684096 kB
MemFree:        23054216 kB
MemAvailable:   23756332 kB
Buffers:            1340 kB
Cached:           881316 kB
SwapCached:            0 kB
SwapTotal:       2097148 kB
SwapFree:        1048576 kB
)";

constexpr const char* kNixosRelease = R"os(ANSI_COLOR="1;34"
BUG_REPORT_URL="https://github.com/NixOS/nixpkgs/issues"
BUILD_ID="24.05.20240615.1234abc"
ID=nixos
NAME=NixOS
PRETTY_NAME="NixOS 24.05 (Uakari)"
VERSION="24.05 (Uakari)"
VERSION_CODENAME=uakari
VERSION_ID="24.05"
)os";

constexpr const char* kDebianRelease = R"os(PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
)os";

// Gateway 192.0.2.1 as the kernel prints it on a little-endian machine.
constexpr const char* kRoute =
    "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
    "wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n"
    "eth0\t00000000\t010200C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
    "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n";

void write(const testing::TempDir& root, const std::string& path, std::string_view content) {
  write_file_atomic(root / path, content, 0644, MakeParents::yes);
}

TEST(SystemInfo, ParsesX86CpuinfoWithTwoPackages) {
  const auto cpu = parse_cpuinfo(kX86Cpuinfo);
  EXPECT_EQ(cpu.model, "Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz");
  EXPECT_EQ(cpu.vendor, "GenuineIntel");
  EXPECT_EQ(cpu.threads, 4);
  EXPECT_EQ(cpu.cores, 2);  // one core in each of two packages
  ASSERT_TRUE(cpu.mhz.has_value());
  EXPECT_NEAR(*cpu.mhz, 2095.078, 0.001);
  EXPECT_EQ(cpu.flags_count, 5u);
}

TEST(SystemInfo, ParsesArmCpuinfoWithTheModelAtTheEnd) {
  const auto cpu = parse_cpuinfo(kArmCpuinfo);
  EXPECT_EQ(cpu.model, "Raspberry Pi 4 Model B Rev 1.1");
  EXPECT_EQ(cpu.vendor, "ARM");
  EXPECT_EQ(cpu.threads, 2);
  EXPECT_EQ(cpu.cores, 2);
  EXPECT_FALSE(cpu.mhz.has_value());
  EXPECT_EQ(cpu.flags_count, 5u);
}

TEST(SystemInfo, CpuSummaryReadsTheFirstEntryAndTheOnlineList) {
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

TEST(SystemInfo, CpuSummaryOfArmFallsBackToTheWholeFile) {
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

TEST(SystemInfo, ParsesCpuLists) {
  EXPECT_EQ(parse_cpu_list("0-3,6\n"), 5);
  EXPECT_EQ(parse_cpu_list("0"), 1);
  EXPECT_EQ(parse_cpu_list(""), std::nullopt);
  EXPECT_EQ(parse_cpu_list("3-1"), std::nullopt);
  EXPECT_EQ(parse_cpu_list("a-b"), std::nullopt);
}

TEST(SystemInfo, ParsesMeminfoInBytes) {
  const auto memory = parse_meminfo(kMeminfo);
  EXPECT_EQ(memory.total, 24684096ull * 1024);
  EXPECT_EQ(memory.available, 23756332ull * 1024);
  EXPECT_EQ(memory.free, 23054216ull * 1024);
  EXPECT_EQ(memory.buffers, 1340ull * 1024);
  EXPECT_EQ(memory.cached, 881316ull * 1024);
  EXPECT_EQ(memory.swap_total, 2097148ull * 1024);
  EXPECT_EQ(memory.swap_free, 1048576ull * 1024);
}

TEST(SystemInfo, MeminfoWithoutMemAvailableEstimatesIt) {
  const auto memory = parse_meminfo("MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 10 kB\nCached: 200 kB\n");
  EXPECT_EQ(memory.available, 310ull * 1024);
  testing::TempDir root;
  write(root, "proc/meminfo", kMeminfo);
  EXPECT_EQ(read_memory_info(root.path()).total, 24684096ull * 1024);
  EXPECT_EQ(read_memory_info(root / "nowhere").total, 0u);
}

TEST(SystemInfo, ParsesNixosOsRelease) {
  const auto os = parse_os_release(kNixosRelease);
  EXPECT_TRUE(os.is_nixos());
  EXPECT_EQ(os.id, "nixos");
  EXPECT_EQ(os.name, "NixOS");
  EXPECT_EQ(os.pretty_name, "NixOS 24.05 (Uakari)");
  EXPECT_EQ(os.version_id, "24.05");
  EXPECT_EQ(os.version, "24.05 (Uakari)");
}

TEST(SystemInfo, ParsesDebianOsRelease) {
  const auto os = parse_os_release(kDebianRelease);
  EXPECT_FALSE(os.is_nixos());
  EXPECT_EQ(os.id, "debian");
  EXPECT_EQ(os.pretty_name, "Debian GNU/Linux 12 (bookworm)");
  EXPECT_EQ(os.version_id, "12");
}

TEST(SystemInfo, OsReleaseFallsBackToNameAndUsrLib) {
  EXPECT_EQ(parse_os_release("# comment\nNAME='Alpine Linux'\nVERSION=3.19\n").pretty_name, "Alpine Linux 3.19");
  EXPECT_EQ(parse_os_release("NAME=\"Say \\\"hi\\\"\"\n").name, "Say \"hi\"");
  EXPECT_EQ(parse_os_release("").pretty_name, "Linux");
  testing::TempDir root;
  write(root, "usr/lib/os-release", kDebianRelease);
  EXPECT_EQ(read_os_release(root.path()).id, "debian");
  write(root, "etc/os-release", kNixosRelease);
  EXPECT_EQ(read_os_release(root.path()).id, "nixos");
}

TEST(SystemInfo, ParsesLoadavg) {
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

TEST(SystemInfo, FindsTheDefaultRouteWithTheLowestMetric) {
  if constexpr (std::endian::native != std::endian::little) GTEST_SKIP() << "route text is little-endian";
  const auto route = parse_default_route(kRoute);
  ASSERT_TRUE(route.has_value());
  EXPECT_EQ(route->interface, "eth0");
  EXPECT_EQ(route->gateway, "192.0.2.1");
  EXPECT_EQ(route->metric, 100);
  const std::string header = "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT\n";
  EXPECT_FALSE(parse_default_route(header + "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"));
  EXPECT_FALSE(parse_default_route(""));
  testing::TempDir root;
  write(root, "proc/net/route", kRoute);
  EXPECT_EQ(read_default_route(root.path())->interface, "eth0");
}

TEST(SystemInfo, ParsesMountsWithEscapesAndReadOnlyFlag) {
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

TEST(SystemInfo, DisksSkipPseudoFilesystemsFilesAndHiddenMounts) {
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

TEST(SystemInfo, OverlayRootIsStillADisk) {
  testing::TempDir root;
  write(root, "proc/mounts", "overlay / overlay rw 0 0\ntmpfs /tmp tmpfs rw 0 0\n");
  const auto disks = read_disks(root.path(), DiskSelection::distinct_local);
  ASSERT_EQ(disks.size(), 1u);
  EXPECT_EQ(disks[0].mount.mountpoint, "/");
}

TEST(SystemInfo, ReadsGpusFromDrmCards) {
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

TEST(SystemInfo, NamesGpuVendors) {
  EXPECT_EQ(gpu_vendor_name("0x10de"), "NVIDIA");
  EXPECT_EQ(gpu_vendor_name("0x1002"), "AMD");
  EXPECT_EQ(gpu_vendor_name("0x8086"), "Intel");
  EXPECT_EQ(gpu_vendor_name("0x1AF4"), "virtio");
  EXPECT_EQ(gpu_vendor_name("0xffff"), "unknown");
}

TEST(SystemInfo, ParsesGenerationLinkNames) {
  EXPECT_EQ(parse_generation_link("system", "system-42-link"), 42);
  EXPECT_EQ(parse_generation_link("system", "system-x-link"), std::nullopt);
  EXPECT_EQ(parse_generation_link("system", "system-profiles"), std::nullopt);
  EXPECT_EQ(parse_generation_link("sys", "system-1-link"), std::nullopt);
  EXPECT_EQ(parse_generation_link("system", "system--link"), std::nullopt);
}

TEST(SystemInfo, ReadsNixosGenerationsAndVersion) {
  testing::TempDir root;
  namespace fs = std::filesystem;
  write(root, "etc/os-release", "ID=nixos\nPRETTY_NAME=\"NixOS 24.05 (Uakari)\"\n");
  write(root, "run/current-system/nixos-version", "24.05.20240615.1234abc\n");
  const auto profiles = root / "nix/var/nix/profiles";
  fs::create_directories(profiles);
  for (const char* link : {"system-1-link", "system-2-link", "system-42-link"})
    fs::create_symlink("/nix/store/xxx-nixos-system", profiles / link);
  fs::create_symlink("system-42-link", profiles / "system");
  fs::create_symlink("/nix/store/yyy-user", profiles / "per-user-1-link");

  const auto info = read_nixos_info(root.path());
  EXPECT_TRUE(info.os.is_nixos());
  EXPECT_EQ(info.version, "24.05.20240615.1234abc");
  EXPECT_EQ(info.system.current, 42);
  ASSERT_EQ(info.system.generations.size(), 3u);
  EXPECT_EQ(info.system.generations[0].number, 1);
  EXPECT_EQ(info.system.generations[2].number, 42);
  EXPECT_TRUE(info.system.generations[2].current);
  EXPECT_FALSE(info.system.generations[0].current);
  EXPECT_GT(info.system.generations[0].mtime, 0);

  const auto missing = read_profile_generations(root / "nowhere/system");
  EXPECT_EQ(missing.current, std::nullopt);
  EXPECT_TRUE(missing.generations.empty());
}

TEST(SystemInfo, SnapshotTextStaysCompactWithManyDisksAndInterfaces) {
  SystemSnapshot snapshot;
  snapshot.hostname = std::string(64, 'h');
  snapshot.os = parse_os_release(kNixosRelease);
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

TEST(SystemInfo, SnapshotTextOfASmallMachine) {
  SystemSnapshot snapshot;
  snapshot.hostname = "demo";
  snapshot.os = parse_os_release(kNixosRelease);
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

TEST(SystemInfo, FormatsSizesDurationsAndCpuModels) {
  EXPECT_EQ(human_size(0), "0B");
  EXPECT_EQ(human_size(512), "512B");
  EXPECT_EQ(human_size(10ull << 30), "10G");
  EXPECT_EQ(human_size((98ull << 30) / 10), "9.8G");
  EXPECT_EQ(human_size(252ull << 30), "252G");
  EXPECT_EQ(human_duration(45), "45s");
  EXPECT_EQ(human_duration(12 * 60 + 5), "12m");
  EXPECT_EQ(human_duration(4 * 3600 + 12 * 60), "4h 12m");
  EXPECT_EQ(human_duration(3 * 86400 + 4 * 3600 + 59), "3d 4h");
  EXPECT_EQ(short_cpu_model("Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz"), "Intel Core i7-8650U");
  EXPECT_EQ(short_cpu_model("AMD EPYC 7763 64-Core Processor"), "AMD EPYC 7763 64-Core");
}

TEST(SystemInfo, LiveSnapshotHasTheBasics) {
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
