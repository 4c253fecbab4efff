// SPDX-License-Identifier: MIT
#pragma once
// Small string helpers shared by the programs.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agntos {

std::vector<std::string> split(std::string_view text, char separator);
std::vector<std::string> split_lines(std::string_view text);  // without the newlines
std::string join(const std::vector<std::string>& parts, std::string_view separator);
std::string trim(std::string_view text);
std::string to_lower(std::string_view text);
bool starts_with(std::string_view text, std::string_view prefix);
// True for a non-empty run of ASCII digits.
bool all_digits(std::string_view text);
// Lowercase words of letters, digits, '-', '_', '.', '/' (for search).
std::vector<std::string> words(std::string_view text);
// Number of Unicode code points in UTF-8 text (characters, not bytes).
size_t utf8_length(std::string_view text);
// The longest prefix of `text` with at most `max_bytes` bytes that does not end inside a UTF-8
// character: the one place text is cut short by size (add your own "..." after it).
std::string_view utf8_prefix(std::string_view text, size_t max_bytes);
// The first `max_characters` code points of `text` (all of it when it has no more).
std::string_view utf8_first_characters(std::string_view text, size_t max_characters);
// "1,342"
std::string group_thousands(long long value);
// True when the bytes look like text: no NUL in the first block and valid-looking UTF-8.
bool looks_binary(std::string_view data);
// Base64 (RFC 4648, with padding), for byte-exact content inside JSON.
std::string base64_encode(std::string_view bytes);
// Throws Error(Errc::failed) on malformed input.
std::string base64_decode(std::string_view text);
// Levenshtein distance, for "did you mean" suggestions.
size_t edit_distance(std::string_view a, std::string_view b);
// "a", "a or b", "a, b or c" (for "did you mean" lists).
std::string or_list(const std::vector<std::string>& items);
// User text in double quotes for a one-line message: quotes, backslashes and control characters
// escaped (\n, \t, \r, \x1B), and text longer than `max_characters` cut short with "…".
std::string quoted_for_message(std::string_view text, size_t max_characters = 80);

// One code point of strict UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF).
struct Utf8Char {
  char32_t value;
  size_t length;  // bytes
};
// The code point that starts at `offset`, or nullopt when the bytes there are not valid UTF-8.
std::optional<Utf8Char> decode_utf8_char(std::string_view text, size_t offset);
// Offset of the first byte that is not valid UTF-8, or nullopt when all of `text` is.
std::optional<size_t> first_invalid_utf8(std::string_view text);
void append_utf8(std::string& out, char32_t c);
// "U+04BB": a code point as Unicode writes it.
std::string code_point_name(char32_t c);
// What an invisible or format character is ("zero width space", "bidirectional override",
// "variation selector", "tag character", "Hangul filler", ...), or nullptr for a character
// that shows as itself. Control characters (C0, DEL, C1) are not in this table.
const char* invisible_character_name(char32_t c);

// Untrusted text made inert for a terminal (SPEC §4): every control character is shown
// instead of obeyed, so text the model or a file supplies cannot move the cursor, erase
// lines, set colours or retitle the window. Newline and tab pass through; ESC becomes "^[",
// the other C0 characters and DEL caret notation ("^M", "^?"); C1 controls, bidirectional
// overrides, embeddings, isolates and marks, zero-width and other invisible format
// characters become "<U+202E>"; bytes that are not UTF-8 become "\xFF". Everything else,
// all printable Unicode included, is unchanged. Apply it to the text, never to our own
// colour codes.
std::string visible_text(std::string_view text);

}  // namespace agntos
