// SPDX-License-Identifier: MIT
// Client lines of the daemon's socket protocol (src/agntd/protocol.h), cut from the input the
// way the server cuts its read buffer: at '\n', a final '\r' dropped, blank lines skipped.
// parse_request either returns a request that keeps the table's promises or throws
// Error(Errc::usage); the reply the server then sends is always one well-formed NDJSON line.

#include "agntd/protocol.h"
#include "common/error.h"
#include "common/text.h"
#include "common/vocabulary.h"
#include "fuzz_support.h"

using agntd::Request;
using agntd::RequestType;

namespace {

// The server's reply line must parse back to one JSON object.
void check_line(const std::string& line) {
  FUZZ_CHECK(!line.empty() && line.back() == '\n');
  FUZZ_CHECK(line.find('\n') == line.size() - 1);
  FUZZ_CHECK(agntos::Json::parse(line).is_object());
}

bool is_audit_action(const std::string& word) {
  for (const auto& action : agntos::kAuditActions)
    if (action.name == word) return true;
  return false;
}

void check_request(const Request& request) {
  switch (request.type) {
    case RequestType::chat:
    case RequestType::legacy_prompt:
      FUZZ_CHECK(request.prompt && !agntos::trim(*request.prompt).empty());
      check_line(agntd::to_line(agntd::turn_complete_message(agntd::TurnResult{.content = *request.prompt})));
      break;
    case RequestType::approve:
    case RequestType::deny:
      FUZZ_CHECK(request.request_id.has_value());
      break;
    case RequestType::init:
      FUZZ_CHECK(!request.session_id || request.session_id->starts_with("s-"));
      break;
    case RequestType::audit:
      FUZZ_CHECK(request.action && is_audit_action(*request.action));
      FUZZ_CHECK(*request.action != "show" || request.id);
      FUZZ_CHECK((*request.action != "search" && *request.action != "why") || request.query);
      break;
    default:
      break;
  }
  FUZZ_CHECK(!request.limit || (*request.limit >= 1 && *request.limit <= 1000));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view rest = fuzz::as_text(data, size);
  while (!rest.empty()) {
    const size_t newline = rest.find('\n');
    std::string_view line = rest.substr(0, newline);
    rest.remove_prefix(newline == std::string_view::npos ? rest.size() : newline + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (agntos::trim(line).empty()) continue;
    try {
      check_request(agntd::parse_request(line));
    } catch (const agntos::Error& e) {
      FUZZ_CHECK(e.code() == agntos::Errc::usage);
      check_line(agntd::to_line(agntd::error_message(e.what(), e.code_name())));
    }
  }
  return 0;
}
