// SPDX-License-Identifier: MIT
#include "common/system_info.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <map>
#include <set>
#include <type_traits>
#include <unordered_map>
#include <utility>

#include "common/fd.h"
#include "common/text.h"

namespace agntos {
namespace {

// Reads at most `max_bytes` of a file; with `first_block`, stops after the first blank line.
// nullopt on any error: a fact we cannot read is simply unknown. /proc files report size 0,
// so this reads until end of file rather than trusting st_size.
std::optional<std::string> read_text(const fs::path& path, size_t max_bytes = 1 << 20, bool first_block = false) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return std::nullopt;
  std::string content;
  char buffer[4096];
  while (content.size() < max_bytes) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      return std::nullopt;
    }
    if (n == 0) break;
    content.append(buffer, static_cast<size_t>(n));
    if (first_block) {
      const auto blank = content.find("\n\n");
      if (blank != std::string::npos) {
        content.resize(blank + 1);
        break;
      }
    }
  }
  return content;
}

std::optional<std::string> read_trimmed(const fs::path& path) {
  auto text = read_text(path, 4096);
  if (!text) return std::nullopt;
  auto value = trim(*text);
  if (value.empty()) return std::nullopt;
  return value;
}

// `root` joined with an absolute path such as "/proc/meminfo".
fs::path under(const fs::path& root, std::string_view absolute) {
  return root / fs::path(absolute).relative_path();
}

template <typename Number>
std::optional<Number> to_number(std::string_view text, int base = 10) {
  Number value{};
  const char* end = text.data() + text.size();
  std::from_chars_result result;
  if constexpr (std::is_floating_point_v<Number>)
    result = std::from_chars(text.data(), end, value);
  else
    result = std::from_chars(text.data(), end, value, base);
  if (result.ec != std::errc() || result.ptr == text.data()) return std::nullopt;
  return value;
}

std::vector<std::string> fields(std::string_view line) {
  std::vector<std::string> result;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    const size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) result.emplace_back(line.substr(start, i - start));
  }
  return result;
}

// "key : value" of /proc/cpuinfo.
std::optional<std::pair<std::string, std::string>> colon_pair(std::string_view line) {
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  return std::pair{trim(line.substr(0, colon)), trim(line.substr(colon + 1))};
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string arm_implementer_name(std::string_view id) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kNames{{
      {"0x41", "ARM"}, {"0x42", "Broadcom"}, {"0x43", "Cavium"}, {"0x48", "HiSilicon"},
      {"0x4e", "NVIDIA"}, {"0x51", "Qualcomm"}, {"0x61", "Apple"}, {"0xc0", "Ampere"},
  }};
  for (const auto& [key, name] : kNames)
    if (id == key) return std::string(name);
  return std::string(id);
}

// What cpuinfo says, before the reader decides how many CPUs there are.
struct CpuinfoFields {
  CpuInfo info;
  int cores_per_package = 0;  // "cpu cores"
  int siblings = 0;           // logical CPUs per package
  bool model_named = false;   // the model came from a model line, not from ARM part ids
};

CpuinfoFields parse_cpuinfo_fields(std::string_view text) {
  CpuinfoFields result;
  std::map<std::string, std::string> first;  // first value of every key in the file
  std::set<std::pair<std::string, std::string>> core_ids;
  std::set<std::string> packages;
  std::string package;
  int threads = 0;
  for (const auto& line : split_lines(text)) {
    const auto pair = colon_pair(line);
    if (!pair) continue;
    const auto& [key, value] = *pair;
    first.try_emplace(key, value);
    if (key == "processor" && all_digits(value)) {
      ++threads;
      package.clear();
    } else if (key == "physical id") {
      package = value;
      packages.insert(value);
    } else if (key == "core id") {
      core_ids.emplace(package, value);
    }
  }
  auto get = [&](const char* key) -> std::string {
    const auto it = first.find(key);
    return it == first.end() ? std::string() : it->second;
  };
  CpuInfo& info = result.info;
  for (const char* key : {"model name", "cpu model", "Model", "Hardware", "Processor", "cpu", "uarch"}) {
    info.model = get(key);
    if (!info.model.empty()) break;
  }
  result.model_named = !info.model.empty();
  info.vendor = get("vendor_id");
  if (info.vendor.empty() && !get("CPU implementer").empty()) {
    info.vendor = arm_implementer_name(get("CPU implementer"));
    if (info.model.empty()) info.model = info.vendor + " CPU part " + get("CPU part");
  }
  if (info.vendor.empty()) info.vendor = get("vendor");
  info.threads = threads;
  result.cores_per_package = to_number<int>(get("cpu cores")).value_or(0);
  result.siblings = to_number<int>(get("siblings")).value_or(0);
  if (!core_ids.empty())
    info.cores = static_cast<int>(core_ids.size());
  else if (result.cores_per_package > 0)
    info.cores = result.cores_per_package * std::max<int>(1, static_cast<int>(packages.size()));
  else
    info.cores = threads;
  if (const auto mhz = get("cpu MHz"); !mhz.empty()) info.mhz = to_number<double>(mhz);
  std::string flags = get("flags");
  if (flags.empty()) flags = get("Features");
  info.flags_count = fields(flags).size();
  return result;
}

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

