// SPDX-License-Identifier: MIT
#pragma once
// Where a change to the system came from: the user's words, the agent's reason, the agntd
// session and model, and the proposal that carried it. A proposal records it when it is staged,
// the transaction request carries it through the journal, and the audit entry keeps it; all
// three hold this one struct and write it with this one to_json, so the same keys mean the same
// thing in proposals/<id>.json, the journal and audit.jsonl.

#include <optional>
#include <string>

#include "common/json.h"

namespace agntos {

struct ChangeOrigin {
  std::optional<std::string> prompt;       // the user's own words that asked for the change
  std::optional<std::string> rationale;    // why the agent proposed it
  std::optional<std::string> session_id;   // the agntd session that proposed it (s-…)
  std::optional<std::string> model;        // the model that proposed it
  std::optional<std::string> proposal_id;  // the proposal that carried it (p-…)

  // {"prompt","rationale","session_id","model","proposal_id"}: every key, null for nothing.
  // The owners write these keys at the top level of their own object (append_to).
  Json to_json() const;
  // Appends the keys of to_json() to `object`, in that order.
  void append_to(Json& object) const;
  // Reads those keys of an object (a key that is absent or not a string is nothing); other
  // keys are ignored, so the owner's whole object can be passed.
  static ChangeOrigin from_json(const Json& object);

  bool operator==(const ChangeOrigin&) const = default;
};

}  // namespace agntos
