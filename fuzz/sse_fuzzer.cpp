// SPDX-License-Identifier: MIT
// The LLM event-stream parser (src/agntd/llm/sse_parser.h) on any response body. Besides never
// crashing, the parser must return the same events however the network splits the bytes: the
// whole body at once, one byte at a time, and pieces of pseudo-random sizes all agree.

#include <vector>

#include "agntd/llm/sse_parser.h"
#include "common/error.h"
#include "fuzz_support.h"

using agntd::llm::SseEvent;
using agntd::llm::SseParser;

namespace {

struct Outcome {
  std::vector<SseEvent> events;
  bool mid_event = false;
  bool operator==(const Outcome&) const = default;
};

// Feeds `body` in pieces whose sizes come from `next_size`.
template <typename NextSize>
Outcome feed_in_pieces(std::string_view body, NextSize next_size) {
  SseParser parser;
  Outcome outcome;
  while (!body.empty()) {
    const size_t size = std::min(body.size(), next_size());
    auto events = parser.feed(body.substr(0, size));
    outcome.events.insert(outcome.events.end(), events.begin(), events.end());
    body.remove_prefix(size);
  }
  outcome.mid_event = parser.mid_event();
  return outcome;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body = fuzz::as_text(data, size);
  try {
    const Outcome whole = feed_in_pieces(body, [&] { return body.size(); });
    for (const auto& event : whole.events) {
      FUZZ_CHECK(event.data.find('\r') == std::string::npos);  // lines end at '\r' and '\n'
      FUZZ_CHECK(event.event.find_first_of("\r\n") == std::string::npos);
      FUZZ_CHECK(event.id.find_first_of("\r\n") == std::string::npos && event.id.find('\0') == std::string::npos);
      FUZZ_CHECK(!event.event.empty());
    }
    const Outcome bytewise = feed_in_pieces(body, [] { return size_t{1}; });
    FUZZ_CHECK(bytewise == whole);
    uint32_t state = static_cast<uint32_t>(size) * 2654435761u + 1;
    const Outcome random = feed_in_pieces(body, [&] {
      state = state * 1103515245u + 12345u;
      return size_t{(state >> 16) % 7};  // 0..6: empty pieces too
    });
    FUZZ_CHECK(random == whole);
  } catch (const agntos::Error& e) {
    FUZZ_CHECK(e.code() == agntos::Errc::too_large);  // the only documented failure
  }
  return 0;
}
