// SPDX-License-Identifier: MIT
#include "common/memory_scan.h"

#include <cstdint>
#include <cstdio>
#include <regex>
#include <vector>

namespace agntos {
namespace {

struct Invisible {
  char32_t first;
  char32_t last;
  const char* name;
};

// Characters that render as nothing (or reorder what follows) and so can hide instructions
// from the person reading the file while the model still reads them.
constexpr Invisible kInvisible[] = {
    {0x00AD, 0x00AD, "soft hyphen"},
    {0x034F, 0x034F, "combining grapheme joiner"},
    {0x061C, 0x061C, "arabic letter mark"},
    {0x180E, 0x180E, "mongolian vowel separator"},
    {0x200B, 0x200B, "zero width space"},
    {0x200C, 0x200C, "zero width non-joiner"},
    {0x200D, 0x200D, "zero width joiner"},
    {0x200E, 0x200F, "directional mark"},
    {0x202A, 0x202E, "bidirectional embedding or override"},
    {0x2060, 0x2064, "word joiner or invisible operator"},
    {0x2066, 0x2069, "bidirectional isolate"},
    {0xFEFF, 0xFEFF, "zero width no-break space (byte-order mark)"},
    {0xFFF9, 0xFFFB, "interlinear annotation"},
    {0xE0000, 0xE007F, "tag character"},
};

struct CodePoint {
  char32_t value;
  size_t offset;  // byte offset in the text
  size_t length;  // bytes
};

// Strict UTF-8 decoding: no overlong forms, no surrogates, nothing above U+10FFFF.
std::optional<std::vector<CodePoint>> decode_utf8(std::string_view text, size_t& bad_offset) {
  std::vector<CodePoint> points;
  points.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    size_t length = 0;
    char32_t value = 0;
    char32_t minimum = 0;
    if (lead < 0x80) {
      length = 1;
      value = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      length = 2;
      value = lead & 0x1F;
      minimum = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      value = lead & 0x0F;
      minimum = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      value = lead & 0x07;
      minimum = 0x10000;
    } else {
      bad_offset = i;
      return std::nullopt;
    }
    if (i + length > text.size()) {
      bad_offset = i;
      return std::nullopt;
    }
    for (size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) {
        bad_offset = i;
        return std::nullopt;
      }
      value = (value << 6) | (next & 0x3F);
    }
    if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
      bad_offset = i;
      return std::nullopt;
    }
    points.push_back({value, i, length});
    i += length;
  }
  return points;
}

std::string code_point_name(char32_t value) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "U+%04X", static_cast<unsigned>(value));
  return buffer;
}

