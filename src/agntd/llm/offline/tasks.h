// SPDX-License-Identifier: MIT
#pragma once
// What the offline assistant does for each request: the tool calls an LLM would make, one at
// a time, and the answer once they are done.
//
// next_step() is a pure function of the request, the calls already made for it (with their
// results) and a few facts of the conversation, so the provider can replay a turn from the
// history it is sent and always land on the same next call. Every change goes through propose
// and then apply, so the daemon's approval gate asks the user before anything changes; the
// propose calls use the explicit forms ("install PKG", "set OPTION VALUE", a module text),
// never a shortcut.

#include <optional>
#include <span>
#include <string>

#include "agntd/llm/offline/request.h"
#include "common/json.h"

namespace agntd::offline {

using agntos::Json;

struct Step {
  std::string tool;
  Json args;
  Json result;  // the tool's JSON object; {"text": …} when it printed something else
};

struct Call {
  std::string tool;
  Json args;
};

struct Next {
  std::optional<Call> call;  // the next tool call, or nothing when the request is done
  std::string text;          // when done: the answer for this request
};

struct TurnFacts {
  std::string message;          // the user's words of this turn
  std::string latest_proposal;  // the pending proposal a "yes" refers to ("" when none)
  std::string last_note;        // what the previous turn added to memory ("" when nothing)
  std::string path;             // the PATH searched for "is X installed" ("" to skip)
};

Next next_step(const Request& request, std::span<const Step> steps, const TurnFacts& facts);

// The answer to a request the grammar did not understand, in one sentence.
std::string not_understood(const std::string& words, bool alone);

}  // namespace agntd::offline
