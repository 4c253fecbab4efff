// SPDX-License-Identifier: MIT
#pragma once
// The safety check for text that goes into curated memory (SPEC §3.5, §4).
//
// Memory is pasted into every system prompt, so a poisoned entry would steer every later
// session. scan_memory_text refuses, with the first reason found:
//   - text that is not valid UTF-8, and control characters other than tab and newline;
//   - invisible Unicode: zero-width characters, bidirectional embeddings, overrides and
//     isolates, word joiners, the byte-order mark, soft hyphens and tag characters;
//   - private-key blocks ("-----BEGIN ... PRIVATE KEY-----") and well-known token formats;
//   - prompt-injection phrases ("ignore all previous instructions", "you are now ...",
//     "do not tell the user", chat-template tokens, requests to skip the approval gate,
//     commands that send secrets away).
// Phrases are matched case-insensitively after folding full-width letters and typographic
// apostrophes to ASCII and collapsing whitespace, so simple disguises do not pass. The
// patterns are anchored on attack wording, not on bossy English: "always use helix" and
// "open the firewall rules for port 22" are fine.

#include <optional>
#include <string>
#include <string_view>

namespace agntos {

struct ScanFinding {
  std::string id;      // stable name of the check, e.g. "invisible_unicode", "prompt_injection"
  std::string reason;  // a sentence for the person: what was found and where
};

// The first problem in `text`, or nullopt when it is safe to store.
std::optional<ScanFinding> scan_memory_text(std::string_view text);

}  // namespace agntos
