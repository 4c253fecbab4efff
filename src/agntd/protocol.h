// SPDX-License-Identifier: MIT
#pragma once
// The socket protocol (SPEC §6.5, docs/protocol.md): one JSON object per line, flat fields,
// "type" naming the message.
//
// parse_request() validates a client line once, against one table of request types and
// their fields, and returns a typed request; anything wrong (not JSON, not an object, unknown
// type, missing or mistyped field) throws Error(Errc::usage) with a message that says what.
// The server-message builders below are the only place the daemon's messages are shaped.

#include <optional>
#include <string>
#include <string_view>

#include "agntd/llm/message.h"
#include "agntd/tool_runner.h"
#include "agntd/turn.h"
#include "common/json.h"

namespace agntd {

using agntos::Json;

enum class RequestType { init, chat, approve, deny, cancel, status, audit, sessions, history, confirm, legacy_prompt };

struct Request {
  RequestType type = RequestType::init;
  std::optional<std::string> session_id;  // init, history
  std::optional<std::string> prompt;      // chat, legacy_prompt
  std::optional<std::string> request_id;  // approve, deny
  std::optional<std::string> reason;      // deny
  std::optional<std::string> target;      // status
  std::optional<std::string> action;      // audit: list | show | search
  std::optional<std::string> query;       // audit search, history
  std::optional<std::string> id;          // audit show
  std::optional<long long> limit;         // audit, sessions, history
  std::optional<std::string> audit_id;    // confirm (a-<hex>)
};

// Throws Error(Errc::usage) naming the problem.
Request parse_request(std::string_view line);

// Server -> client messages.
Json session_ready_message(const std::string& session_id, const std::string& profile, const std::string& model,
                           const Json& pending_proposals, bool resumed, size_t message_count);
Json token_message(std::string_view content, llm::Channel channel);
Json tool_call_message(const llm::ToolCall& call, const Json& args);
Json tool_result_message(const llm::ToolCall& call, const ToolOutcome& outcome);
Json approval_request_message(const ApprovalRequest& request);
// A change waits for confirmation: the client confirms it over a new connection.
Json confirm_needed_message(const ConfirmNeeded& needed);
// The answer to `confirm`: the Confirm audit entry agntctl wrote.
Json confirm_response_message(const std::string& audit_id, const Json& entry);
Json progress_message(std::string_view text);
Json usage_message(const llm::Usage& usage);
// The end of a turn: its answer (empty when it failed; the error went first) and how it ended.
Json turn_complete_message(const TurnResult& result);
// `why`: for action why, agntctl's answer (thing, present, file, entry, removed_by, message);
// null otherwise. `entries` then holds the entry that explains it, if any.
Json audit_response_message(const std::string& action, const Json& entries, const Json& why = nullptr);
Json sessions_response_message(const Json& sessions);
Json history_response_message(const std::optional<std::string>& query, const std::optional<std::string>& session_id,
                              const Json& results, const Json& messages);
Json status_response_message(const std::string& target, const Json& status);
Json error_message(std::string_view message, std::string_view code = "failed");
// The legacy one-shot answer {"response": "..."}.
Json legacy_response_message(const std::string& response);

// One NDJSON line (compact, ending in '\n'; invalid UTF-8 replaced).
std::string to_line(const Json& message);

}  // namespace agntd
