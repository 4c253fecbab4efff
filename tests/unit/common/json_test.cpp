// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include "common/json.h"

namespace agntos {
namespace {

TEST(JsonInt, IntegersInRangeAreRead) {
  const auto value = Json::parse(R"({"small": -3, "big": 9223372036854775807, "float": 42.0})");
  EXPECT_EQ(json_int(value, "small"), -3);
  EXPECT_EQ(json_int(value, "big"), 9223372036854775807LL);
  EXPECT_EQ(json_int(value, "float"), 42);
}

// Found by fuzz/audit_fuzzer: 1e300 was converted to long long, which is undefined behaviour.
TEST(JsonInt, NumbersThatAreNotAnIntegerInRangeAreAbsent) {
  const auto value = Json::parse(
      R"({"huge": 1e300, "tiny": -1e300, "fraction": 1.5, "unsigned": 18446744073709551615, "edge": 9223372036854775808.0})");
  EXPECT_EQ(json_int(value, "huge"), std::nullopt);
  EXPECT_EQ(json_int(value, "tiny"), std::nullopt);
  EXPECT_EQ(json_int(value, "fraction"), std::nullopt);
  EXPECT_EQ(json_int(value, "unsigned"), std::nullopt);
  EXPECT_EQ(json_int(value, "edge"), std::nullopt);
  EXPECT_EQ(json_int(value, "missing"), std::nullopt);
}

}  // namespace
}  // namespace agntos
