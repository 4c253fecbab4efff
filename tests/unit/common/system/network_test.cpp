// SPDX-License-Identifier: MIT
#include "common/system/network.h"

#include <gtest/gtest.h>

#include <bit>

#include "common/files.h"
#include "support/temp_dir.h"

namespace agntos {
namespace {

// Gateway 192.0.2.1 as the kernel prints it on a little-endian machine.
constexpr const char* kRoute =
    "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
    "wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n"
    "eth0\t00000000\t010200C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
    "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n";

void write(const testing::TempDir& root, const std::string& path, std::string_view content) {
  write_file_atomic(root / path, content, 0644, MakeParents::yes);
}

TEST(Network, FindsTheDefaultRouteWithTheLowestMetric) {
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

}  // namespace
}  // namespace agntos
