// SPDX-License-Identifier: MIT
#pragma once
// Mounted filesystems and their sizes: /proc/mounts, sized with statvfs(2).
//
// Readers take a `root` (default "/") and read <root>/proc/..., <root>/sys/..., <root>/etc/...,
// so tests can feed a fake tree; they never throw for a missing or odd file (an unknown fact is
// empty, zero, nullopt or an empty list). The parse_* functions take the file's text and are pure.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agntos {

namespace fs = std::filesystem;

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

}  // namespace agntos
