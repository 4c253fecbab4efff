// SPDX-License-Identifier: MIT
#include "agntd/protocol.h"

#include <algorithm>
#include <array>

#include "common/error.h"
#include "common/ids.h"
#include "common/text.h"
#include "common/vocabulary.h"

namespace agntd {
namespace {

using agntos::Errc;
using agntos::Error;

enum class Required { no, yes };

struct FieldSpec {
  const char* name = nullptr;
  Required required = Required::no;
  std::optional<std::string> Request::*text = nullptr;  // a string field
  std::optional<long long> Request::*number = nullptr;  // an integer field
};

struct RequestSpec {
  const char* type;
  RequestType kind;
  std::array<FieldSpec, 4> fields;
};

constexpr FieldSpec text(const char* name, std::optional<std::string> Request::*member, Required required = Required::no) {
  return FieldSpec{name, required, member, nullptr};
}
constexpr FieldSpec number(const char* name, std::optional<long long> Request::*member) {
  return FieldSpec{name, Required::no, nullptr, member};
}

// Every request a client may send, with its fields (SPEC §6.5). Fields not listed are ignored.
constexpr std::array kRequests{
    RequestSpec{"init", RequestType::init, {text("session_id", &Request::session_id)}},
    RequestSpec{"chat", RequestType::chat, {text("prompt", &Request::prompt, Required::yes)}},
    RequestSpec{"approve", RequestType::approve, {text("request_id", &Request::request_id, Required::yes)}},
    RequestSpec{"deny", RequestType::deny,
                {text("request_id", &Request::request_id, Required::yes), text("reason", &Request::reason)}},
    RequestSpec{"cancel", RequestType::cancel, {}},
    RequestSpec{"status", RequestType::status, {text("target", &Request::target)}},
    RequestSpec{"audit", RequestType::audit,
                {text("action", &Request::action), text("query", &Request::query), text("id", &Request::id),
                 number("limit", &Request::limit)}},
    RequestSpec{"sessions", RequestType::sessions, {number("limit", &Request::limit)}},
    RequestSpec{"history", RequestType::history,
                {text("query", &Request::query), text("session_id", &Request::session_id), number("limit", &Request::limit)}},
    RequestSpec{"confirm", RequestType::confirm, {text("audit_id", &Request::audit_id, Required::yes)}},
};

std::string known_types() {
  std::string names;
  for (const auto& spec : kRequests) names += std::string(names.empty() ? "" : ", ") + spec.type;
  return names;
}

void check_semantics(Request& request) {
  switch (request.type) {
    case RequestType::init:
      if (request.session_id && !agntos::is_id(*request.session_id, "s"))
        throw Error(Errc::usage, "session_id must look like s-<hex> (got \"" + *request.session_id + "\")");
      break;
    case RequestType::chat:
      if (agntos::trim(*request.prompt).empty()) throw Error(Errc::usage, "chat needs a non-empty prompt");
      break;
    case RequestType::audit: {
      if (!request.action) request.action = request.query ? "search" : request.id ? "show" : "list";
      const auto& action = *request.action;
      const auto actions = agntos::names_of(agntos::kAuditActions);
      if (std::find(actions.begin(), actions.end(), action) == actions.end())
        throw Error(Errc::usage, "audit action must be one of " + agntos::joined_names(agntos::kAuditActions) +
                                     " (got \"" + action + "\")");
      if (action == "show" && !request.id) throw Error(Errc::usage, "audit show needs an id (a-<hex>)");
      if ((action == "search" || action == "why") && (!request.query || agntos::trim(*request.query).empty()))
        throw Error(Errc::usage, "audit " + action + " needs a query (for why: a package, option or file)");
      break;
    }
    case RequestType::confirm:
      if (!agntos::is_id(*request.audit_id, "a"))
        throw Error(Errc::usage, "confirm: audit_id must look like a-<hex> (got \"" + *request.audit_id + "\")");
      break;
    case RequestType::history:
      if ((!request.query || agntos::trim(*request.query).empty()) && !request.session_id)
        throw Error(Errc::usage, "history needs a query (words to search for) or a session_id");
      break;
    default:
      break;
  }
  if (request.limit && (*request.limit < 1 || *request.limit > 1000))
    throw Error(Errc::usage, "limit must be between 1 and 1000");
}

}  // namespace

Request parse_request(std::string_view line) {
  Json json;
  try {
    json = Json::parse(line);
  } catch (const std::exception&) {
    throw Error(Errc::usage, "malformed request: not JSON (send one JSON object per line)");
  }
  if (!json.is_object()) throw Error(Errc::usage, "malformed request: not a JSON object");
  Request request;
  if (!json.contains("type")) {
    // The earlier prototype's one-shot form: {"prompt":"..."}.
    if (json.contains("prompt") && json["prompt"].is_string() && !agntos::trim(json["prompt"].get<std::string>()).empty()) {
      request.type = RequestType::legacy_prompt;
      request.prompt = json["prompt"].get<std::string>();
      return request;
    }
    throw Error(Errc::usage, "malformed request: no \"type\" (one of " + known_types() + ")");
  }
  if (!json["type"].is_string()) throw Error(Errc::usage, "malformed request: \"type\" must be a string");
  const auto type = json["type"].get<std::string>();
  const RequestSpec* spec = nullptr;
  for (const auto& candidate : kRequests)
    if (type == candidate.type) spec = &candidate;
  if (!spec) throw Error(Errc::usage, "unknown request type \"" + type + "\" (one of " + known_types() + ")");
  request.type = spec->kind;
  for (const auto& field : spec->fields) {
    if (!field.name) continue;
    const bool present = json.contains(field.name) && !json[field.name].is_null();
    if (!present) {
      if (field.required == Required::yes) throw Error(Errc::usage, type + " needs \"" + field.name + "\"");
      continue;
    }
    const Json& value = json[field.name];
    if (field.text) {
      if (!value.is_string()) throw Error(Errc::usage, type + ": \"" + field.name + "\" must be a string");
      request.*field.text = value.get<std::string>();
    } else if (field.number) {
      if (!value.is_number_integer()) throw Error(Errc::usage, type + ": \"" + field.name + "\" must be an integer");
      request.*field.number = value.get<long long>();
    }
  }
  check_semantics(request);
  return request;
}

Json session_ready_message(const std::string& session_id, const std::string& profile, const std::string& model,
                           const Json& pending_proposals, bool resumed, size_t message_count) {
  return Json{{"type", "session_ready"}, {"session_id", session_id},       {"profile", profile},
              {"model", model},          {"pending_proposals", pending_proposals}, {"resumed", resumed},
              {"message_count", message_count}};
}

Json token_message(std::string_view content, llm::Channel channel) {
  return Json{{"type", "token"}, {"content", content}, {"channel", llm::channel_name(channel)}};
}

Json tool_call_message(const llm::ToolCall& call, const Json& args) {
  return Json{{"type", "tool_call"}, {"id", call.id}, {"name", call.name}, {"args", args}, {"status", "running"}};
}

Json tool_result_message(const llm::ToolCall& call, const ToolOutcome& outcome) {
  return Json{{"type", "tool_result"}, {"id", call.id}, {"name", call.name}, {"output", outcome.result},
              {"success", outcome.success}};
}

Json approval_request_message(const ApprovalRequest& request) {
  return Json{{"type", "approval_request"}, {"request_id", request.request_id}, {"kind", request.kind},
              {"proposal_id", agntos::json_or_null(request.proposal_id)}, {"summary", request.summary},
              {"effect", request.effect}, {"closure", request.closure}, {"diff", request.diff},
              {"digest", request.digest}, {"confirm_timeout_s", agntos::json_or_null(request.confirm_timeout_s)}};
}

Json confirm_needed_message(const ConfirmNeeded& needed) {
  return Json{{"type", "confirm_needed"}, {"audit_id", needed.audit_id}, {"timeout_s", needed.timeout_s},
              {"deadline", needed.deadline}, {"seconds_left", needed.seconds_left}};
}

Json confirm_response_message(const std::string& audit_id, const Json& entry) {
  return Json{{"type", "confirm_response"}, {"audit_id", audit_id}, {"entry", entry}};
}

Json progress_message(std::string_view text) { return Json{{"type", "progress"}, {"text", text}}; }

Json usage_message(const llm::Usage& usage) {
  return Json{{"type", "usage"}, {"prompt_tokens", usage.prompt_tokens}, {"completion_tokens", usage.completion_tokens}};
}

Json turn_complete_message(const TurnResult& result) {
  return Json{{"type", "turn_complete"},
              {"content", result.end == TurnEnd::failed ? std::string() : result.content},
              {"end", turn_end_name(result.end)}};
}

Json audit_response_message(const std::string& action, const Json& entries, const Json& why) {
  return Json{{"type", "audit_response"}, {"action", action}, {"entries", entries}, {"why", why}};
}

Json sessions_response_message(const Json& sessions) { return Json{{"type", "sessions_response"}, {"sessions", sessions}}; }

Json history_response_message(const std::optional<std::string>& query, const std::optional<std::string>& session_id,
                              const Json& results, const Json& messages) {
  return Json{{"type", "history_response"}, {"query", agntos::json_or_null(query)},
              {"session_id", agntos::json_or_null(session_id)}, {"results", results}, {"messages", messages}};
}

Json status_response_message(const std::string& target, const Json& status) {
  return Json{{"type", "status_response"}, {"target", target}, {"status", status}};
}

Json error_message(std::string_view message, std::string_view code) {
  return Json{{"type", "error"}, {"message", message}, {"code", code}};
}

Json legacy_response_message(const std::string& response) { return Json{{"response", response}}; }

std::string to_line(const Json& message) {
  return agntos::dump_json(message) + "\n";
}

}  // namespace agntd
