// SPDX-License-Identifier: MIT
#include "support/golden.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string_view>

#include "common/files.h"

namespace agntos::testing {

void expect_golden(const std::filesystem::path& golden, const std::string& actual) {
  const char* accept = std::getenv("AGNTOS_ACCEPT_GOLDEN");
  if (accept && std::string_view(accept) == "1") {
    write_file_atomic(golden, actual, 0644, MakeParents::yes);
    return;
  }
  const auto expected = read_file_if_exists(golden);
  ASSERT_TRUE(expected) << "missing golden file " << golden << "; run with AGNTOS_ACCEPT_GOLDEN=1 to create it";
  EXPECT_EQ(actual, *expected) << "output differs from " << golden << " (AGNTOS_ACCEPT_GOLDEN=1 rewrites it)";
}

}  // namespace agntos::testing
