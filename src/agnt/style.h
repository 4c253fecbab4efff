// SPDX-License-Identifier: MIT
#pragma once
// The client's colours and terminal facts. Every escape code agnt prints comes from a Style:
// with colour off each code is "", so plain output holds no ESC byte at all. Untrusted text
// (answers, diffs, tool output) is made visible with agntos::visible_text before it is styled.

#include <string>
#include <string_view>

namespace agnt {

enum class ColorChoice { automatic, always, never };

// "always" | "never" | "auto"; throws Error(Errc::usage) for anything else.
ColorChoice parse_color_choice(std::string_view text);

// Colour on: `always`; off: `never`; `automatic`: on when stdout is a terminal and NO_COLOR is
// unset or empty and TERM is not "dumb".
bool color_enabled(ColorChoice choice);

struct Style {
  bool on = false;
  std::string bold() const { return on ? "\x1b[1m" : ""; }
  std::string dim() const { return on ? "\x1b[2m" : ""; }
  std::string italic() const { return on ? "\x1b[3m" : ""; }
  std::string underline() const { return on ? "\x1b[4m" : ""; }
  std::string strike() const { return on ? "\x1b[9m" : ""; }
  std::string bold_off() const { return on ? "\x1b[22m" : ""; }  // also ends dim
  std::string italic_off() const { return on ? "\x1b[23m" : ""; }
  std::string underline_off() const { return on ? "\x1b[24m" : ""; }
  std::string strike_off() const { return on ? "\x1b[29m" : ""; }
  std::string red() const { return on ? "\x1b[31m" : ""; }
  std::string green() const { return on ? "\x1b[32m" : ""; }
  std::string yellow() const { return on ? "\x1b[33m" : ""; }
  std::string blue() const { return on ? "\x1b[34m" : ""; }
  std::string magenta() const { return on ? "\x1b[35m" : ""; }
  std::string cyan() const { return on ? "\x1b[36m" : ""; }
  std::string color_off() const { return on ? "\x1b[39m" : ""; }
  std::string reset() const { return on ? "\x1b[0m" : ""; }
  // `text` wrapped in a code and the reset.
  std::string wrap(const std::string& code, std::string_view text) const {
    return on ? code + std::string(text) + "\x1b[0m" : std::string(text);
  }
};

// Columns of the terminal on stdout; 80 when it is not a terminal or does not say.
int terminal_width();

// Display width of one code point: 2 for East Asian wide and fullwidth characters and most
// emoji, 0 for combining marks, else 1.
int char_width(char32_t c);
// Display width of text, skipping the CSI sequences (ESC [ ... final byte) agnt writes.
size_t display_width(std::string_view text);

}  // namespace agnt
