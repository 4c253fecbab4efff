// SPDX-License-Identifier: MIT
#include "agnt/style.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>

#include "common/error.h"
#include "common/text.h"

namespace agnt {

ColorChoice parse_color_choice(std::string_view text) {
  if (text == "always") return ColorChoice::always;
  if (text == "never") return ColorChoice::never;
  if (text == "auto") return ColorChoice::automatic;
  throw agntos::Error(agntos::Errc::usage, "--color must be always, never or auto, not '" + std::string(text) + "'");
}

bool color_enabled(ColorChoice choice) {
  if (choice == ColorChoice::always) return true;
  if (choice == ColorChoice::never) return false;
  if (const char* no_color = std::getenv("NO_COLOR"); no_color && *no_color) return false;
  if (const char* term = std::getenv("TERM"); term && std::string_view(term) == "dumb") return false;
  return ::isatty(STDOUT_FILENO) == 1;
}

int terminal_width() {
  winsize size{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

int char_width(char32_t c) {
  if (c == 0) return 0;
  if ((c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) || (c >= 0x20D0 && c <= 0x20FF) ||
      (c >= 0xFE20 && c <= 0xFE2F))
    return 0;
  if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) || (c >= 0x3041 && c <= 0x33FF) ||
      (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
      (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
      (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
      (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD))
    return 2;
  return 1;
}

size_t display_width(std::string_view text) {
  size_t width = 0;
  for (size_t i = 0; i < text.size();) {
    if (text[i] == '\x1b' && i + 1 < text.size() && text[i + 1] == '[') {
      i += 2;
      while (i < text.size() && !(text[i] >= 0x40 && text[i] <= 0x7e)) ++i;
      ++i;
      continue;
    }
    if (const auto decoded = agntos::decode_utf8_char(text, i)) {
      width += static_cast<size_t>(char_width(decoded->value));
      i += decoded->length;
    } else {
      ++width;
      ++i;
    }
  }
  return width;
}

}  // namespace agnt
