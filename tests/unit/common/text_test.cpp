// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include <string>

#include "common/text.h"

namespace agntos {
namespace {

TEST(Text, Utf8LengthCountsCharactersNotBytes) {
  EXPECT_EQ(utf8_length("abc"), 3u);
  EXPECT_EQ(utf8_length("héllo"), 5u);
  EXPECT_EQ(utf8_length("日本語"), 3u);
  EXPECT_EQ(utf8_length("🙂"), 1u);
}

TEST(Text, Utf8PrefixNeverEndsInsideACharacter) {
  const std::string text = "h\xC3\xA9llo \xE6\x97\xA5";  // "héllo 日": é is 2 bytes, 日 is 3
  EXPECT_EQ(utf8_prefix(text, 100), text);
  EXPECT_EQ(utf8_prefix(text, text.size()), text);
  EXPECT_EQ(utf8_prefix(text, 2), "h");  // not h and half of é
  EXPECT_EQ(utf8_prefix(text, 3), "h\xC3\xA9");
  EXPECT_EQ(utf8_prefix(text, text.size() - 1), "h\xC3\xA9llo ");
  EXPECT_EQ(utf8_prefix(text, 0), "");
}

TEST(Text, Utf8FirstCharactersCountsCodePoints) {
  const std::string text = "h\xC3\xA9llo \xE6\x97\xA5";
  EXPECT_EQ(utf8_first_characters(text, 2), "h\xC3\xA9");
  EXPECT_EQ(utf8_first_characters(text, 6), "h\xC3\xA9llo ");
  EXPECT_EQ(utf8_first_characters(text, 7), text);
  EXPECT_EQ(utf8_first_characters(text, 70), text);
  EXPECT_EQ(utf8_first_characters(text, 0), "");
}

TEST(Text, QuotedForMessageStaysOnOneLineAndShort) {
  EXPECT_EQ(quoted_for_message("a\"b\\c\nd\te\rf\x1B"), R"("a\"b\\c\nd\te\rf\x1B")");
  EXPECT_EQ(quoted_for_message("h\xC3\xA9llo", 2), "\"h\xC3\xA9…\"");
  EXPECT_EQ(quoted_for_message(std::string(80, 'x')), "\"" + std::string(80, 'x') + "\"");
  EXPECT_EQ(quoted_for_message(std::string(81, 'x')), "\"" + std::string(80, 'x') + "…\"");
}

TEST(Text, ListsAndDigitsAndCodePoints) {
  EXPECT_EQ(or_list({}), "");
  EXPECT_EQ(or_list({"a"}), "a");
  EXPECT_EQ(or_list({"a", "b"}), "a or b");
  EXPECT_EQ(or_list({"a", "b", "c"}), "a, b or c");
  EXPECT_TRUE(all_digits("0123"));
  EXPECT_FALSE(all_digits(""));
  EXPECT_FALSE(all_digits("12a"));
  EXPECT_FALSE(all_digits("-1"));
  EXPECT_EQ(code_point_name(0x4BB), "U+04BB");
  EXPECT_EQ(code_point_name(0x1F642), "U+1F642");
}

TEST(Text, GroupThousands) {
  EXPECT_EQ(group_thousands(1342), "1,342");
  EXPECT_EQ(group_thousands(1000000), "1,000,000");
  EXPECT_EQ(group_thousands(12), "12");
}

TEST(Text, EditDistanceForSuggestions) {
  EXPECT_EQ(edit_distance("btop", "htop"), 1u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("ripgrep", "ripgrep"), 0u);
}

TEST(Text, BinaryDetection) {
  EXPECT_TRUE(looks_binary(std::string("ab\0cd", 5)));
  EXPECT_FALSE(looks_binary("plain text\nwith lines\n"));
  EXPECT_FALSE(looks_binary("ünïcödé\n"));
}

TEST(Text, SplitAndWords) {
  EXPECT_EQ(split("a,b,,c", ','), (std::vector<std::string>{"a", "b", "", "c"}));
  EXPECT_EQ(split_lines("x\ny\n"), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(words("Why is HTOP installed?"), (std::vector<std::string>{"why", "is", "htop", "installed"}));
}

}  // namespace
}  // namespace agntos

namespace agntos {
namespace {

TEST(Text, Base64RoundTripsEveryByte) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (size_t n = 0; n < 6; ++n) EXPECT_EQ(base64_decode(base64_encode(all.substr(0, n))), all.substr(0, n));
  EXPECT_EQ(base64_decode(base64_encode(all)), all);
  EXPECT_EQ(base64_encode("hello"), "aGVsbG8=");
}

}  // namespace
}  // namespace agntos

namespace agntos {
namespace {

TEST(VisibleText, ControlCharactersAreShownNotObeyed) {
  EXPECT_EQ(visible_text("plain\ttext\nnext line"), "plain\ttext\nnext line");
  EXPECT_EQ(visible_text("a\x1b[2K\x1b[1Gb"), "a^[[2K^[[1Gb");
  EXPECT_EQ(visible_text("cr\rbell\x07" "del\x7f"), "cr^Mbell^Gdel^?");
  EXPECT_EQ(visible_text("c1 \u009B31m"), "c1 <U+009B>31m");
  EXPECT_EQ(visible_text("users.\u202Eleehw\u202C"), "users.<U+202E>leehw<U+202C>");
  EXPECT_EQ(visible_text("zero\u200Bwidth"), "zero<U+200B>width");
  EXPECT_EQ(visible_text("bad \xff byte"), "bad \\xFF byte");
  EXPECT_EQ(visible_text("naïve 日本 🙂"), "naïve 日本 🙂");
}

TEST(Utf8, FirstInvalidByteIsFound) {
  EXPECT_EQ(first_invalid_utf8("fine é 🙂"), std::nullopt);
  EXPECT_EQ(first_invalid_utf8("ab\xff"), std::optional<size_t>(2));
  EXPECT_EQ(first_invalid_utf8("\xc0\xaf"), std::optional<size_t>(0));       // overlong
  EXPECT_EQ(first_invalid_utf8("x\xed\xa0\x80"), std::optional<size_t>(1));  // surrogate
  EXPECT_EQ(first_invalid_utf8("cut \xe6\x97"), std::optional<size_t>(4));
}

}  // namespace
}  // namespace agntos
