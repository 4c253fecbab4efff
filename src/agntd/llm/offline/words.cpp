// SPDX-License-Identifier: MIT
#include "agntd/llm/offline/words.h"

#include <algorithm>
#include <array>
#include <utility>

#include "common/text.h"

namespace agntd::offline {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 40> kContractions{{
    {"what's", "what is"},   {"whats", "what is"},    {"it's", "it is"},       {"that's", "that is"},
    {"there's", "there is"}, {"how's", "how is"},     {"where's", "where is"}, {"who's", "who is"},
    {"here's", "here is"},   {"let's", "let us"},     {"i'm", "i am"},         {"im", "i am"},
    {"i'd", "i would"},      {"i've", "i have"},      {"i'll", "i will"},      {"you've", "you have"},
    {"you're", "you are"},   {"we've", "we have"},    {"we're", "we are"},     {"don't", "do not"},
    {"dont", "do not"},      {"doesn't", "does not"}, {"didn't", "did not"},   {"can't", "can not"},
    {"cant", "can not"},     {"cannot", "can not"},   {"won't", "will not"},   {"isn't", "is not"},
    {"aren't", "are not"},   {"wasn't", "was not"},   {"weren't", "were not"}, {"haven't", "have not"},
    {"hasn't", "has not"},   {"shouldn't", "should not"}, {"wouldn't", "would not"}, {"couldn't", "could not"},
    {"wanna", "want to"},    {"gonna", "going to"},   {"gimme", "give me"},    {"lemme", "let me"},
}};

constexpr std::string_view kLeading = "\"'([{`<*";
constexpr std::string_view kTrailing = "\"')]}`>*?!,.;:";

std::string normalise_quotes(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    // U+2018/U+2019 (curly single quotes) and U+201C/U+201D (curly double quotes).
    if (i + 2 < text.size() && static_cast<unsigned char>(text[i]) == 0xE2 && static_cast<unsigned char>(text[i + 1]) == 0x80) {
      const auto third = static_cast<unsigned char>(text[i + 2]);
      if (third == 0x98 || third == 0x99) {
        out += '\'';
        i += 2;
        continue;
      }
      if (third == 0x9C || third == 0x9D) {
        out += '"';
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

}  // namespace

std::vector<std::string> sentences(std::string_view message) {
  const std::string text = normalise_quotes(message);
  std::vector<std::string> out;
  std::string current;
  auto flush = [&] {
    auto trimmed = agntos::trim(current);
    if (!trimmed.empty()) out.push_back(trimmed);
    current.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n' || c == '\r') {
      flush();
      continue;
    }
    current += c;
    const bool end_mark = c == '.' || c == '?' || c == '!' || c == ';';
    const bool next_is_space = i + 1 == text.size() || text[i + 1] == ' ' || text[i + 1] == '\t' || text[i + 1] == '\n';
    if (end_mark && next_is_space) flush();
  }
  flush();
  return out;
}

Words tokenize(std::string_view sentence) {
  Words words;
  const std::string text = normalise_quotes(sentence);
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    size_t end = i;
    while (end < text.size() && text[end] != ' ' && text[end] != '\t') ++end;
    std::string raw = text.substr(i, end - i);
    i = end;
    size_t begin = 0;
    size_t stop = raw.size();
    // A JSON list or object ("[22,2222]") is one word, brackets and commas included.
    {
      size_t end_json = raw.size();
      while (end_json > 0 && std::string_view(".,;!?").find(raw[end_json - 1]) != std::string_view::npos) --end_json;
      if (end_json >= 2 && ((raw[0] == '[' && raw[end_json - 1] == ']') || (raw[0] == '{' && raw[end_json - 1] == '}'))) {
        const std::string json = raw.substr(0, end_json);
        words.push_back(Word{json, agntos::to_lower(json), raw.find(',', end_json) != std::string::npos});
        continue;
      }
    }
    while (begin < stop && kLeading.find(raw[begin]) != std::string_view::npos) ++begin;
    while (stop > begin && kTrailing.find(raw[stop - 1]) != std::string_view::npos) --stop;
    const bool comma = raw.find(',', stop) != std::string::npos;
    std::string word = raw.substr(begin, stop - begin);
    if (word.empty()) {
      if (comma && !words.empty()) words.back().comma_after = true;
      continue;
    }
    // "a,b" written without a space is two words.
    if (word.find(',') != std::string::npos && word.find_first_of("[]{}") == std::string::npos) {
      auto parts = agntos::split(word, ',');
      for (size_t p = 0; p < parts.size(); ++p) {
        if (parts[p].empty()) continue;
        words.push_back(Word{parts[p], agntos::to_lower(parts[p]), p + 1 < parts.size() || comma});
      }
      continue;
    }
    const std::string low = agntos::to_lower(word);
    const auto contraction = std::find_if(kContractions.begin(), kContractions.end(),
                                          [&](const auto& entry) { return entry.first == low; });
    if (contraction != kContractions.end()) {
      for (const auto& part : agntos::split(contraction->second, ' '))
        words.push_back(Word{part == "i" ? "I" : part, part, false});
      words.back().comma_after = comma;
      continue;
    }
    if (low.size() > 2 && low.ends_with("'s")) {  // possessive: "machine's" -> "machine"
      word.resize(word.size() - 2);
      words.push_back(Word{word, low.substr(0, low.size() - 2), comma});
      continue;
    }
    words.push_back(Word{word, low, comma});
  }
  return words;
}

std::string join_low(const Words& words, size_t from, size_t to) {
  std::string out;
  for (size_t i = from; i < std::min(to, words.size()); ++i) out += (out.empty() ? "" : " ") + words[i].low;
  return out;
}

std::string join_text(const Words& words, size_t from, size_t to) {
  std::string out;
  for (size_t i = from; i < std::min(to, words.size()); ++i) {
    out += (out.empty() ? "" : " ") + words[i].text;
    if (words[i].comma_after && i + 1 < std::min(to, words.size())) out += ',';
  }
  return out;
}

size_t typo_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i)
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

bool is_number(std::string_view word) {
  return !word.empty() && word.size() <= 6 && word.find_first_not_of("0123456789") == std::string_view::npos;
}

bool looks_like_name(std::string_view word) {
  if (word.empty() || !(std::isalpha(static_cast<unsigned char>(word[0])) || word[0] == '_')) return false;
  return std::all_of(word.begin(), word.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == '+' || c == '\'';
  });
}

}  // namespace agntd::offline
