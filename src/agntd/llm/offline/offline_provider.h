// SPDX-License-Identifier: MIT
#pragma once
// The offline provider (SPEC §6.4): the assistant a user meets when no LLM is configured
// (no models.toml, or provider = "offline"). It understands what people say about their NixOS
// machine (grammar.h), makes the same tool calls an LLM would (tasks.h), and answers in plain
// sentences (answers.h).
//
// It reads the conversation like a model does: the last user message says what to do, the
// assistant tool calls and results after it say how far the turn has got, and the next call
// or the final answer follows from them alone, so a turn can be replayed from the history.
// Changes are always propose then apply, so the daemon's approval gate asks the user first;
// it never writes anything itself. Several requests in one message are handled in order (at
// most three). It says it is the offline assistant once per session (in its first answer) and
// whenever it does not understand; a verb with a typo gets "Did you mean: …?", and a yes to
// that runs the corrected request.

#include <string>
#include <string_view>

#include "agntd/llm/provider.h"

namespace agntd {

class OfflineProvider : public llm::Provider {
public:
  explicit OfflineProvider(agntos::ModelProfile profile);

  llm::ChatResponse chat(const llm::ChatRequest& request, llm::StreamSink& sink, const std::atomic<bool>& cancel) override;
  const agntos::ModelProfile& profile() const override { return m_profile; }

private:
  agntos::ModelProfile m_profile;
};

}  // namespace agntd
