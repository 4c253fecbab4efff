// SPDX-License-Identifier: MIT
#pragma once
// Small string helpers shared by the programs.

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
// Lowercase words of letters, digits, '-', '_', '.', '/' (for search).
std::vector<std::string> words(std::string_view text);
// Number of Unicode code points in UTF-8 text (characters, not bytes).
size_t utf8_length(std::string_view text);
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

}  // namespace agntos
