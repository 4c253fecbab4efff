// SPDX-License-Identifier: MIT
// The Anthropic Messages API.
//
// POST {endpoint}/messages with "x-api-key" (when the profile names a key variable) and
// "anthropic-version: 2023-06-01". System messages become the top-level `system`; an
// assistant's tool calls become `tool_use` blocks and tool messages `tool_result` blocks of a
// user message (consecutive messages of one role are merged, as the API wants roles to
// alternate); tools are {name, description, input_schema}.
//
// The stream is a sequence of named events: message_start (input token count),
// content_block_start (text, thinking or tool_use with id and name), content_block_delta
// (text_delta, thinking_delta, input_json_delta whose partial_json fragments are concatenated
// and parsed at content_block_stop), message_delta (stop_reason, output token count),
// message_stop, ping, and error. stop_reason is reported in OpenAI words: end_turn and
// stop_sequence -> "stop", max_tokens -> "length", tool_use -> "tool_calls".

#include "agntd/llm/dialect.h"

#include <map>

#include "common/json.h"

namespace agntd::llm {
namespace {

constexpr const char* kApiVersion = "2023-06-01";

std::string openai_finish_reason(const std::string& stop_reason) {
  if (stop_reason == "end_turn" || stop_reason == "stop_sequence") return "stop";
  if (stop_reason == "max_tokens") return "length";
  if (stop_reason == "tool_use") return "tool_calls";
  return stop_reason;
}

long long count(const Json& usage, const char* key) {
  const auto it = usage.find(key);
  return it != usage.end() && it->is_number_integer() ? it->get<long long>() : 0;
}

struct Block {
  std::string type;  // "text", "thinking", "tool_use", ...
  ToolCall call;     // tool_use: id and name
  std::string input_json;
  Json start_input;  // the input given in content_block_start (used when no fragments follow)
};

class AnthropicDecoder : public ResponseDecoder {
public:
  explicit AnthropicDecoder(StreamSink& sink) : m_sink(sink) {}

  void reset() override {
    m_response = ChatResponse{};
    m_blocks.clear();
    m_done = false;
    m_delivered = false;
  }

  void on_event(const SseEvent& event) override {
    if (m_done) return;
    const Json data = Json::parse(event.data, nullptr, false);
    if (data.is_discarded() || !data.is_object()) {
      throw LlmError(LlmFailure::protocol,
                     "sent malformed JSON in its event stream (event " + event.event + "): " + event.data.substr(0, 200));
    }
    const std::string type = data.value("type", event.event);
    if (type == "message_start") {
      const Json& message = data.contains("message") ? data["message"] : Json::object();
      if (message.is_object() && message.contains("usage") && message["usage"].is_object()) {
        m_response.usage.prompt_tokens = count(message["usage"], "input_tokens");
        m_response.usage.completion_tokens = count(message["usage"], "output_tokens");
      }
    } else if (type == "content_block_start") {
      const Json& block = data.contains("content_block") ? data["content_block"] : Json::object();
      if (!block.is_object()) throw LlmError(LlmFailure::protocol, "sent a content_block_start without a content_block");
      Block& state = m_blocks[data.value("index", 0L)];
      state = Block{};
      state.type = block.value("type", "");
      if (state.type == "text") token(block.value("text", ""), Channel::content);
      if (state.type == "thinking") token(block.value("thinking", ""), Channel::thinking);
      if (state.type == "tool_use") {
        state.call.id = block.value("id", "");
        state.call.name = block.value("name", "");
        state.start_input = block.contains("input") ? block["input"] : Json::object();
      }
    } else if (type == "content_block_delta") {
      const Json& delta = data.contains("delta") ? data["delta"] : Json::object();
      if (!delta.is_object()) throw LlmError(LlmFailure::protocol, "sent a content_block_delta without a delta");
      const std::string delta_type = delta.value("type", "");
      if (delta_type == "text_delta") {
        token(delta.value("text", ""), Channel::content);
      } else if (delta_type == "thinking_delta") {
        token(delta.value("thinking", ""), Channel::thinking);
      } else if (delta_type == "input_json_delta") {
        m_blocks[data.value("index", 0L)].input_json += delta.value("partial_json", "");
      }
      // signature_delta and citations_delta carry nothing the daemon shows.
    } else if (type == "content_block_stop") {
      const auto it = m_blocks.find(data.value("index", 0L));
      if (it != m_blocks.end() && it->second.type == "tool_use") complete_tool_call(it->second);
    } else if (type == "message_delta") {
      if (data.contains("delta") && data["delta"].is_object()) {
        const Json& delta = data["delta"];
        if (delta.contains("stop_reason") && delta["stop_reason"].is_string())
          m_response.finish_reason = openai_finish_reason(delta["stop_reason"].get<std::string>());
      }
      if (data.contains("usage") && data["usage"].is_object()) {
        const Json& usage = data["usage"];
        if (const long long input = count(usage, "input_tokens")) m_response.usage.prompt_tokens = input;
        m_response.usage.completion_tokens = count(usage, "output_tokens");
        m_sink.on_usage(m_response.usage);
      }
    } else if (type == "message_stop") {
      if (m_response.finish_reason.empty()) m_response.finish_reason = "stop";
      m_done = true;
    } else if (type == "error") {
      const Json& error = data.contains("error") && data["error"].is_object() ? data["error"] : Json::object();
      const std::string error_type = error.value("type", "error");
      throw LlmError(LlmFailure::endpoint, "reported an error: " + error_type + ": " + error.value("message", "(no message)"), 0,
                     error_type == "overloaded_error" || error_type == "api_error");
    }
    // ping and event types added later carry nothing needed here.
  }

