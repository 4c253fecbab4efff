// SPDX-License-Identifier: MIT
#include "agntctl/pipeline/journal.h"

#include "common/files.h"
#include "common/text.h"

namespace agntctl {

using agntos::Json;

Json Journal::to_json() const {
  return Json{{"version", 1},
              {"audit_id", audit_id},
              {"phase", agntos::to_string(phase)},
              {"generation_before", agntos::json_or_null(generation_before)},
              {"generation_after", agntos::json_or_null(generation_after)},
              {"activated", agntos::json_or_null(activated)},
              {"mode", agntos::json_or_null(mode)},
              {"activated_at_ms", agntos::json_or_null(activated_at_ms)},
              {"request", request.to_json()},
              {"files", files_before_to_json(before)}};
}

Journal Journal::from_json(const Json& value) {
  Journal journal;
  journal.audit_id = agntos::json_string(value, "audit_id").value_or("");
  journal.phase = agntos::parse_enum<JournalPhase>(agntos::json_string(value, "phase").value_or("writing"));
  journal.generation_before = agntos::json_int(value, "generation_before");
  journal.generation_after = agntos::json_int(value, "generation_after");
  journal.activated = agntos::json_string(value, "activated");
  journal.mode = agntos::json_enum<agntos::ActivationMode>(value, "mode");
  journal.activated_at_ms = agntos::json_int(value, "activated_at_ms");
  journal.request = TransactionRequest::from_json(value.at("request"));
  journal.before = files_before_from_json(value.at("files"));
  return journal;
}

void Journal::save(const agntos::Paths& paths) const {
  agntos::write_file_atomic(paths.journal(), agntos::dump_json(to_json()) + "\n", 0600);
}

}  // namespace agntctl
