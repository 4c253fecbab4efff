// SPDX-License-Identifier: MIT
#include "common/nix_names.h"

#include <algorithm>
#include <array>

#include "common/error.h"
#include "common/text.h"

namespace agntos {
namespace {

constexpr size_t kMaxPathLength = 200;

constexpr std::array<std::string_view, 10> kKeywords{"if",  "then", "else", "assert",  "with",
                                                     "let", "in",   "rec",  "inherit", "or"};

// Attributes the module system itself interprets rather than treating as options. `imports`
// and `require` load Nix files by path, so an option path or JSON key naming them would let a
// string value pull arbitrary code into the configuration (also inside submodules such as
// users.users.<name>); `disabledModules` and `_module` change how modules are evaluated.
constexpr std::array<std::string_view, 4> kModuleKeysAnywhere{"imports", "require", "disabledModules", "_module"};
// At the top of a module these are structure, not options.
constexpr std::array<std::string_view, 4> kModuleKeysAtTop{"config", "options", "_file", "key"};

template <size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

// A plain Nix identifier that needs no quotes as an attribute name.
bool is_plain_identifier(std::string_view text) {
  if (text.empty() || !is_nix_identifier_start(text[0])) return false;
  if (!std::all_of(text.begin(), text.end(), is_nix_identifier_char)) return false;
  return !contains(kKeywords, text);
}

std::string hex_byte(unsigned char c) {
  constexpr std::string_view digits = "0123456789ABCDEF";
  return {digits[c >> 4], digits[c & 0xF]};
}

// "a space", "';'", "non-ASCII character U+04BB", ...: the character at `pos` for a message.
std::string describe_character(std::string_view text, size_t pos) {
  const auto c = static_cast<unsigned char>(text[pos]);
  switch (c) {
    case '\0': return "a NUL byte";
    case ' ': return "a space";
    case '\n': return "a newline";
    case '\t': return "a tab";
    case '\r': return "a carriage return";
    default: break;
  }
  if (c < 0x20 || c == 0x7F) return "control character 0x" + hex_byte(c);
  if (c < 0x80) return std::string("'") + static_cast<char>(c) + "'";
  const auto decoded = decode_utf8_char(text, pos);
  if (!decoded) return "byte 0x" + hex_byte(c) + " (not UTF-8)";
  return "non-ASCII character " + code_point_name(decoded->value);
}

// 1-based character position of byte offset `pos`.
size_t position_of(std::string_view text, size_t pos) { return utf8_length(text.substr(0, pos)) + 1; }

constexpr std::string_view kPathGrammar =
    "; names are Nix attribute paths: segments of letters, digits, '_', '-' and '\\'' that start with a "
    "letter or '_', joined by '.'";

}  // namespace

bool is_nix_identifier_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_nix_identifier_char(char c) { return is_nix_identifier_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '\''; }

std::optional<std::string> attribute_path_problem(std::string_view path, std::string_view what) {
  const std::string subject = std::string(what) + " " + quoted_for_message(path);
  if (path.empty()) return std::string(what) + " is empty" + std::string(kPathGrammar);
  if (path.size() > kMaxPathLength)
    return subject + " is " + std::to_string(utf8_length(path)) + " characters long; the limit is " +
           std::to_string(kMaxPathLength);
  bool segment_start = true;
  for (size_t i = 0; i < path.size(); ++i) {
    const char c = path[i];
    const std::string at = " at position " + std::to_string(position_of(path, i));
    if (c == '.') {
      if (segment_start) return subject + " has an empty segment" + at + std::string(kPathGrammar);
      segment_start = true;
      continue;
    }
    if (!is_nix_identifier_char(c)) return subject + " has " + describe_character(path, i) + at + std::string(kPathGrammar);
    if (segment_start && !is_nix_identifier_start(c))
      return subject + " starts a segment with " + describe_character(path, i) + at +
             "; segments start with a letter or '_'";
    segment_start = false;
  }
  if (segment_start) return subject + " ends with '.'" + std::string(kPathGrammar);
  return std::nullopt;
}

void check_attribute_path(std::string_view path, std::string_view what) {
  if (auto problem = attribute_path_problem(path, what)) throw Error(Errc::invalid_name, *problem);
}

std::optional<std::string> option_path_problem(std::string_view path) {
  if (auto problem = attribute_path_problem(path, "option path")) return problem;
  const auto segments = split(path, '.');
  for (size_t i = 0; i < segments.size(); ++i) {
    if (contains(kModuleKeysAnywhere, segments[i]) || (i == 0 && contains(kModuleKeysAtTop, segments[i])))
      return "option path " + quoted_for_message(path) + " uses " + quoted_for_message(segments[i]) +
             ", which the Nix module system interprets itself (it is not an option); write such a module "
             "with --module instead";
  }
  return std::nullopt;
}

void check_option_path(std::string_view path) {
  if (auto problem = option_path_problem(path)) throw Error(Errc::invalid_name, *problem);
}

std::string render_attribute_path(std::string_view path) {
  check_attribute_path(path, "attribute path");
  std::vector<std::string> segments = split(path, '.');
  for (auto& segment : segments)
    if (contains(kKeywords, segment)) segment = render_nix_string(segment);
  return join(segments, ".");
}

std::string render_attribute_name(const std::string& name) {
  if (contains(kModuleKeysAnywhere, name))
    throw Error(Errc::validation, "attribute name " + quoted_for_message(name) +
                                      " is interpreted by the Nix module system (it loads or disables modules); "
                                      "write such a module with --module instead");
  return is_plain_identifier(name) ? name : render_nix_string(name);
}

std::string render_nix_string(std::string_view text) {
  std::string result = "\"";
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '\0':
        throw Error(Errc::validation, "the value has a NUL byte at position " + std::to_string(position_of(text, i)) +
                                          ", which a Nix string cannot hold");
      case '\\': result += "\\\\"; break;
      case '"': result += "\\\""; break;
      case '\n': result += "\\n"; break;
      case '\t': result += "\\t"; break;
      case '\r': result += "\\r"; break;  // a raw CR would be read back as a newline
      case '$':
        result += i + 1 < text.size() && text[i + 1] == '{' ? "\\$" : "$";
        break;
      default:
        // Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) make a
        // diff display differently from what Nix reads ("Trojan Source"); no option needs them.
        if (c == '\xE2' && i + 2 < text.size() &&
            ((text[i + 1] == '\x80' && text[i + 2] >= '\xAA' && text[i + 2] <= '\xAE') ||
             (text[i + 1] == '\x81' && text[i + 2] >= '\xA6' && text[i + 2] <= '\xA9')))
          throw Error(Errc::validation, "the value has the bidirectional control character " +
                                            code_point_name(decode_utf8_char(text, i)->value) + " at position " +
                                            std::to_string(position_of(text, i)) +
                                            ", which would make the change display differently from what it does");
        result += c;
    }
  }
  return result + "\"";
}

}  // namespace agntos