std::string address_text(int family, const void* address) {
  char buffer[INET6_ADDRSTRLEN] = {};
  if (!::inet_ntop(family, address, buffer, sizeof buffer)) return {};
  return buffer;
}

int prefix_length(const unsigned char* mask, size_t size) {
  int bits = 0;
  for (size_t i = 0; i < size; ++i) bits += std::popcount(static_cast<unsigned>(mask[i]));
  return bits;
}

std::string fit(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  // Cut on a UTF-8 character boundary.
  size_t cut = max_bytes - 1;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "~";
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

// ---- OS identity -------------------------------------------------------------------------

OsRelease parse_os_release(std::string_view text) {
  std::map<std::string, std::string> values;
  for (const auto& raw : split_lines(text)) {
    const auto line = trim(raw);
    if (line.empty() || line[0] == '#') continue;
    const auto equals = line.find('=');
    if (equals == std::string::npos) continue;
    std::string value = line.substr(equals + 1);
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
      const char quote = value.front();
      std::string unquoted;
      for (size_t i = 1; i + 1 < value.size(); ++i) {
        if (quote == '"' && value[i] == '\\' && i + 2 < value.size()) ++i;
        unquoted += value[i];
      }
      value = unquoted;
    }
    values[line.substr(0, equals)] = value;
  }
  OsRelease os;
  os.id = values["ID"];
  os.name = values["NAME"];
  os.version_id = values["VERSION_ID"];
  os.version = values["VERSION"];
  os.pretty_name = values["PRETTY_NAME"];
  if (os.pretty_name.empty()) os.pretty_name = trim(os.name + " " + os.version);
  if (os.pretty_name.empty()) os.pretty_name = "Linux";
  return os;
}

OsRelease read_os_release(const fs::path& root) {
  auto text = read_text(under(root, "/etc/os-release"), 64 * 1024);
  if (!text) text = read_text(under(root, "/usr/lib/os-release"), 64 * 1024);
  return parse_os_release(text.value_or(""));
}

KernelInfo read_kernel() {
  struct utsname names {};
  if (::uname(&names) != 0) return {};
  return KernelInfo{names.sysname, names.release, names.machine};
}

std::string read_hostname() {
  char buffer[HOST_NAME_MAX + 1] = {};
  if (::gethostname(buffer, sizeof buffer - 1) != 0) return {};
  return buffer;
}

long long read_uptime_seconds() {
  struct sysinfo info {};
  if (::sysinfo(&info) != 0) return 0;
  return info.uptime;
}

// ---- CPU ---------------------------------------------------------------------------------

CpuInfo parse_cpuinfo(std::string_view text) { return parse_cpuinfo_fields(text).info; }

std::optional<int> parse_cpu_list(std::string_view text) {
  const auto list = trim(text);
  if (list.empty()) return std::nullopt;
  int count = 0;
  for (const auto& range : split(list, ',')) {
    const auto dash = range.find('-');
    const auto low = to_number<int>(std::string_view(range).substr(0, dash));
    const auto high = dash == std::string::npos ? low : to_number<int>(std::string_view(range).substr(dash + 1));
    if (!low || !high || *high < *low) return std::nullopt;
    count += *high - *low + 1;
  }
  return count;
}

