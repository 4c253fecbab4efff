// SPDX-License-Identifier: MIT
#include "common/secret_env.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace agntos {
namespace {

TEST(SecretEnv, RedactionReplacesEveryOccurrenceOfEverySecret) {
  EXPECT_EQ(redact_secrets("key sk-1 and sk-1, other tok-2", {"sk-1", "tok-2"}),
            "key [redacted] and [redacted], other [redacted]");
  EXPECT_EQ(redact_secrets("no secret here", {"sk-1"}), "no secret here");
  // An empty secret matches nothing (it would otherwise match everywhere).
  EXPECT_EQ(redact_secrets("text", {"", "q"}), "text");
  // A secret that contains the mark, or that the mark completes, is not found again in it.
  EXPECT_EQ(redact_secrets("[redacted]red", {"red"}), "[[redacted]acted][redacted]");
  EXPECT_EQ(redact_secrets("aaaa", {"aa"}), "[redacted][redacted]");
}

}  // namespace
}  // namespace agntos