bool is_space(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x00A0 || (c >= 0x2000 && c <= 0x200A) ||
         c == 0x202F || c == 0x205F || c == 0x3000;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// Lowercase ASCII, full-width forms and typographic quotes folded, whitespace collapsed.
std::string fold_for_matching(const std::vector<CodePoint>& points) {
  std::string out;
  out.reserve(points.size());
  bool pending_space = false;
  for (const auto& point : points) {
    char32_t c = point.value;
    if (is_space(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) {
      out += ' ';
      pending_space = false;
    }
    if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0;  // full-width ASCII
    if (c == 0x2018 || c == 0x2019 || c == 0x02BC) c = '\'';
    if (c == 0x201C || c == 0x201D) c = '"';
    if (c >= 0x2010 && c <= 0x2015) c = '-';
    if (c >= 'A' && c <= 'Z') c = c - 'A' + 'a';
    append_utf8(out, c);
  }
  return out;
}

struct Pattern {
  const char* id;    // ScanFinding::id
  const char* name;  // what the reason calls it
  std::regex regex;
};

Pattern pattern(const char* id, const char* name, const char* expression) {
  return {id, name, std::regex(expression, std::regex::ECMAScript | std::regex::optimize)};
}

Pattern phrase(const char* name, const char* expression) { return pattern("prompt_injection", name, expression); }

// Matched against the folded text: lowercase, single spaces. Fillers between key words are
// bounded ("(?:\S+ ){0,4}") so matching stays linear and distant words do not combine.
const std::vector<Pattern>& injection_patterns() {
  static const std::vector<Pattern> patterns = [] {
    const std::string nouns = "(?:instructions?|prompts?|guidelines|directives|programming|restrictions)";
    const std::string qualifier =
        "(?:previous|prior|above|earlier|all|your|any|these|those|system|original|initial|safety)";
    std::vector<Pattern> list;
    list.push_back(phrase("ignore instructions", ("\\b(?:ignore|disregard|forget|override|bypass)\\b (?:\\S+ ){0,4}?" +
                                                  qualifier + " (?:\\S+ ){0,3}?" + nouns + "\\b")
                                                     .c_str()));
    list.push_back(phrase("ignore instructions", "\\b(?:ignore|disregard|forget) (?:your|all|the|any) rules\\b"));
    list.push_back(phrase("system prompt override",
                          "\\b(?:new|updated|override|overridden|replacement) system prompt\\b|"
                          "\\bsystem prompt (?:override|overridden|replaced|update)\\b"));
    list.push_back(phrase("prompt leak",
                          "\\b(?:reveal|print|output|show|repeat|leak|dump) (?:\\S+ ){0,3}?"
                          "(?:system prompt|initial prompt|hidden instructions)\\b"));
    list.push_back(phrase("role hijack",
                          "\\byou are now (?:a|an|the|in|my|no longer)\\b|"
                          "\\bfrom now on,? you (?:are|will|must)\\b|"
                          "\\bpretend (?:to be|you are)\\b|"
                          "\\bact as (?:if|though) you (?:have no|are not bound|don't have)\\b|"
                          "\\b(?:jailbreak|jailbroken|developer mode enabled)\\b"));
    list.push_back(
        phrase("hiding from the user",
               "\\b(?:do not|don't|never) (?:tell|inform|show|mention|reveal|let)(?: \\S+)? (?:the )?user\\b|"
               "\\bwithout (?:telling|informing|notifying) the user\\b|"
               "\\bhide (?:this|it) from the user\\b"));
    list.push_back(phrase("chat-template token",
                          "<\\|(?:im_start|im_end|system|user|assistant|endoftext|eot_id|start_header_id)\\|>|"
                          "\\[/?inst\\]|<</?sys>>|< ?/? ?system ?>"));
    list.push_back(phrase("skipping the approval gate",
                          "\\b(?:apply|approve|roll ?back|rebuild|switch|install|uninstall|remove|enable|disable|"
                          "change) (?:\\S+ ){0,4}?without (?:asking|confirm\\w*|approval|permission|the user)\\b|"
                          "\\b(?:skip|bypass|disable|ignore|avoid) (?:\\S+ ){0,2}?(?:confirmation|approval|"
                          "approval gate|sandbox)\\b|"
                          "\\bauto[- ]?approve\\b|\\bapply (?:\\S+ )?--yes\\b"));
    list.push_back(phrase("sending secrets away",
                          "\\b(?:curl|wget|nc|netcat)\\b[^\\n]{0,200}\\$\\{?[a-z0-9_]*(?:key|token|secret|password|"
                          "credential)s?\\b|\\bexfiltrat\\w*"));
    list.push_back(phrase("reading secrets",
                          "\\bcat [^\\n]{0,100}(?:\\.env\\b|\\.netrc|\\.pgpass|/etc/shadow|"
                          "id_rsa|id_ed25519|id_ecdsa|credentials)"));
    list.push_back(phrase("ssh backdoor", "authorized_keys"));
    return list;
  }();
  return patterns;
}

// Matched against the raw text: key blocks and token formats are case-sensitive.
const std::vector<Pattern>& secret_patterns() {
  static const std::vector<Pattern> patterns = [] {
    std::vector<Pattern> list;
    list.push_back(pattern("private_key", "a private key block",
                           "-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|"
                           "PuTTY-User-Key-File-"));
    list.push_back(pattern("secret", "an API token",
                           "\\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}|\\bgh[pousr]_[A-Za-z0-9]{30,}|"
                           "\\bgithub_pat_[A-Za-z0-9_]{30,}|\\bAKIA[0-9A-Z]{16}\\b|"
                           "\\bxox[abprs]-[A-Za-z0-9-]{10,}"));
    list.push_back(pattern("secret", "a password or key assignment",
                           "\\b(?:[Aa][Pp][Ii][_-]?[Kk][Ee][Yy]|[Ss]ecret|SECRET|[Tt]oken|TOKEN|[Pp]assword|PASSWORD|"
                           "[Pp]asswd)\\s*[=:]\\s*[\"']?[^\\s\"']{8,}"));
    return list;
  }();
  return patterns;
}

std::string shorten(std::string text) {
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

}  // namespace

std::optional<ScanFinding> scan_memory_text(std::string_view text) {
  size_t bad_offset = 0;
  const auto points = decode_utf8(text, bad_offset);
  if (!points)
    return ScanFinding{"invalid_utf8", "the text is not valid UTF-8 (byte " + std::to_string(bad_offset + 1) + ")"};

  for (size_t index = 0; index < points->size(); ++index) {
    const char32_t c = (*points)[index].value;
    const std::string where = " at character " + std::to_string(index + 1);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F || (c >= 0x80 && c <= 0x9F))
      return ScanFinding{"control_character", "control character " + code_point_name(c) + where};
    for (const auto& invisible : kInvisible)
      if (c >= invisible.first && c <= invisible.last)
        return ScanFinding{"invisible_unicode",
                           "invisible character " + code_point_name(c) + " (" + invisible.name + ")" + where};
  }

  for (const auto& secret : secret_patterns()) {
    if (std::regex_search(text.begin(), text.end(), secret.regex))
      return ScanFinding{secret.id, "it contains " + std::string(secret.name)};
  }

  const std::string folded = fold_for_matching(*points);
  for (const auto& injection : injection_patterns()) {
    std::smatch match;
    if (std::regex_search(folded, match, injection.regex))
      return ScanFinding{injection.id, "it looks like prompt injection (" + std::string(injection.name) + ": \"" +
                                           shorten(match.str()) + "\")"};
  }
  return std::nullopt;
}

}  // namespace agntos
