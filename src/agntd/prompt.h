// SPDX-License-Identifier: MIT
#pragma once
// The system prompt (SPEC §6.2): short rules, the frozen memory snapshot, the compact system
// snapshot, the pending proposals and the skill index. The ten tool schemas travel beside it
// in the request (tools.h). Every byte is paid on every request, so each part is short:
// rules plus schemas stay under 4,000 bytes (1,000 tokens counted as bytes/4) and the system
// snapshot under 300 bytes. docs/prompt.md records the measured sizes.

#include <string>
#include <string_view>

#include "common/paths.h"

namespace agntd {

// The rules: use propose, never imperative installs; memory is for preferences, not facts;
// "why" questions are answered from the audit log; stop after two failures of the same tool.
std::string_view prompt_rules();

// Bytes of the fixed part: the rules plus the ten schemas (tool_schemas_bytes()).
size_t fixed_prompt_bytes();

struct PromptSections {
  std::string memory;     // memory_snapshot(): frozen when the session starts
  std::string system;     // snapshot_text(): read at each turn, no subprocess
  std::string proposals;  // pending_proposals_text()
  std::string skills;     // skill_index_text(): frozen when the session starts
};

// "p-… Install package: htop" per line, oldest first, at most `limit` (then "+N more").
// Malformed files are skipped; no proposals dir means "". A summary that fails the prompt
// scanner (common/memory_scan.h) is replaced by a note.
std::string pending_proposals_text(const agntos::Paths& paths, size_t limit = 8);
// "name: description" per skill, sorted by name; skills the prompt scanner blocked are left out.
std::string skill_index_text(const agntos::Paths& paths);
// The compact `inspect system` text of the running machine (at most 300 bytes).
std::string system_snapshot_text();

// The assembled prompt; empty sections are left out.
std::string system_prompt(const PromptSections& sections);

}  // namespace agntd
