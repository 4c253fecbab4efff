// SPDX-License-Identifier: MIT
#include "agntd/llm/message.h"

#include "common/error.h"

namespace agntd::llm {

std::string_view role_name(Role role) {
  switch (role) {
    case Role::system: return "system";
    case Role::user: return "user";
    case Role::assistant: return "assistant";
    case Role::tool: return "tool";
  }
  return "user";
}

Role role_from_name(std::string_view name) {
  if (name == "system") return Role::system;
  if (name == "user") return Role::user;
  if (name == "assistant") return Role::assistant;
  if (name == "tool") return Role::tool;
  throw agntos::Error(agntos::Errc::failed, "unknown message role \"" + std::string(name) + "\"");
}

std::string_view channel_name(Channel channel) { return channel == Channel::thinking ? "thinking" : "content"; }

void StreamSink::on_token(std::string_view, Channel) {}
void StreamSink::on_tool_call_complete(const ToolCall&) {}
void StreamSink::on_usage(const Usage&) {}

Json to_json(const Message& message) {
  auto or_null = [](const std::string& value) { return value.empty() ? Json(nullptr) : Json(value); };
  Json calls = Json::array();
  for (const auto& call : message.tool_calls)
    calls.push_back(Json{{"id", call.id}, {"name", call.name}, {"arguments", call.arguments_json}});
  return Json{{"role", role_name(message.role)},
              {"content", message.content},
              {"tool_calls", calls},
              {"tool_call_id", or_null(message.tool_call_id)},
              {"name", or_null(message.name)}};
}

Message message_from_json(const Json& json) {
  if (!json.is_object()) throw agntos::Error(agntos::Errc::failed, "a stored message is not a JSON object");
  Message message;
  message.role = role_from_name(agntos::json_string(json, "role").value_or(""));
  message.content = agntos::json_string(json, "content").value_or("");
  message.tool_call_id = agntos::json_string(json, "tool_call_id").value_or("");
  message.name = agntos::json_string(json, "name").value_or("");
  if (const auto it = json.find("tool_calls"); it != json.end() && it->is_array()) {
    for (const auto& call : *it) {
      message.tool_calls.push_back(ToolCall{agntos::json_string(call, "id").value_or(""),
                                            agntos::json_string(call, "name").value_or(""),
                                            agntos::json_string(call, "arguments").value_or("{}")});
    }
  }
  return message;
}

}  // namespace agntd::llm
