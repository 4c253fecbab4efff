// SPDX-License-Identifier: MIT
#pragma once
// The conversation as the daemon sees it, independent of any provider's wire format.
//
// A provider turns a ChatRequest into its own request body and its streamed answer back into
// StreamSink calls and one ChatResponse. Roles follow the OpenAI vocabulary: a "tool" message
// carries the result of the assistant's tool call with the same id.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"

namespace agntd::llm {

using agntos::Json;

enum class Role { system, user, assistant, tool };

// "system", "user", "assistant", "tool".
std::string_view role_name(Role role);
// Inverse of role_name; throws agntos::Error for anything else.
Role role_from_name(std::string_view name);

struct ToolCall {
  std::string id;
  std::string name;
  std::string arguments_json;  // a JSON object as text ("{}" when the model gave none)
  bool operator==(const ToolCall&) const = default;
};

struct Message {
  Role role = Role::user;
  std::string content;
  std::vector<ToolCall> tool_calls;  // assistant messages only
  std::string tool_call_id;          // tool messages only: the call this answers
  std::string name;                  // tool messages: the tool's name; otherwise optional
};

struct ToolSchema {
  std::string name;
  std::string description;
  Json parameters = Json::object();  // JSON Schema of the arguments object
};

struct ChatRequest {
  std::string model;                  // empty: the profile's model
  std::vector<Message> messages;
  std::vector<ToolSchema> tools;      // not sent when the profile says supports_tools = false
  std::optional<long> max_tokens;     // absent: the profile's
  std::optional<double> temperature;  // absent: the profile's (or none)
};

enum class Channel { content, thinking };

// "content", "thinking" (the names of the socket protocol's token channel).
std::string_view channel_name(Channel channel);

struct Usage {
  long long prompt_tokens = 0;
  long long completion_tokens = 0;
  bool operator==(const Usage&) const = default;
};

// Receives the answer while it streams. Calls come from the thread that called
// Provider::chat, in the order the endpoint sent them. The defaults ignore everything, so a
// sink overrides only what it needs.
class StreamSink {
public:
  virtual ~StreamSink() = default;
  // A piece of the answer's text (content) or of the model's reasoning (thinking).
  virtual void on_token(std::string_view text, Channel channel);
  // A tool call whose id, name and complete arguments are known.
  virtual void on_tool_call_complete(const ToolCall& call);
  // Token counts reported by the endpoint (once per response, when it reports them).
  virtual void on_usage(const Usage& usage);
};

struct ChatResponse {
  std::string content;
  std::string thinking;
  std::vector<ToolCall> tool_calls;
  Usage usage;
  // OpenAI vocabulary whatever the provider: "stop", "length", "tool_calls",
  // "content_filter", "cancelled" (the caller's cancel flag ended the request), or what the
  // endpoint said when it is none of these.
  std::string finish_reason;
};

// Session persistence: {"role","content","tool_calls":[{"id","name","arguments"}],
// "tool_call_id","name"} with null for nothing.
Json to_json(const Message& message);
// Inverse of to_json; throws agntos::Error on a malformed object.
Message message_from_json(const Json& json);

}  // namespace agntd::llm
