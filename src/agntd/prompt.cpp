// SPDX-License-Identifier: MIT
#include "agntd/prompt.h"

#include <algorithm>
#include <vector>

#include "agntd/tools.h"
#include "common/files.h"
#include "common/proposal.h"
#include "common/json.h"
#include "common/memory_scan.h"
#include "common/skills.h"
#include "common/system/snapshot.h"

namespace agntd {
namespace {

constexpr std::string_view kRules =
    "You are AgntOS, managing this NixOS machine through tools. Rules:\n"
    "- System changes (packages, services, options) only via propose, then apply with its id. Never change the "
    "system imperatively (nix-env, nix profile, systemctl enable, editing /etc).\n"
    "- apply and rollback ask the user; if denied, do not retry.\n"
    "- Check facts with inspect or read_file. Memory is for the user's preferences and intent, never for facts "
    "you can inspect.\n"
    "- Answer \"why\" questions about the system from the audit log: it keeps each change with the user's words.\n"
    "- If a tool fails twice the same way, stop and tell the user what failed.\n"
    "- Be brief and plain.\n";

}  // namespace

std::string_view prompt_rules() { return kRules; }

size_t fixed_prompt_bytes() { return kRules.size() + tool_schemas_bytes(); }

std::string pending_proposals_text(const agntos::Paths& paths, size_t limit) {
  // Stale proposals are left out: they cannot be applied as made (agntctl proposals lists them).
  const auto proposals = agntos::Proposal::pending(paths);
  std::string text;
  for (size_t i = 0; i < proposals.size() && i < limit; ++i) {
    // proposals/ is writable by the agntos group: a summary goes into the prompt only when it
    // passes the same scanner as memory and skills, and never spans lines.
    std::string summary = proposals[i].summary;
    if (summary.find('\n') != std::string::npos || agntos::scan_prompt_text(summary))
      summary = "[summary withheld: it failed the prompt scan]";
    text += proposals[i].id + " " + summary + "\n";
  }
  if (proposals.size() > limit) text += "+" + std::to_string(proposals.size() - limit) + " more\n";
  return text;
}

std::string skill_index_text(const agntos::Paths& paths) {
  std::string text;
  for (const auto& skill : agntos::discover_skills(agntos::skill_dirs(paths)))
    if (!skill.blocked)  // a skill that fails the prompt scanner is not offered at all
      text += skill.name + (skill.description ? ": " + *skill.description : std::string()) + "\n";
  return text;
}

std::string system_snapshot_text() {
  // Host name, OS name and the like come from files; they pass the scanner like everything else.
  auto text = agntos::snapshot_text(agntos::read_system_snapshot());
  if (auto finding = agntos::scan_prompt_text(text)) return "[system snapshot withheld: " + finding->reason + "]\n";
  return text;
}

std::string system_prompt(const PromptSections& sections) {
  std::string prompt(kRules);
  auto section = [&](std::string_view title, const std::string& body) {
    if (body.empty()) return;
    prompt += "\n## ";
    prompt += title;
    prompt += "\n";
    prompt += body;
    if (prompt.back() != '\n') prompt += '\n';
  };
  section("Memory (frozen at session start)", sections.memory);
  section("System", sections.system);
  section("Pending proposals", sections.proposals);
  section("Skills (the user runs them with /name)", sections.skills);
  return prompt;
}

}  // namespace agntd