  void on_json_body(const std::string& body) override {
    const Json message = Json::parse(body, nullptr, false);
    if (message.is_discarded() || !message.is_object())
      throw LlmError(LlmFailure::protocol, "sent malformed JSON: " + body.substr(0, 200));
    if (message.value("type", "") == "error")
      throw LlmError(LlmFailure::endpoint, "reported an error: " + error_message_from_body(body));
    if (message.contains("content") && message["content"].is_array()) {
      for (const auto& block : message["content"]) {
        if (!block.is_object()) continue;
        const std::string type = block.value("type", "");
        if (type == "text") token(block.value("text", ""), Channel::content);
        if (type == "thinking") token(block.value("thinking", ""), Channel::thinking);
        if (type == "tool_use") {
          Block state;
          state.call.id = block.value("id", "");
          state.call.name = block.value("name", "");
          state.start_input = block.contains("input") ? block["input"] : Json::object();
          complete_tool_call(state);
        }
      }
    }
    if (message.contains("usage") && message["usage"].is_object()) {
      m_response.usage.prompt_tokens = count(message["usage"], "input_tokens");
      m_response.usage.completion_tokens = count(message["usage"], "output_tokens");
      m_sink.on_usage(m_response.usage);
    }
    const std::string stop = message.contains("stop_reason") && message["stop_reason"].is_string()
                                 ? message["stop_reason"].get<std::string>()
                                 : "end_turn";
    m_response.finish_reason = openai_finish_reason(stop);
    m_done = true;
  }

  // Complete at message_stop, or once the stop reason is known (the rest is bookkeeping).
  bool finished() const override { return m_done || !m_response.finish_reason.empty(); }
  bool delivered() const override { return m_delivered; }

  ChatResponse response(bool cancelled) const {
    ChatResponse response = m_response;
    if (cancelled) response.finish_reason = "cancelled";
    return response;
  }

private:
  void token(const std::string& text, Channel channel) {
    if (text.empty()) return;
    (channel == Channel::content ? m_response.content : m_response.thinking) += text;
    m_delivered = true;
    m_sink.on_token(text, channel);
  }

