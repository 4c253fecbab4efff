// SPDX-License-Identifier: MIT
#include "common/system/disks.h"

#include <sys/stat.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <iterator>
#include <unordered_map>

#include "common/system/fact_files.h"
#include "common/text.h"

namespace agntos {

using namespace facts;

namespace {

std::string decode_mount_escapes(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 4 <= text.size()) {
      const auto digits = text.substr(i + 1, 3);
      const auto code = to_number<int>(digits, 8);
      if (code && digits.find_first_not_of("01234567") == std::string_view::npos) {
        out += static_cast<char>(*code);
        i += 3;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

}  // namespace

std::vector<Mount> parse_mounts(std::string_view text) {
  std::vector<Mount> mounts;
  for_each_line(text, [&](std::string_view line) {
    const auto parts = fields(line);
    if (parts.size() < 3) return;
    Mount mount{decode_mount_escapes(parts[0]), decode_mount_escapes(parts[1]), std::string(parts[2]), false};
    if (parts.size() > 3)
      for (const auto& option : split(parts[3], ','))
        if (option == "ro") mount.read_only = true;
    mounts.push_back(std::move(mount));
  });
  return mounts;
}

bool is_pseudo_filesystem(std::string_view fstype) {
  static constexpr std::string_view kPseudo[] = {
      "proc",        "sysfs",      "tmpfs",       "devtmpfs",   "devpts",      "overlay",     "overlayfs",
      "aufs",        "cgroup",     "cgroup2",     "squashfs",   "erofs",       "securityfs",  "pstore",
      "debugfs",     "tracefs",    "configfs",    "fusectl",    "mqueue",      "hugetlbfs",   "bpf",
      "autofs",      "binfmt_misc", "efivarfs",   "ramfs",      "rpc_pipefs",  "nsfs",        "selinuxfs",
      "rootfs",      "nfsd",       "sockfs",      "pipefs",     "devfs",       "functionfs",  "usbfs",
      "fuse.lxcfs",  "fuse.gvfsd-fuse", "fuse.portal", "fuse.snapfuse", "fuse.fuse-overlayfs", "none",
  };
  return std::find(std::begin(kPseudo), std::end(kPseudo), fstype) != std::end(kPseudo);
}

bool is_network_filesystem(std::string_view fstype) {
  static constexpr std::string_view kNetwork[] = {
      "nfs",  "nfs4",     "cifs", "smb3",      "smbfs",          "fuse.sshfs", "sshfs",      "9p",    "virtiofs",
      "ceph", "glusterfs", "fuse.glusterfs", "afs", "lustre", "davfs",      "fuse.rclone", "fuse.s3fs",
  };
  return std::find(std::begin(kNetwork), std::end(kNetwork), fstype) != std::end(kNetwork);
}

std::vector<DiskUsage> read_disks(const fs::path& root, DiskSelection selection) {
  const auto all = parse_mounts(read_text(under(root, "/proc/mounts"), 4 << 20).value_or(""));
  // Only the last mount on a mountpoint is visible.
  std::unordered_map<std::string, size_t> last;
  for (size_t i = 0; i < all.size(); ++i) last[all[i].mountpoint] = i;

  std::vector<Mount> chosen;
  for (size_t i = 0; i < all.size(); ++i) {
    const Mount& mount = all[i];
    if (last[mount.mountpoint] != i) continue;
    if (is_pseudo_filesystem(mount.fstype) && mount.mountpoint != "/") continue;
    if (selection == DiskSelection::distinct_local) {
      if (is_network_filesystem(mount.fstype)) continue;
      const auto same = std::find_if(chosen.begin(), chosen.end(),
                                     [&](const Mount& other) { return other.device == mount.device; });
      if (same != chosen.end()) {
        if (mount.mountpoint.size() < same->mountpoint.size()) *same = mount;
        continue;
      }
    }
    chosen.push_back(mount);
  }

  std::vector<DiskUsage> disks;
  for (const auto& mount : chosen) {
    const auto path = under(root, mount.mountpoint);
    struct stat st {};
    // Files bind-mounted into containers (/etc/hosts, ...) are not disks.
    if (::stat(path.c_str(), &st) == 0 && !S_ISDIR(st.st_mode)) continue;
    DiskUsage disk{mount, std::nullopt, std::nullopt, std::nullopt};
    struct statvfs vfs {};
    if (::statvfs(path.c_str(), &vfs) == 0) {
      const uint64_t unit = vfs.f_frsize ? vfs.f_frsize : vfs.f_bsize;
      disk.size = uint64_t{vfs.f_blocks} * unit;
      disk.used = (uint64_t{vfs.f_blocks} - uint64_t{vfs.f_bfree}) * unit;
      disk.free = uint64_t{vfs.f_bavail} * unit;
    }
    disks.push_back(std::move(disk));
  }
  return disks;
}

}  // namespace agntos