CpuInfo read_cpu_info(const fs::path& root, CpuDetail detail) {
  const auto cpuinfo_path = under(root, "/proc/cpuinfo");
  const auto online = read_text(under(root, "/sys/devices/system/cpu/online"), 4096);
  // 0 when unknown (a plain int: GCC 12 misreports an optional here as maybe-uninitialized).
  const int online_count = online ? parse_cpu_list(*online).value_or(0) : 0;
  if (detail == CpuDetail::summary) {
    // The first entry is enough for a homogeneous machine; reading all of cpuinfo costs
    // time in proportion to the number of CPUs.
    const auto fields_read = parse_cpuinfo_fields(read_text(cpuinfo_path, 64 * 1024, true).value_or(""));
    CpuInfo info = fields_read.info;
    if (fields_read.model_named) {
      info.threads = online_count > 0 ? online_count : std::max(info.threads, 1);
      if (fields_read.cores_per_package > 0 && fields_read.siblings > 0)
        info.cores = fields_read.cores_per_package * std::max(1, info.threads / fields_read.siblings);
      else
        info.cores = info.threads;
      info.mhz.reset();
      info.flags_count = 0;
      return info;
    }
    // ARM puts the model (Hardware, Model) at the end of the file: read it all.
  }
  CpuInfo info = parse_cpuinfo(read_text(cpuinfo_path).value_or(""));
  if (info.threads == 0) info.threads = online_count;
  if (info.cores == 0) info.cores = info.threads;
  if (detail == CpuDetail::summary) {
    info.mhz.reset();
    info.flags_count = 0;
    return info;
  }
  if (!info.mhz) {
    const auto khz = read_trimmed(under(root, "/sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq"));
    if (khz) {
      if (const auto value = to_number<double>(*khz)) info.mhz = *value / 1000.0;
    }
  }
  return info;
}

std::optional<LoadAverage> parse_loadavg(std::string_view text) {
  const auto parts = fields(trim(text));
  if (parts.size() < 3) return std::nullopt;
  const auto one = to_number<double>(parts[0]);
  const auto five = to_number<double>(parts[1]);
  const auto fifteen = to_number<double>(parts[2]);
  if (!one || !five || !fifteen) return std::nullopt;
  LoadAverage load{*one, *five, *fifteen, 0, 0};
  if (parts.size() >= 4) {
    const auto slash = parts[3].find('/');
    if (slash != std::string::npos) {
      load.running = to_number<long>(std::string_view(parts[3]).substr(0, slash)).value_or(0);
      load.total = to_number<long>(std::string_view(parts[3]).substr(slash + 1)).value_or(0);
    }
  }
  return load;
}

std::optional<LoadAverage> read_load_average(const fs::path& root) {
  const auto text = read_text(under(root, "/proc/loadavg"), 4096);
  if (!text) return std::nullopt;
  return parse_loadavg(*text);
}

// ---- Memory ------------------------------------------------------------------------------

MemoryInfo parse_meminfo(std::string_view text) {
  MemoryInfo memory;
  bool have_available = false;
  for (const auto& line : split_lines(text)) {
    const auto pair = colon_pair(line);
    if (!pair) continue;
    const auto parts = fields(pair->second);
    if (parts.empty()) continue;
    const auto number = to_number<uint64_t>(parts[0]);
    if (!number) continue;
    const uint64_t bytes = parts.size() > 1 && parts[1] == "kB" ? *number * 1024 : *number;
    const auto& key = pair->first;
    if (key == "MemTotal") memory.total = bytes;
    else if (key == "MemFree") memory.free = bytes;
    else if (key == "MemAvailable") memory.available = bytes, have_available = true;
    else if (key == "Buffers") memory.buffers = bytes;
    else if (key == "Cached") memory.cached = bytes;
    else if (key == "SwapTotal") memory.swap_total = bytes;
    else if (key == "SwapFree") memory.swap_free = bytes;
  }
  if (!have_available) memory.available = memory.free + memory.buffers + memory.cached;
  return memory;
}

MemoryInfo read_memory_info(const fs::path& root) {
  return parse_meminfo(read_text(under(root, "/proc/meminfo"), 64 * 1024).value_or(""));
}

// ---- Disks -------------------------------------------------------------------------------

