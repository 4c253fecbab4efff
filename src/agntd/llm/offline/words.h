// SPDX-License-Identifier: MIT
#pragma once
// The words of a request, as the offline grammar reads them: sentences split at their ends,
// contractions expanded ("what's" -> "what is"), punctuation around words dropped (but kept
// inside them: "Europe/Berlin", "de_DE.UTF-8", "p-18e1f2a", "8080/tcp"), each word with its
// lowercase form and whether a comma followed it.

#include <string>
#include <string_view>
#include <vector>

namespace agntd::offline {

struct Word {
  std::string text;  // as written
  std::string low;   // lowercase
  bool comma_after = false;
};
using Words = std::vector<Word>;

// The sentences of `message`: split after '.', '?', '!' or ';' followed by a space or the end,
// and at line breaks. Empty sentences are left out.
std::vector<std::string> sentences(std::string_view message);

// The words of one sentence.
Words tokenize(std::string_view sentence);

// The words from..to joined by single spaces: lowercase, or as written (with the commas that
// followed words inside the range).
std::string join_low(const Words& words, size_t from = 0, size_t to = std::string::npos);
std::string join_text(const Words& words, size_t from = 0, size_t to = std::string::npos);

// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
// neighbouring letters each count 1 ("instll" and "isntall" are both 1 from "install").
size_t typo_distance(std::string_view a, std::string_view b);

// True for 1-6 decimal digits.
bool is_number(std::string_view word);

// True for a word that can name a package, user, host or option: a letter or '_' first, then
// letters, digits, '_', '-', '.', '+' or '\''.
bool looks_like_name(std::string_view word);

}  // namespace agntd::offline
