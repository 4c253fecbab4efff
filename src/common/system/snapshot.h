// SPDX-License-Identifier: MIT
#pragma once
// Hardware and OS facts, read from /proc, /sys, /etc and system calls (uname, sysinfo, statvfs,
// getifaddrs, gethostname): never from a subprocess, so a snapshot costs well under a
// millisecond. `agntctl inspect` prints them; the daemon puts the compact snapshot into every
// prompt.
//
// Every reader that reads files takes a `root` (default "/") and reads <root>/proc/...,
// <root>/sys/..., <root>/etc/..., so tests can feed a fake tree. Facts that only a system call
// gives (hostname, kernel, uptime, interface addresses, filesystem sizes) come from the
// running system. Readers never throw for a missing or odd file: an unknown fact is an empty
// string, zero, nullopt or an empty list. The parse_* functions take the file's text and are
// pure.

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"

namespace agntos {

namespace fs = std::filesystem;

// ---- OS identity -------------------------------------------------------------------------

// /etc/os-release (os-release(5)): KEY=value lines, values optionally quoted.
struct OsRelease {
  std::string id;           // ID, e.g. "nixos", "debian"; empty when unknown
  std::string name;         // NAME
  std::string pretty_name;  // PRETTY_NAME, else "NAME VERSION", else "Linux"
  std::string version_id;   // VERSION_ID, e.g. "24.05"
  std::string version;      // VERSION, e.g. "24.05 (Uakari)"
  bool is_nixos() const { return id == "nixos"; }
};

OsRelease parse_os_release(std::string_view text);
// <root>/etc/os-release, falling back to <root>/usr/lib/os-release as os-release(5) says.
OsRelease read_os_release(const fs::path& root = "/");

// uname(2).
struct KernelInfo {
  std::string name;     // "Linux"
  std::string release;  // "6.1.0-18-amd64"
  std::string machine;  // "x86_64"
};
KernelInfo read_kernel();

// gethostname(2); empty when it fails.
std::string read_hostname();
// Seconds since boot from sysinfo(2); 0 when it fails.
long long read_uptime_seconds();

// ---- CPU ---------------------------------------------------------------------------------

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

// ---- Memory ------------------------------------------------------------------------------

struct MemoryInfo {  // all in bytes
  uint64_t total = 0;
  uint64_t available = 0;  // MemAvailable; free + buffers + cached on kernels without it
  uint64_t free = 0;
  uint64_t buffers = 0;
  uint64_t cached = 0;
  uint64_t swap_total = 0;
  uint64_t swap_free = 0;
};
MemoryInfo parse_meminfo(std::string_view text);
MemoryInfo read_memory_info(const fs::path& root = "/");

// ---- Disks -------------------------------------------------------------------------------

struct Mount {
  std::string device;
  std::string mountpoint;
  std::string fstype;
  bool read_only = false;
};
// /proc/mounts (fstab format); the octal escapes of spaces and tabs (\040, \011) are decoded.
std::vector<Mount> parse_mounts(std::string_view text);
// proc, sysfs, tmpfs, overlay, cgroup, squashfs, ... : filesystems that are not storage.
bool is_pseudo_filesystem(std::string_view fstype);
// nfs, cifs, sshfs, 9p, virtiofs, ... : storage that lives elsewhere (statvfs may block).
bool is_network_filesystem(std::string_view fstype);

struct DiskUsage {
  Mount mount;
  std::optional<uint64_t> size;  // bytes; nullopt when statvfs failed
  std::optional<uint64_t> used;
  std::optional<uint64_t> free;  // available to unprivileged users, as df shows it
};

enum class DiskSelection {
  real,            // every mounted real filesystem (not pseudo) that is a directory
  distinct_local,  // real and local, one mount per device (the shortest mountpoint): the snapshot
};
// Mounts from <root>/proc/mounts, sized with statvfs(<root>/<mountpoint>). "/" is always kept
// when it is mounted, even on an overlay (a container's root is still its disk). A mountpoint
// mounted over keeps only its last (visible) mount.
std::vector<DiskUsage> read_disks(const fs::path& root = "/", DiskSelection selection = DiskSelection::real);

// ---- GPU ---------------------------------------------------------------------------------

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

// ---- Network -----------------------------------------------------------------------------

struct InterfaceAddress {
  std::string family;  // "ipv4" | "ipv6"
  std::string address;
  int prefix = 0;
  bool link_local() const;  // 169.254/16 or fe80::/10
};

struct NetworkInterface {
  std::string name;
  bool up = false;
  bool loopback = false;
  std::optional<std::string> mac;  // from <root>/sys/class/net/<name>/address
  std::vector<InterfaceAddress> addresses;
};

enum class WithMac { no, yes };
// Every interface from getifaddrs(3), in kernel order; addresses IPv4 first.
std::vector<NetworkInterface> read_network_interfaces(const fs::path& root = "/", WithMac with_mac = WithMac::yes);

struct DefaultRoute {
  std::string interface;
  std::string gateway;  // dotted IPv4, "0.0.0.0" for an on-link route
  long metric = 0;
};
// The IPv4 default route with the lowest metric in /proc/net/route text; nullopt when none.
std::optional<DefaultRoute> parse_default_route(std::string_view text);
std::optional<DefaultRoute> read_default_route(const fs::path& root = "/");

// ---- Nix profile generations -------------------------------------------------------------

struct Generation {
  long number = 0;
  int64_t mtime = 0;  // seconds since the epoch, from lstat of the link
  bool current = false;
};

struct ProfileGenerations {
  fs::path profile;
  std::optional<long> current;          // from readlink(profile): "system-42-link" -> 42
  std::vector<Generation> generations;  // oldest first
};

// 42 for ("system", "system-42-link"); nullopt when the link name has another shape.
std::optional<long> parse_generation_link(std::string_view profile_name, std::string_view link_name);
// The <profile>-<N>-link symlinks beside `profile`. A missing profile gives an empty list.
ProfileGenerations read_profile_generations(const fs::path& profile);

struct NixosInfo {
  OsRelease os;
  std::optional<std::string> version;  // VERSION_ID, else <root>/run/current-system/nixos-version
  ProfileGenerations system;           // <root>/nix/var/nix/profiles/system
};
// Meaningful when os.is_nixos(); elsewhere version and generations are usually empty.
NixosInfo read_nixos_info(const fs::path& root = "/");

// ---- The compact snapshot ----------------------------------------------------------------

struct SystemSnapshot {
  std::string hostname;
  OsRelease os;
  KernelInfo kernel;
  CpuInfo cpu;  // CpuDetail::summary
  MemoryInfo memory;
  std::vector<DiskUsage> disks;  // DiskSelection::distinct_local
  std::vector<NetworkInterface> network;  // routable addresses only; loopback skipped; no MACs
  long long uptime_seconds = 0;
};

// Reads only what the snapshot needs: os-release, the first entry of cpuinfo, meminfo, mounts.
SystemSnapshot read_system_snapshot(const fs::path& root = "/");
// {"hostname","os","kernel","arch","cpu":{model,cores,threads},"memory":{total_bytes,
// available_bytes},"disks":[{mountpoint,size_bytes,free_bytes}],"network":[{name,addresses}],
// "uptime_seconds"}
Json snapshot_json(const SystemSnapshot& snapshot);
// Four short lines, at most kSnapshotTextMax bytes (extra disks and interfaces become "+N more"):
//   host demo · NixOS 24.05 · Linux 6.1.0 x86_64
//   cpu Intel Xeon x 2 · mem 3.1/23.4 GiB free · up 3d 4h
//   disk / 53G free of 252G
//   net eth0 10.0.0.2
std::string snapshot_text(const SystemSnapshot& snapshot);
inline constexpr size_t kSnapshotTextMax = 300;

// ---- Formatting shared by the snapshot and inspect ---------------------------------------

// "53G", "9.8G", "512M", "0B" (powers of 1024, like df -h).
std::string human_size(uint64_t bytes);
// "3d 4h", "4h 12m", "12m", "45s".
std::string human_duration(long long seconds);
// The CPU model without trademarks and clock: "Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz" ->
// "Intel Xeon Gold 6230".
std::string short_cpu_model(std::string_view model);

}  // namespace agntos