std::vector<Mount> parse_mounts(std::string_view text) {
  std::vector<Mount> mounts;
  for (const auto& line : split_lines(text)) {
    const auto parts = fields(line);
    if (parts.size() < 3) continue;
    Mount mount{decode_mount_escapes(parts[0]), decode_mount_escapes(parts[1]), parts[2], false};
    if (parts.size() > 3)
      for (const auto& option : split(parts[3], ','))
        if (option == "ro") mount.read_only = true;
    mounts.push_back(std::move(mount));
  }
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

// ---- GPU ---------------------------------------------------------------------------------

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

// ---- Network -----------------------------------------------------------------------------

bool InterfaceAddress::link_local() const {
  if (family == "ipv4") return starts_with(address, "169.254.");
  const auto lower = to_lower(address);
  return starts_with(lower, "fe8") || starts_with(lower, "fe9") || starts_with(lower, "fea") ||
         starts_with(lower, "feb");
}

std::vector<NetworkInterface> read_network_interfaces(const fs::path& root, WithMac with_mac) {
  std::vector<NetworkInterface> interfaces;
  struct ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return interfaces;
  for (const struct ifaddrs* entry = list; entry; entry = entry->ifa_next) {
    if (!entry->ifa_name) continue;
    auto it = std::find_if(interfaces.begin(), interfaces.end(),
                           [&](const NetworkInterface& known) { return known.name == entry->ifa_name; });
    if (it == interfaces.end()) {
      NetworkInterface added;
      added.name = entry->ifa_name;
      added.up = (entry->ifa_flags & IFF_UP) != 0;
      added.loopback = (entry->ifa_flags & IFF_LOOPBACK) != 0;
      interfaces.push_back(std::move(added));
      it = std::prev(interfaces.end());
    }
    if (!entry->ifa_addr) continue;
    // The sockaddr types are read through memcpy: getifaddrs only promises sockaddr alignment.
    if (entry->ifa_addr->sa_family == AF_INET) {
      struct sockaddr_in address {};
      struct sockaddr_in mask {};
      std::memcpy(&address, entry->ifa_addr, sizeof address);
      if (entry->ifa_netmask) std::memcpy(&mask, entry->ifa_netmask, sizeof mask);
      it->addresses.push_back(
          {"ipv4", address_text(AF_INET, &address.sin_addr),
           prefix_length(reinterpret_cast<const unsigned char*>(&mask.sin_addr), sizeof mask.sin_addr)});
    } else if (entry->ifa_addr->sa_family == AF_INET6) {
      struct sockaddr_in6 address {};
      struct sockaddr_in6 mask {};
      std::memcpy(&address, entry->ifa_addr, sizeof address);
      if (entry->ifa_netmask) std::memcpy(&mask, entry->ifa_netmask, sizeof mask);
      it->addresses.push_back(
          {"ipv6", address_text(AF_INET6, &address.sin6_addr),
           prefix_length(reinterpret_cast<const unsigned char*>(&mask.sin6_addr), sizeof mask.sin6_addr)});
    }
  }
  ::freeifaddrs(list);
  for (auto& interface : interfaces) {
    std::stable_partition(interface.addresses.begin(), interface.addresses.end(),
                          [](const InterfaceAddress& address) { return address.family == "ipv4"; });
    if (with_mac == WithMac::yes) interface.mac = read_trimmed(under(root, "/sys/class/net") / interface.name / "address");
  }
  return interfaces;
}

std::optional<DefaultRoute> parse_default_route(std::string_view text) {
  std::optional<DefaultRoute> best;
  const auto lines = split_lines(text);
  for (size_t i = 1; i < lines.size(); ++i) {  // line 0 is the header
    const auto parts = fields(lines[i]);
    if (parts.size() < 8) continue;
    const auto destination = to_number<uint32_t>(parts[1], 16);
    const auto gateway = to_number<uint32_t>(parts[2], 16);
    const auto flags = to_number<unsigned>(parts[3], 16);
    const auto metric = to_number<long>(parts[6]);
    const auto mask = to_number<uint32_t>(parts[7], 16);
    if (!destination || !gateway || !flags || !mask || *destination != 0 || *mask != 0) continue;
    if ((*flags & 0x1) == 0) continue;  // RTF_UP
    // The kernel prints the address as a host-order integer of network-order bytes: copying
    // the integer back into memory restores the bytes on any endianness.
    struct in_addr address {};
    std::memcpy(&address, &*gateway, sizeof address);
    DefaultRoute route{parts[0], address_text(AF_INET, &address), metric.value_or(0)};
    if (!best || route.metric < best->metric) best = route;
  }
  return best;
}

std::optional<DefaultRoute> read_default_route(const fs::path& root) {
  const auto text = read_text(under(root, "/proc/net/route"), 1 << 20);
  if (!text) return std::nullopt;
  return parse_default_route(*text);
}

// ---- Nix profile generations -------------------------------------------------------------

std::optional<long> parse_generation_link(std::string_view profile_name, std::string_view link_name) {
  constexpr std::string_view kSuffix = "-link";
  if (link_name.size() <= profile_name.size() + 1 + kSuffix.size()) return std::nullopt;
  if (!starts_with(link_name, profile_name) || link_name[profile_name.size()] != '-') return std::nullopt;
  if (link_name.substr(link_name.size() - kSuffix.size()) != kSuffix) return std::nullopt;
  const auto number = link_name.substr(profile_name.size() + 1, link_name.size() - profile_name.size() - 1 - kSuffix.size());
  if (!all_digits(number)) return std::nullopt;
  return to_number<long>(number);
}

ProfileGenerations read_profile_generations(const fs::path& profile) {
  ProfileGenerations result;
  result.profile = profile;
  const std::string name = profile.filename().string();
  std::error_code ec;
  const auto target = fs::read_symlink(profile, ec);
  if (!ec) result.current = parse_generation_link(name, target.filename().string());
  const fs::path dir = profile.parent_path().empty() ? fs::path(".") : profile.parent_path();
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const auto number = parse_generation_link(name, it->path().filename().string());
    if (!number) continue;
    struct stat st {};
    Generation generation;
    generation.number = *number;
    if (::lstat(it->path().c_str(), &st) == 0) generation.mtime = st.st_mtime;
    generation.current = result.current == *number;
    result.generations.push_back(generation);
  }
  std::sort(result.generations.begin(), result.generations.end(),
            [](const Generation& a, const Generation& b) { return a.number < b.number; });
  return result;
}

