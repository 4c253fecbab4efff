// SPDX-License-Identifier: MIT
#include "common/system/human_units.h"

#include <gtest/gtest.h>

namespace agntos {
namespace {

TEST(HumanUnits, FormatsSizesAndDurations) {
  EXPECT_EQ(human_size(0), "0B");
  EXPECT_EQ(human_size(512), "512B");
  EXPECT_EQ(human_size(10ull << 30), "10G");
  EXPECT_EQ(human_size((98ull << 30) / 10), "9.8G");
  EXPECT_EQ(human_size(252ull << 30), "252G");
  EXPECT_EQ(human_duration(45), "45s");
  EXPECT_EQ(human_duration(12 * 60 + 5), "12m");
  EXPECT_EQ(human_duration(4 * 3600 + 12 * 60), "4h 12m");
  EXPECT_EQ(human_duration(3 * 86400 + 4 * 3600 + 59), "3d 4h");
}

}  // namespace
}  // namespace agntos
