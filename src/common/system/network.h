// SPDX-License-Identifier: MIT
#pragma once
// Network interfaces and their addresses (getifaddrs(3), MACs from /sys/class/net) and the
// IPv4 default route (/proc/net/route).
//
// Readers take a `root` (default "/") and read <root>/proc/..., <root>/sys/..., <root>/etc/...,
// so tests can feed a fake tree; they never throw for a missing or odd file (an unknown fact is
// empty, zero, nullopt or an empty list). The parse_* functions take the file's text and are pure.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agntos {

namespace fs = std::filesystem;

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

}  // namespace agntos
