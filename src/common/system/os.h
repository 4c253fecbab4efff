// SPDX-License-Identifier: MIT
#pragma once
// The operating system's identity: /etc/os-release, uname(2), gethostname(2), sysinfo(2)'s
// uptime. System calls answer for the running system; os-release is read under a root.
//
// Readers take a `root` (default "/") and read <root>/proc/..., <root>/sys/..., <root>/etc/...,
// so tests can feed a fake tree; they never throw for a missing or odd file (an unknown fact is
// empty, zero, nullopt or an empty list). The parse_* functions take the file's text and are pure.

#include <filesystem>
#include <string>
#include <string_view>

namespace agntos {

namespace fs = std::filesystem;

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

}  // namespace agntos