NixosInfo read_nixos_info(const fs::path& root) {
  NixosInfo info;
  info.os = read_os_release(root);
  if (!info.os.version_id.empty())
    info.version = info.os.version_id;
  else
    info.version = read_trimmed(under(root, "/run/current-system/nixos-version"));
  info.system = read_profile_generations(under(root, "/nix/var/nix/profiles/system"));
  return info;
}

// ---- The compact snapshot ----------------------------------------------------------------

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

// ---- Formatting --------------------------------------------------------------------------

std::string human_size(uint64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "K", "M", "G", "T", "P", "E"};
  double value = static_cast<double>(bytes);
  size_t unit = 0;
  while (value >= 1024.0 && unit + 1 < std::size(kUnits)) {
    value /= 1024.0;
    ++unit;
  }
  char buffer[32];
  if (unit == 0)
    std::snprintf(buffer, sizeof buffer, "%lluB", static_cast<unsigned long long>(bytes));
  else if (value < 9.95)
    std::snprintf(buffer, sizeof buffer, "%.1f%s", value, kUnits[unit]);
  else
    std::snprintf(buffer, sizeof buffer, "%.0f%s", value, kUnits[unit]);
  return buffer;
}

std::string human_duration(long long seconds) {
  if (seconds < 0) seconds = 0;
  const long long days = seconds / 86400;
  const long long hours = seconds % 86400 / 3600;
  const long long minutes = seconds % 3600 / 60;
  if (days > 0) return std::to_string(days) + "d " + std::to_string(hours) + "h";
  if (hours > 0) return std::to_string(hours) + "h " + std::to_string(minutes) + "m";
  if (minutes > 0) return std::to_string(minutes) + "m";
  return std::to_string(seconds) + "s";
}

std::string short_cpu_model(std::string_view model) {
  std::string text(model);
  const auto at = text.find(" @ ");
  if (at != std::string::npos) text.resize(at);
  for (const std::string_view mark : {"(R)", "(r)", "(TM)", "(tm)"}) {
    for (auto found = text.find(mark); found != std::string::npos; found = text.find(mark)) text.erase(found, mark.size());
  }
  std::vector<std::string> kept;
  for (const auto& word : fields(text))
    if (word != "CPU" && word != "Processor" && word != "processor") kept.push_back(word);
  return join(kept, " ");
}

}  // namespace agntos
