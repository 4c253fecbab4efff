// SPDX-License-Identifier: MIT
#pragma once
// The offline provider (SPEC §6.4): a deterministic intent router that stands in for an LLM
// when models.toml is absent or says provider = "offline", so the whole loop works with no
// key and no network.
//
// It reads the conversation like a model would: the last user message says what to do, and
// the assistant tool calls and tool results after it say how far the turn has got. It then
// answers with the same tool calls an LLM would make, so they go through the same approval
// gate: "install htop" is propose {"intent":"install htop","prompt":…}, then, once the result
// names the proposal, apply {"id":"p-…"}, then a text that sums up what happened. It
// understands install/remove PACKAGE, enable/disable SERVICE, set OPTION VALUE, inspect/show
// system (or cpu, memory, disk, …), "why is X installed", "undo the last change", rollback to
// the previous generation, list generations, "apply p-…" / "yes apply it", "remember that …",
// "search history for …", the audit log and curated memory. Every answer it writes says that
// it is offline; for anything else it lists what it understands.

#include <string>
#include <string_view>

#include "agntd/llm/provider.h"

namespace agntd {

struct OfflineIntent {
  enum class Kind {
    change,           // text: the propose intent ("install htop btop", "enable openssh", ...)
    apply,            // text: the proposal id, or "" for the latest one
    inspect,          // text: the inspect target
    why,              // text: the audit query
    undo,             // text: the audit id, or ""
    rollback_generation,  // text: the generation number, or ""
    generations,
    remember,         // text: the preference, in the user's words
    search_history,   // text: the query
    audit_list,
    memory_show,
    help,
    unknown,
  };
  Kind kind = Kind::unknown;
  std::string text;
};

// What the router makes of one user message.
OfflineIntent parse_offline_intent(std::string_view message);

class OfflineProvider : public llm::Provider {
public:
  explicit OfflineProvider(agntos::ModelProfile profile);

  llm::ChatResponse chat(const llm::ChatRequest& request, llm::StreamSink& sink, const std::atomic<bool>& cancel) override;
  const agntos::ModelProfile& profile() const override { return m_profile; }

private:
  agntos::ModelProfile m_profile;
};

}  // namespace agntd
