// SPDX-License-Identifier: MIT
#pragma once
// Incremental Server-Sent Events parser (the WHATWG "event stream" format).
//
// Feed it the response body in whatever pieces the network delivers, split at any byte
// (inside a field name, between "\r" and "\n", inside a UTF-8 sequence); it returns each event
// once its terminating blank line has arrived. Lines end with "\n", "\r\n" or "\r". A line
// starting with ':' is a comment. "data:" lines accumulate, joined by "\n". One space after
// the colon is dropped. An event with no data is not dispatched. "event:" names the event
// ("message" when absent); "id:" sets the last event id; "retry:" and unknown fields are
// ignored. A byte order mark at the very start is skipped.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace agntd::llm {

struct SseEvent {
  std::string event = "message";
  std::string data;
  std::string id;  // last event id seen so far, "" when none
  bool operator==(const SseEvent&) const = default;
};

class SseParser {
public:
  // A line (or one event's data) longer than this throws Error(Errc::too_large): a stream that
  // never ends a line must not exhaust the daemon's memory.
  static constexpr size_t kMaxLine = 16 * 1024 * 1024;

  // Consumes bytes; returns the events they complete, in order.
  std::vector<SseEvent> feed(std::string_view bytes);
  // True when bytes of an unfinished event are buffered (the stream stopped mid-event).
  bool mid_event() const;

private:
  void process_line(std::string_view line, std::vector<SseEvent>& out);

  std::string m_line;
  std::string m_data;
  std::string m_event;
  std::string m_last_id;
  bool m_has_data = false;
  bool m_after_cr = false;      // the previous byte ended a line with '\r' ('\n' next is part of it)
  bool m_started = false;       // past the optional byte order mark
  std::string m_bom_prefix;     // bytes of a possible BOM seen so far
};

}  // namespace agntd::llm
