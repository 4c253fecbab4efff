// SPDX-License-Identifier: MIT
#include "agntd/llm/sse_parser.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace agntd::llm {
namespace {

// Every feature of the format at least once: LF, CRLF and CR line ends, comments, named
// events, multi-line data, an id, a field without a colon, an event without data, UTF-8.
const std::string kSample =
    ": keep-alive comment\n"
    "event: message_start\n"
    "data: {\"type\":\"message_start\"}\n"
    "\n"
    "data: first line\r\n"
    "data:second line without space\r\n"
    "id: 42\r\n"
    "\r\n"
    "event: ping\n"
    "\n"
    "data\n"
    "\n"
    "retry: 1000\r"
    "data: caf\xC3\xA9 \xE2\x9C\x93\r"
    "\r"
    "data: [DONE]\n\n";

std::vector<SseEvent> parse_whole(const std::string& text) {
  SseParser parser;
  return parser.feed(text);
}

std::vector<SseEvent> parse_split(const std::string& text, const std::vector<size_t>& cuts) {
  SseParser parser;
  std::vector<SseEvent> events;
  size_t start = 0;
  for (size_t cut : cuts) {
    auto part = parser.feed(std::string_view(text).substr(start, cut - start));
    events.insert(events.end(), part.begin(), part.end());
    start = cut;
  }
  auto rest = parser.feed(std::string_view(text).substr(start));
  events.insert(events.end(), rest.begin(), rest.end());
  return events;
}

TEST(SseParser, ParsesEveryFeatureOfTheFormat) {
  const auto events = parse_whole(kSample);
  ASSERT_EQ(events.size(), 5u);
  EXPECT_EQ(events[0], (SseEvent{"message_start", "{\"type\":\"message_start\"}", ""}));
  EXPECT_EQ(events[1], (SseEvent{"message", "first line\nsecond line without space", "42"}));
  EXPECT_EQ(events[2], (SseEvent{"message", "", "42"}));  // "data" alone: an empty data line
  EXPECT_EQ(events[3], (SseEvent{"message", "caf\xC3\xA9 \xE2\x9C\x93", "42"}));
  EXPECT_EQ(events[4], (SseEvent{"message", "[DONE]", "42"}));
}

TEST(SseParser, SplitAtEveryByteOffsetGivesTheSameEvents) {
  const auto expected = parse_whole(kSample);
  for (size_t cut = 0; cut <= kSample.size(); ++cut) EXPECT_EQ(parse_split(kSample, {cut}), expected) << "cut at " << cut;
}

TEST(SseParser, SplitAtEveryPairOfOffsetsGivesTheSameEvents) {
  const auto expected = parse_whole(kSample);
  for (size_t first = 0; first <= kSample.size(); ++first)
    for (size_t second = first; second <= kSample.size(); ++second)
      ASSERT_EQ(parse_split(kSample, {first, second}), expected) << "cuts at " << first << ", " << second;
}

TEST(SseParser, OneByteAtATimeGivesTheSameEvents) {
  std::vector<size_t> cuts;
  for (size_t i = 1; i < kSample.size(); ++i) cuts.push_back(i);
  EXPECT_EQ(parse_split(kSample, cuts), parse_whole(kSample));
}

TEST(SseParser, SkipsAByteOrderMarkEvenWhenSplit) {
  const std::string text = "\xEF\xBB\xBF" "data: x\n\n";
  for (size_t cut = 0; cut <= text.size(); ++cut) {
    const auto events = parse_split(text, {cut});
    ASSERT_EQ(events.size(), 1u) << "cut at " << cut;
    EXPECT_EQ(events[0].data, "x");
  }
}

TEST(SseParser, BytesThatOnlyStartLikeAByteOrderMarkAreKept) {
  const auto events = parse_split("\xEF" "data: x\n\n", {1});
  ASSERT_TRUE(events.empty());  // the field name is "\xEF" "data", which is unknown
  const auto plain = parse_split("data: \xEF\n\n", {6});
  ASSERT_EQ(plain.size(), 1u);
  EXPECT_EQ(plain[0].data, "\xEF");
}

TEST(SseParser, AnUnfinishedEventIsNotDispatched) {
  SseParser parser;
  EXPECT_TRUE(parser.feed("data: {\"partial\":").empty());
  EXPECT_TRUE(parser.mid_event());
  EXPECT_TRUE(parser.feed("1}\n").empty());
  EXPECT_TRUE(parser.mid_event());
  const auto events = parser.feed("\n");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "{\"partial\":1}");
  EXPECT_FALSE(parser.mid_event());
}

TEST(SseParser, CrLfSplitBetweenCrAndLfIsOneLineEnd) {
  SseParser parser;
  EXPECT_TRUE(parser.feed("data: a\r").empty());
  EXPECT_TRUE(parser.feed("\ndata: b\r").empty());
  const auto events = parser.feed("\n\r\n");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "a\nb");
}

TEST(SseParser, AnEndlessLineIsRefused) {
  SseParser parser;
  const std::string block(1024 * 1024, 'x');
  try {
    for (size_t i = 0; i <= SseParser::kMaxLine / block.size(); ++i) parser.feed(block);
    FAIL() << "no error";
  } catch (const agntos::Error& e) {
    EXPECT_EQ(e.code(), agntos::Errc::too_large);
  }
}

}  // namespace
}  // namespace agntd::llm