  void complete_tool_call(Block& block) {
    Json input = block.start_input.is_null() ? Json::object() : block.start_input;
    if (!block.input_json.empty()) {
      input = Json::parse(block.input_json, nullptr, false);
      if (input.is_discarded())
        throw LlmError(LlmFailure::protocol, "sent tool input for " + block.call.name +
                                                 " that is not valid JSON: " + block.input_json.substr(0, 200));
    }
    block.call.arguments_json = agntos::dump_json(input);
    m_response.tool_calls.push_back(block.call);
    m_delivered = true;
    m_sink.on_tool_call_complete(block.call);
    block.type = "done";
  }

  StreamSink& m_sink;
  ChatResponse m_response;
  std::map<long, Block> m_blocks;  // by the stream's content block index
  bool m_done = false;
  bool m_delivered = false;
};

// Messages API turn: a role and its content blocks.
struct Turn {
  std::string role;
  Json blocks = Json::array();
};

Json tool_input(const std::string& arguments_json) {
  const Json input = Json::parse(arguments_json.empty() ? "{}" : arguments_json, nullptr, false);
  // The API wants an object; a model that produced something else had that call answered with
  // an error already, so an empty object is an honest record of it.
  return input.is_object() ? input : Json::object();
}

Json body_of(const ChatRequest& request, const agntos::ModelProfile& profile) {
  std::string system;
  std::vector<Turn> turns;
  auto add = [&](const std::string& role, Json block) {
    if (turns.empty() || turns.back().role != role) turns.push_back(Turn{role, Json::array()});
    turns.back().blocks.push_back(std::move(block));
  };
  for (const auto& message : request.messages) {
    switch (message.role) {
      case Role::system:
        if (!message.content.empty()) system += (system.empty() ? "" : "\n\n") + message.content;
        break;
      case Role::user:
        if (!message.content.empty()) add("user", Json{{"type", "text"}, {"text", message.content}});
        break;
      case Role::assistant:
        if (!message.content.empty()) add("assistant", Json{{"type", "text"}, {"text", message.content}});
        for (const auto& call : message.tool_calls)
          add("assistant", Json{{"type", "tool_use"}, {"id", call.id}, {"name", call.name}, {"input", tool_input(call.arguments_json)}});
        break;
      case Role::tool:
        add("user", Json{{"type", "tool_result"},
                         {"tool_use_id", message.tool_call_id},
                         {"content", message.content.empty() ? "(no output)" : message.content}});
        break;
    }
  }
  Json messages = Json::array();
  for (auto& turn : turns) messages.push_back(Json{{"role", turn.role}, {"content", std::move(turn.blocks)}});

  Json body{{"model", request.model.empty() ? profile.model : request.model},
            {"max_tokens", request.max_tokens.value_or(profile.max_tokens)}};
  if (!system.empty()) body["system"] = system;
  body["messages"] = messages;
  body["stream"] = true;
  if (const auto temperature = request.temperature ? request.temperature : profile.temperature)
    body["temperature"] = *temperature;
  if (profile.supports_tools && !request.tools.empty()) {
    Json tools = Json::array();
    for (const auto& tool : request.tools)
      tools.push_back(Json{{"name", tool.name}, {"description", tool.description}, {"input_schema", tool.parameters}});
    body["tools"] = tools;
  }
  return body;
}

class AnthropicDialect : public Dialect {
public:
  std::string path() const override { return "/messages"; }
  std::vector<HttpHeader> headers(const std::optional<std::string>& key) const override {
    std::vector<HttpHeader> headers{{"anthropic-version", kApiVersion}};
    if (key) headers.push_back({"x-api-key", *key});
    return headers;
  }
  Json request_body(const ChatRequest& request, const agntos::ModelProfile& profile) const override {
    return body_of(request, profile);
  }
  std::unique_ptr<ResponseDecoder> decoder(StreamSink& sink) const override { return std::make_unique<AnthropicDecoder>(sink); }
};

}  // namespace

std::unique_ptr<Dialect> anthropic_dialect() { return std::make_unique<AnthropicDialect>(); }

}  // namespace agntd::llm
