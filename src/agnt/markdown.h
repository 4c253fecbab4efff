// SPDX-License-Identifier: MIT
#pragma once
// Markdown of the answer rendered for the terminal (SPEC §7) with md4c: headings, bold,
// italic, strikethrough, inline code, fenced and indented code blocks, block quotes, nested
// lists, links, rules and tables, wrapped to a width (wide characters count two columns).
//
// The input is untrusted: it is passed through agntos::visible_text first, so the only
// escape codes in the output are the Style's own; with style.on false the output holds no
// ESC byte. Raw HTML is shown as text. Code block lines are never wrapped.

#include <string>
#include <string_view>

#include "agnt/style.h"

namespace agnt {

// The whole document, ending in one newline (empty input gives "").
std::string render_markdown(std::string_view markdown, int width, const Style& style);

// Streams an answer as it arrives: feed() returns the rendering of the blocks that are
// complete (followed by a blank line outside a code fence), finish() the rest. Each
// returned piece ends at a line end.
class MarkdownStream {
public:
  MarkdownStream(int width, Style style) : m_width(width), m_style(style) {}
  std::string feed(std::string_view text);
  std::string finish();
  // True once any text was fed since the last finish().
  bool started() const { return m_started; }

private:
  std::string render_piece(std::string_view text);

  int m_width;
  Style m_style;
  std::string m_pending;
  bool m_started = false;
  bool m_emitted = false;  // a block was written: the next one is separated by a blank line
};

}  // namespace agnt
