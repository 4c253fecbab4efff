// SPDX-License-Identifier: MIT
#include "common/system/network.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <iterator>

#include "common/system/fact_files.h"
#include "common/text.h"

namespace agntos {

using namespace facts;

namespace {

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

// The address and prefix length of an entry of one family (sockaddr_in with its sin_addr, or
// sockaddr_in6 with its sin6_addr). The sockaddr types are read through memcpy: getifaddrs only
// promises sockaddr alignment.
template <typename SocketAddress, typename Address>
InterfaceAddress interface_address(const struct ifaddrs& entry, const char* family_name, int family,
                                   Address SocketAddress::*field) {
  SocketAddress address{};
  SocketAddress mask{};
  std::memcpy(&address, entry.ifa_addr, sizeof address);
  if (entry.ifa_netmask) std::memcpy(&mask, entry.ifa_netmask, sizeof mask);
  const Address& mask_bits = mask.*field;
  return {family_name, address_text(family, &(address.*field)),
          prefix_length(reinterpret_cast<const unsigned char*>(&mask_bits), sizeof mask_bits)};
}

}  // namespace

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
    if (entry->ifa_addr->sa_family == AF_INET)
      it->addresses.push_back(interface_address(*entry, "ipv4", AF_INET, &sockaddr_in::sin_addr));
    else if (entry->ifa_addr->sa_family == AF_INET6)
      it->addresses.push_back(interface_address(*entry, "ipv6", AF_INET6, &sockaddr_in6::sin6_addr));
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
    DefaultRoute route{std::string(parts[0]), address_text(AF_INET, &address), metric.value_or(0)};
    if (!best || route.metric < best->metric) best = route;
  }
  return best;
}

std::optional<DefaultRoute> read_default_route(const fs::path& root) {
  const auto text = read_text(under(root, "/proc/net/route"), 1 << 20);
  if (!text) return std::nullopt;
  return parse_default_route(*text);
}

}  // namespace agntos
