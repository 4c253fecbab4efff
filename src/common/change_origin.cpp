// SPDX-License-Identifier: MIT
#include "common/change_origin.h"

namespace agntos {

Json ChangeOrigin::to_json() const {
  return Json{{"prompt", json_or_null(prompt)},
              {"rationale", json_or_null(rationale)},
              {"session_id", json_or_null(session_id)},
              {"model", json_or_null(model)},
              {"proposal_id", json_or_null(proposal_id)}};
}

void ChangeOrigin::append_to(Json& object) const {
  Json keys = to_json();
  for (auto& item : keys.items()) object[item.key()] = std::move(item.value());
}

ChangeOrigin ChangeOrigin::from_json(const Json& object) {
  ChangeOrigin origin;
  if (!object.is_object()) return origin;
  origin.prompt = json_string(object, "prompt");
  origin.rationale = json_string(object, "rationale");
  origin.session_id = json_string(object, "session_id");
  origin.model = json_string(object, "model");
  origin.proposal_id = json_string(object, "proposal_id");
  return origin;
}

}  // namespace agntos
