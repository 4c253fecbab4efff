// SPDX-License-Identifier: MIT
// The OpenAI chat-completions protocol, spoken by OpenAI and by most local servers (llama.cpp,
// Ollama, vLLM, LM Studio).
//
// POST {endpoint}/chat/completions with stream: true and stream_options.include_usage, tools
// as {"type":"function","function":{name,description,parameters}}, and
// "Authorization: Bearer <key>" only when the profile names a key variable. The answer streams
// as `data: {chunk}` events ending with `data: [DONE]`: choices[0].delta.content is text,
// delta.reasoning_content or delta.reasoning is thinking, delta.tool_calls are fragments
// assembled by their index (id and name in the first fragment, arguments concatenated; a new
// id at a used index starts a new call, as some servers reuse index 0), and the chunk with
// `usage` gives the token counts. A server that answers with one JSON document instead of a
// stream is understood too.

#include "agntd/llm/dialect.h"

#include <map>

#include "common/json.h"

namespace agntd::llm {
namespace {

struct PartialCall {
  ToolCall call;
  bool emitted = false;
};

// Turns the chunks of one streamed completion into sink calls and a ChatResponse.
class OpenAiDecoder : public ResponseDecoder {
public:
  explicit OpenAiDecoder(StreamSink& sink) : m_sink(sink) {}

  void reset() override {
    m_response = ChatResponse{};
    m_calls.clear();
    m_slot_of_index.clear();
    m_done = false;
    m_delivered = false;
  }

  void on_event(const SseEvent& event) override {
    if (m_done) return;
    const std::string_view data = event.data;
    if (data == "[DONE]") {
      finish();
      return;
    }
    const Json chunk = Json::parse(data, nullptr, false);
    if (chunk.is_discarded() || !chunk.is_object()) throw malformed(data);
    if (const auto error = chunk.find("error"); error != chunk.end() && !error->is_null())
      throw LlmError(LlmFailure::endpoint, "reported an error: " + error_message_from_body(agntos::dump_json(chunk)));
    if (const auto choices = chunk.find("choices"); choices != chunk.end() && choices->is_array()) {
      for (const auto& choice : *choices) {
        // n > 1 is never requested: only choice 0 exists.
        if (!choice.is_object() || (choice.contains("index") && choice["index"] != 0)) continue;
        if (const auto delta = choice.find("delta"); delta != choice.end() && delta->is_object()) apply_delta(*delta);
        if (const auto reason = choice.find("finish_reason"); reason != choice.end() && reason->is_string()) {
          m_response.finish_reason = reason->get<std::string>();
          emit_calls();
        }
      }
    }
    if (const auto usage = chunk.find("usage"); usage != chunk.end() && usage->is_object()) report_usage(*usage);
  }

  void on_json_body(const std::string& body) override {
    const Json completion = Json::parse(body, nullptr, false);
    if (completion.is_discarded() || !completion.is_object()) throw malformed(body);
    if (const auto error = completion.find("error"); error != completion.end() && !error->is_null())
      throw LlmError(LlmFailure::endpoint, "reported an error: " + error_message_from_body(body));
    const auto choices = completion.find("choices");
    if (choices == completion.end() || !choices->is_array() || choices->empty() || !(*choices)[0].is_object())
      throw LlmError(LlmFailure::protocol, "answered without choices: " + error_message_from_body(body));
    const Json& choice = (*choices)[0];
    if (const auto message = choice.find("message"); message != choice.end() && message->is_object()) {
      Json delta = *message;
      // A whole message reads like one delta whose tool calls carry their index implicitly.
      if (auto calls = delta.find("tool_calls"); calls != delta.end() && calls->is_array())
        for (size_t i = 0; i < calls->size(); ++i)
          if ((*calls)[i].is_object()) (*calls)[i]["index"] = i;
      apply_delta(delta);
    }
    const auto reason = choice.find("finish_reason");
    m_response.finish_reason = reason != choice.end() && reason->is_string() ? reason->get<std::string>() : "stop";
    if (const auto usage = completion.find("usage"); usage != completion.end() && usage->is_object()) report_usage(*usage);
    finish();
  }

  // Complete once [DONE] or a finish_reason has arrived (some servers end without [DONE]).
  bool finished() const override { return m_done || !m_response.finish_reason.empty(); }
  bool delivered() const override { return m_delivered; }

  ChatResponse response(bool cancelled) const override {
    ChatResponse response = m_response;
    response.tool_calls.clear();
    for (const auto& partial : m_calls)
      if (partial.emitted || !cancelled) response.tool_calls.push_back(normalised(partial.call));
    if (cancelled) response.finish_reason = "cancelled";
    return response;
  }

private:
  static LlmError malformed(std::string_view data) {
    std::string excerpt(data.substr(0, 200));
    return LlmError(LlmFailure::protocol, "sent malformed JSON in its event stream: " + excerpt);
  }

  static ToolCall normalised(ToolCall call) {
    if (call.arguments_json.empty()) call.arguments_json = "{}";
    return call;
  }

  void token(const std::string& text, Channel channel) {
    if (text.empty()) return;
    (channel == Channel::content ? m_response.content : m_response.thinking) += text;
    m_delivered = true;
    m_sink.on_token(text, channel);
  }

