// SPDX-License-Identifier: MIT
#include "agntd/llm/sse_parser.h"

#include "common/error.h"

namespace agntd::llm {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

}  // namespace

std::vector<SseEvent> SseParser::feed(std::string_view bytes) {
  std::vector<SseEvent> out;
  if (!m_started) {
    // The BOM may itself arrive split; hold its bytes until it is clear whether it is one.
    while (!bytes.empty() && m_bom_prefix.size() < kBom.size() && bytes[0] == kBom[m_bom_prefix.size()]) {
      m_bom_prefix += bytes[0];
      bytes.remove_prefix(1);
    }
    if (m_bom_prefix.size() == kBom.size()) {
      m_started = true;
    } else if (!bytes.empty()) {
      m_started = true;
      const std::string held = std::move(m_bom_prefix);  // not a BOM after all: ordinary bytes
      m_bom_prefix.clear();
      if (!held.empty()) {
        auto events = feed(held);
        out.insert(out.end(), events.begin(), events.end());
      }
    } else {
      return out;
    }
  }
  size_t start = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    const char c = bytes[i];
    if (c != '\n' && c != '\r') {
      m_after_cr = false;
      continue;
    }
    if (c == '\n' && m_after_cr && i == start && m_line.empty()) {
      // The "\n" of a "\r\n" whose "\r" ended the previous line.
      m_after_cr = false;
      start = i + 1;
      continue;
    }
    m_line.append(bytes.substr(start, i - start));
    process_line(m_line, out);
    m_line.clear();
    m_after_cr = c == '\r';
    start = i + 1;
  }
  m_line.append(bytes.substr(start));
  if (m_line.size() > kMaxLine)
    throw agntos::Error(agntos::Errc::too_large, "event stream line longer than " + std::to_string(kMaxLine) + " bytes");
  return out;
}

void SseParser::process_line(std::string_view line, std::vector<SseEvent>& out) {
  if (line.empty()) {
    if (m_has_data) {
      SseEvent event;
      event.event = m_event.empty() ? "message" : m_event;
      event.data = std::move(m_data);
      event.id = m_last_id;
      out.push_back(std::move(event));
    }
    m_data.clear();
    m_event.clear();
    m_has_data = false;
    return;
  }
  if (line[0] == ':') return;  // comment (also used as a keep-alive)
  const size_t colon = line.find(':');
  const std::string_view field = line.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? std::string_view{} : line.substr(colon + 1);
  if (!value.empty() && value[0] == ' ') value.remove_prefix(1);
  if (field == "data") {
    if (m_has_data) m_data += '\n';
    m_data.append(value);
    m_has_data = true;
    if (m_data.size() > kMaxLine)
      throw agntos::Error(agntos::Errc::too_large, "event stream event larger than " + std::to_string(kMaxLine) + " bytes");
  } else if (field == "event") {
    m_event = std::string(value);
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos) m_last_id = std::string(value);
  }
}

bool SseParser::mid_event() const { return !m_line.empty() || m_has_data || !m_event.empty(); }

}  // namespace agntd::llm
