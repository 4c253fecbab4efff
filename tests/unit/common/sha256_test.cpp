// SPDX-License-Identifier: MIT
#include "common/sha256.h"

#include <gtest/gtest.h>

#include "common/process.h"
#include "common/text.h"

namespace agntos {
namespace {

TEST(Sha256, MatchesTheFipsVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

// Every length around the block and padding boundaries, against coreutils' sha256sum.
TEST(Sha256, AgreesWithSha256sumAtEveryPaddingBoundary) {
  for (size_t length : {55u, 56u, 57u, 63u, 64u, 65u, 119u, 120u, 127u, 128u, 1000u}) {
    std::string data;
    for (size_t i = 0; i < length; ++i) data.push_back(static_cast<char>('a' + i % 26));
    ProcessOptions options;
    options.stdin_text = data;
    const auto result = run_process({"sha256sum"}, options);
    ASSERT_EQ(result.exit_code, 0);
    EXPECT_EQ(sha256_hex(data), result.out.substr(0, 64)) << length;
  }
}

}  // namespace
}  // namespace agntos