  void apply_delta(const Json& delta) {
    for (const char* key : {"reasoning_content", "reasoning"})
      if (const auto it = delta.find(key); it != delta.end() && it->is_string()) token(it->get<std::string>(), Channel::thinking);
    if (const auto it = delta.find("content"); it != delta.end() && it->is_string()) token(it->get<std::string>(), Channel::content);
    const auto calls = delta.find("tool_calls");
    if (calls == delta.end() || !calls->is_array()) return;
    for (size_t position = 0; position < calls->size(); ++position) {
      const Json& fragment = (*calls)[position];
      if (!fragment.is_object()) continue;
      const long index = fragment.contains("index") && fragment["index"].is_number_integer()
                             ? fragment["index"].get<long>()
                             : static_cast<long>(position);
      const std::string id = fragment.contains("id") && fragment["id"].is_string() ? fragment["id"].get<std::string>() : "";
      auto slot = m_slot_of_index.find(index);
      if (slot == m_slot_of_index.end() || (!id.empty() && !m_calls[slot->second].call.id.empty() &&
                                            m_calls[slot->second].call.id != id)) {
        m_calls.push_back(PartialCall{});
        slot = m_slot_of_index.insert_or_assign(index, m_calls.size() - 1).first;
      }
      ToolCall& call = m_calls[slot->second].call;
      if (!id.empty()) call.id = id;
      if (const auto function = fragment.find("function"); function != fragment.end() && function->is_object()) {
        if (const auto name = function->find("name"); name != function->end() && name->is_string() && call.name.empty())
          call.name = name->get<std::string>();
        if (const auto arguments = function->find("arguments"); arguments != function->end() && arguments->is_string())
          call.arguments_json += arguments->get<std::string>();
      }
    }
  }

  void emit_calls() {
    for (auto& partial : m_calls) {
      if (partial.emitted) continue;
      partial.emitted = true;
      m_delivered = true;
      m_sink.on_tool_call_complete(normalised(partial.call));
    }
  }

  void report_usage(const Json& usage) {
    auto count = [&](const char* key) {
      const auto it = usage.find(key);
      return it != usage.end() && it->is_number_integer() ? it->get<long long>() : 0LL;
    };
    m_response.usage.prompt_tokens = count("prompt_tokens");
    m_response.usage.completion_tokens = count("completion_tokens");
    m_sink.on_usage(m_response.usage);
  }

  void finish() {
    emit_calls();
    if (m_response.finish_reason.empty()) m_response.finish_reason = m_calls.empty() ? "stop" : "tool_calls";
    m_done = true;
  }

  StreamSink& m_sink;
  ChatResponse m_response;
  std::vector<PartialCall> m_calls;        // in the order they began
  std::map<long, size_t> m_slot_of_index;  // the endpoint's index -> position in m_calls
  bool m_done = false;
  bool m_delivered = false;
};

Json message_json(const Message& message) {
  Json json{{"role", role_name(message.role)}};
  switch (message.role) {
    case Role::assistant:
      json["content"] = message.content.empty() && !message.tool_calls.empty() ? Json(nullptr) : Json(message.content);
      if (!message.tool_calls.empty()) {
        Json calls = Json::array();
        for (const auto& call : message.tool_calls)
          calls.push_back(Json{{"id", call.id},
                               {"type", "function"},
                               {"function", {{"name", call.name}, {"arguments", call.arguments_json.empty() ? "{}" : call.arguments_json}}}});
        json["tool_calls"] = calls;
      }
      break;
    case Role::tool:
      json["tool_call_id"] = message.tool_call_id;
      json["content"] = message.content;
      break;
    case Role::system:
    case Role::user:
      json["content"] = message.content;
      if (!message.name.empty()) json["name"] = message.name;
      break;
  }
  return json;
}

Json body_of(const ChatRequest& request, const agntos::ModelProfile& profile) {
  Json messages = Json::array();
  for (const auto& message : request.messages) messages.push_back(message_json(message));
  Json body{{"model", request.model.empty() ? profile.model : request.model},
            {"messages", messages},
            {"stream", true},
            {"stream_options", {{"include_usage", true}}},
            {"max_tokens", request.max_tokens.value_or(profile.max_tokens)}};
  if (const auto temperature = request.temperature ? request.temperature : profile.temperature)
    body["temperature"] = *temperature;
  if (profile.supports_tools && !request.tools.empty()) {
    Json tools = Json::array();
    for (const auto& tool : request.tools)
      tools.push_back(Json{{"type", "function"},
                           {"function", {{"name", tool.name}, {"description", tool.description}, {"parameters", tool.parameters}}}});
    body["tools"] = tools;
  }
  return body;
}

class OpenAiDialect : public Dialect {
public:
  std::string path() const override { return "/chat/completions"; }
  std::vector<HttpHeader> headers(const std::optional<std::string>& key) const override {
    if (!key) return {};
    return {{"Authorization", "Bearer " + *key}};
  }
  Json request_body(const ChatRequest& request, const agntos::ModelProfile& profile) const override {
    return body_of(request, profile);
  }
  std::unique_ptr<ResponseDecoder> decoder(StreamSink& sink) const override { return std::make_unique<OpenAiDecoder>(sink); }
};

}  // namespace

std::unique_ptr<Dialect> openai_dialect() { return std::make_unique<OpenAiDialect>(); }

}  // namespace agntd::llm
