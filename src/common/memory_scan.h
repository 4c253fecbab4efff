// SPDX-License-Identifier: MIT
#pragma once
// The one safety check for text that reaches a system prompt (SPEC §3.5, §4, §5): curated
// memory, skills (shipped, system and user) and every other text agntd loads into a prompt.
//
// A poisoned entry would steer every later session, so scan_prompt_text refuses, with the
// first reason found:
//   - text that is not valid UTF-8, and control characters other than tab, CR and newline;
//   - invisible and format characters: zero-width characters, bidirectional embeddings,
//     overrides, isolates and marks, word joiners, the byte-order mark, soft hyphens,
//     variation selectors (U+FE00-FE0F, U+E0100-E01EF), tag characters (U+E0000-E007F),
//     fillers (U+115F, U+1160, U+3164, U+FFA0, U+2800) and private-use characters;
//   - private-key blocks ("-----BEGIN ... PRIVATE KEY-----"), well-known token formats
//     (sk-..., ghp_..., AKIA..., JWTs, ...), password or key assignments;
//   - base64 runs that decode to any of the above, or to a DER private key (decoded and
//     scanned again, two levels deep);
//   - prompt-injection phrases and their common paraphrases ("ignore all previous
//     instructions", "pay no attention to the rules above", "you are now ...", "do not tell
//     the user", chat-template tokens, requests to skip the approval gate, commands that send
//     secrets away), also when spelled out letter by letter ("i g n o r e  p r e v i o u s").
// Phrases are matched on the skeleton of the text, and again with digits and symbols read as
// letters ("1gn0re"), so disguises do not pass. The skeleton folds each character by its
// compatibility decomposition (the half of NFKC that matters for matching: full-width forms,
// mathematical, circled and squared letters, ligatures, superscripts), drops combining marks
// (accents do not hide a word), reads the Cyrillic, Greek, Armenian, Cherokee and Latin
// look-alikes of Latin letters as those letters ("ѕуѕтем" is "system"), lowercases and
// collapses whitespace. Its table is generated (scripts/gen/confusables.py) into
// skeleton_table.inc. The patterns are anchored on attack
// wording, not on bossy English: "always use helix" and "open the firewall rules for port 22"
// are fine.

#include <optional>
#include <string>
#include <string_view>

namespace agntos {

struct ScanFinding {
  std::string id;      // stable name of the check: "invalid_utf8", "control_character",
                       // "invisible_unicode", "private_key", "secret", "prompt_injection"
  std::string reason;  // a sentence for the person: what was found and where
};

// The first problem in `text`, or nullopt when it is safe to put into a prompt.
std::optional<ScanFinding> scan_prompt_text(std::string_view text);

// The name memory has always used for the same scanner.
inline std::optional<ScanFinding> scan_memory_text(std::string_view text) { return scan_prompt_text(text); }

}  // namespace agntos
