// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

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

TEST(Ids, ShapeIsPrefixDashAndOneTo32LowercaseHexDigits) {
  EXPECT_TRUE(is_id(make_id("p"), "p"));
  EXPECT_TRUE(is_id("s-0", "s"));
  EXPECT_TRUE(is_id("a-" + std::string(32, 'f'), "a"));
  for (const std::string bad : {"p-", "p", "", "p-18EAD5", "p-18ead5g", "p_18ead5", "a-18ead5", "p-18ead5 ", "p--1",
                                "pp-1", "p-../x"})
    EXPECT_FALSE(is_id(bad, "p")) << bad;
  EXPECT_FALSE(is_id("a-" + std::string(33, 'f'), "a"));
}

TEST(Ids, TimeOfSecondsIsIso8601Utc) {
  EXPECT_EQ(iso8601_utc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(iso8601_utc(1700000000), "2023-11-14T22:13:20Z");
}

}  // namespace
}  // namespace agntos
