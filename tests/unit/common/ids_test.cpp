// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "common/ids.h"

namespace agntos {
namespace {

TEST(Ids, HavePrefixAndHexNanoseconds) {
  EXPECT_TRUE(std::regex_match(make_id("a"), std::regex("a-[0-9a-f]{15,16}")));
  EXPECT_TRUE(std::regex_match(make_id("p"), std::regex("p-[0-9a-f]{15,16}")));
}

TEST(Ids, AreUniqueWhenCalledInATightLoop) {
  std::set<std::string> seen;
  for (int i = 0; i < 100000; ++i) ASSERT_TRUE(seen.insert(make_id("s")).second);
}

TEST(Ids, TimestampIsIso8601WithMilliseconds) {
  EXPECT_TRUE(std::regex_match(iso8601_now(), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")));
}

}  // namespace
}  // namespace agntos
