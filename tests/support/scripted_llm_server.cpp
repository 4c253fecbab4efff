// SPDX-License-Identifier: MIT
#include "support/scripted_llm_server.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <deque>
#include <mutex>
#include <thread>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
#pragma GCC diagnostic ignored "-Woverloaded-virtual"
#pragma GCC diagnostic ignored "-Wcast-align"
#pragma GCC diagnostic ignored "-Wpedantic"
#include <httplib.h>
#pragma GCC diagnostic pop

#include "common/error.h"
#include "common/fd.h"
#include "common/text.h"

namespace agntos::testing {
namespace {

using namespace std::chrono_literals;

std::string all_bytes(const std::vector<SseChunk>& chunks, const std::string& body) {
  if (chunks.empty()) return body;
  std::string bytes;
  for (const auto& chunk : chunks) bytes += chunk.bytes;
  return bytes;
}

// Sleeps in small steps; false when the server is stopping.
bool nap(std::chrono::milliseconds duration, const std::atomic<bool>& stopping) {
  const auto until = std::chrono::steady_clock::now() + duration;
  while (std::chrono::steady_clock::now() < until) {
    if (stopping.load()) return false;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(5ms, until - std::chrono::steady_clock::now()));
  }
  return !stopping.load();
}

std::optional<std::string> check(const ScriptStep& step, const RecordedRequest& request) {
  const auto& expect = step.expect;
  if (expect.path && *expect.path != request.path) return "path is " + request.path + ", expected " + *expect.path;
  for (const auto& text : expect.body_contains)
    if (request.body.find(text) == std::string::npos) return "body lacks \"" + text + "\"";
  if (!expect.body_equals.empty()) {
    const Json body = request.json();
    for (const auto& [pointer, expected] : expect.body_equals) {
      const Json::json_pointer where(pointer);
      if (!body.is_object() || !body.contains(where)) return "body has no " + pointer;
      if (body.at(where) != expected)
        return "body " + pointer + " is " + body.at(where).dump() + ", expected " + expected.dump();
    }
  }
  for (const auto& name : expect.headers_present)
    if (!request.header(name)) return "header " + name + " missing";
  for (const auto& name : expect.headers_absent)
    if (request.header(name)) return "header " + name + " present";
  for (const auto& [name, value] : expect.header_equals) {
    const auto actual = request.header(name);
    if (!actual || *actual != value) return "header " + name + " is not the expected value";
  }
  return std::nullopt;
}

}  // namespace

// --- ScriptStep -------------------------------------------------------------------------------

ScriptStep ScriptStep::json(int status, const Json& body) {
  ScriptStep step;
  step.status = status;
  step.body = body.dump();
  return step;
}

ScriptStep ScriptStep::error(int status, const std::string& message) {
  return json(status, Json{{"type", "error"}, {"error", {{"type", "scripted_error"}, {"message", message}}}});
}

ScriptStep ScriptStep::events(std::string stream) {
  ScriptStep step;
  step.content_type = "text/event-stream";
  step.chunks.push_back(SseChunk{std::move(stream), 0ms});
  return step;
}

ScriptStep& ScriptStep::split_at(const std::vector<size_t>& offsets) {
  const std::string bytes = all_bytes(chunks, body);
  chunks.clear();
  size_t start = 0;
  for (const size_t offset : offsets) {
    if (offset <= start || offset >= bytes.size()) continue;
    chunks.push_back(SseChunk{bytes.substr(start, offset - start), 0ms});
    start = offset;
  }
  chunks.push_back(SseChunk{bytes.substr(start), 0ms});
  return *this;
}

ScriptStep& ScriptStep::split_every(size_t n, std::chrono::milliseconds delay) {
  const std::string bytes = all_bytes(chunks, body);
  chunks.clear();
  for (size_t start = 0; start < bytes.size(); start += n) chunks.push_back(SseChunk{bytes.substr(start, n), delay});
  return *this;
}

ScriptStep& ScriptStep::drop_after(size_t bytes) {
  const std::string all = all_bytes(chunks, body);
  chunks = {SseChunk{all.substr(0, bytes), 0ms}};
  ending = StreamEnding::drop;
  return *this;
}

ScriptStep& ScriptStep::stall_after(size_t bytes, std::chrono::milliseconds stall) {
  const std::string all = all_bytes(chunks, body);
  chunks = {SseChunk{all.substr(0, bytes), 0ms}};
  ending = StreamEnding::stall;
  stall_for = stall;
  return *this;
}

ScriptStep& ScriptStep::with_header(std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

ScriptStep& ScriptStep::expecting(RequestExpectation expectation) {
  expect = std::move(expectation);
  return *this;
}

// --- RecordedRequest --------------------------------------------------------------------------

Json RecordedRequest::json() const {
  const Json parsed = Json::parse(body, nullptr, false);
  return parsed.is_discarded() ? Json(nullptr) : parsed;
}

std::optional<std::string> RecordedRequest::header(std::string_view name) const {
  const std::string wanted = to_lower(name);
  for (const auto& [key, value] : headers)
    if (key == wanted) return value;
  return std::nullopt;
}

// --- ScriptedLlmServer ------------------------------------------------------------------------

struct ScriptedLlmServer::Impl {
  httplib::Server server;
  std::thread thread;
  int port = 0;
  std::atomic<bool> stopping{false};
  mutable std::mutex mutex;
  std::deque<ScriptStep> steps;
  std::vector<RecordedRequest> requests;
  std::vector<std::string> failures;

  void handle(const httplib::Request& request, httplib::Response& response) {
    RecordedRequest recorded{request.method, request.path, request.body, {}};
    for (const auto& [name, value] : request.headers) recorded.headers.emplace_back(to_lower(name), value);
    std::optional<ScriptStep> step;
    std::string failure;
    {
      std::lock_guard lock(mutex);
      requests.push_back(recorded);
      if (steps.empty()) {
        failure = "request " + std::to_string(requests.size()) + " (" + request.path + ") has no script step";
      } else {
        step = std::move(steps.front());
        steps.pop_front();
        if (const auto mismatch = check(*step, recorded))
          failure = "request " + std::to_string(requests.size()) + ": " + *mismatch;
      }
      if (!failure.empty()) failures.push_back(failure);
    }
    if (!failure.empty()) {
      response.status = step ? 400 : 500;
      response.set_content(Json{{"error", {{"type", "scripted_server"}, {"message", "scripted server: " + failure}}}}.dump(),
                           "application/json");
      return;
    }
    response.status = step->status;
    for (const auto& [name, value] : step->headers) response.set_header(name, value);
    if (step->chunks.empty() && step->ending == StreamEnding::finish) {
      response.set_content(step->body, step->content_type);
      return;
    }
    struct Playback {
      std::vector<SseChunk> chunks;
      size_t next = 0;
      StreamEnding ending;
      std::chrono::milliseconds stall_for;
    };
    auto playback = std::make_shared<Playback>(Playback{std::move(step->chunks), 0, step->ending, step->stall_for});
    response.set_chunked_content_provider(step->content_type, [this, playback](size_t, httplib::DataSink& sink) {
      if (playback->next < playback->chunks.size()) {
        const SseChunk& chunk = playback->chunks[playback->next++];
        if (!nap(chunk.delay, stopping)) return false;
        return chunk.bytes.empty() || sink.write(chunk.bytes.data(), chunk.bytes.size());
      }
      switch (playback->ending) {
        case StreamEnding::finish:
          sink.done();
          return true;
        case StreamEnding::drop:
          return false;  // httplib closes the connection without the terminating chunk
        case StreamEnding::stall:
          nap(playback->stall_for, stopping);
          return false;
      }
      return false;
    });
  }
};

ScriptedLlmServer::ScriptedLlmServer() : m_impl(std::make_unique<Impl>()) {
  Impl& impl = *m_impl;
  impl.server.set_tcp_nodelay(true);
  impl.server.set_keep_alive_max_count(1);
  impl.server.Post(".*", [&impl](const httplib::Request& request, httplib::Response& response) {
    impl.handle(request, response);
  });
  impl.port = impl.server.bind_to_any_port("127.0.0.1");
  if (impl.port <= 0) throw Error(Errc::io, "scripted LLM server: cannot bind a loopback port");
  impl.thread = std::thread([&impl] { impl.server.listen_after_bind(); });
  // httplib's stop() does nothing until the accept loop has started, so wait for it: a test
  // that never sends a request must still be able to stop the server.
  while (!impl.server.is_running()) std::this_thread::sleep_for(1ms);
}

ScriptedLlmServer::~ScriptedLlmServer() { stop(); }

void ScriptedLlmServer::stop() {
  if (!m_impl->thread.joinable()) return;
  m_impl->stopping = true;
  m_impl->server.stop();
  m_impl->thread.join();
}

ScriptedLlmServer& ScriptedLlmServer::push(ScriptStep step) {
  std::lock_guard lock(m_impl->mutex);
  m_impl->steps.push_back(std::move(step));
  return *this;
}

int ScriptedLlmServer::port() const { return m_impl->port; }

std::string ScriptedLlmServer::base_url() const { return "http://127.0.0.1:" + std::to_string(m_impl->port) + "/v1"; }

std::vector<RecordedRequest> ScriptedLlmServer::requests() const {
  std::lock_guard lock(m_impl->mutex);
  return m_impl->requests;
}

std::vector<std::string> ScriptedLlmServer::failures() const {
  std::lock_guard lock(m_impl->mutex);
  return m_impl->failures;
}

size_t ScriptedLlmServer::steps_left() const {
  std::lock_guard lock(m_impl->mutex);
  return m_impl->steps.size();
}

std::string refused_base_url() {
  // Bind a free port and release it: nothing listens there afterwards.
  Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) throw_errno("cannot create a socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) throw_errno("cannot bind a socket");
  socklen_t length = sizeof address;
  if (::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&address), &length) != 0) throw_errno("getsockname");
  return "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/v1";
}

// --- stream writers ---------------------------------------------------------------------------

namespace {

// `text` in n pieces of about equal size, never splitting a UTF-8 sequence.
std::vector<std::string> fragments_of(const std::string& text, int n) {
  std::vector<std::string> pieces;
  if (n <= 1 || text.size() < 2) return {text};
  const size_t size = std::max<size_t>(1, text.size() / static_cast<size_t>(n));
  size_t start = 0;
  for (int i = 0; i < n - 1 && start < text.size(); ++i) {
    size_t end = std::min(text.size(), start + size);
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
    pieces.push_back(text.substr(start, end - start));
    start = end;
  }
  if (start < text.size()) pieces.push_back(text.substr(start));
  return pieces;
}

std::string data_event(const Json& data) { return "data: " + data.dump() + "\n\n"; }

std::string named_event(const std::string& name, const Json& data) {
  return "event: " + name + "\ndata: " + data.dump() + "\n\n";
}

}  // namespace

std::string openai_stream(const ScriptedAnswer& answer) {
  const bool with_usage = answer.usage.has_value();
  auto chunk = [&](Json delta, Json finish_reason = nullptr) {
    Json data{{"id", "chatcmpl-scripted"},
              {"object", "chat.completion.chunk"},
              {"created", 1700000000},
              {"model", "scripted"},
              {"choices", Json::array({Json{{"index", 0}, {"delta", std::move(delta)}, {"finish_reason", finish_reason}}})}};
    if (with_usage) data["usage"] = nullptr;  // with include_usage, every other chunk has usage: null
    return data_event(data);
  };
  std::string stream = chunk(Json{{"role", "assistant"}, {"content", ""}});
  for (const auto& piece : answer.thinking) stream += chunk(Json{{answer.reasoning_field, piece}});
  for (const auto& piece : answer.text) stream += chunk(Json{{"content", piece}});

  // Each call: a first fragment with id, type and name, then the argument pieces.
  std::vector<std::vector<Json>> per_call;
  for (size_t index = 0; index < answer.tool_calls.size(); ++index) {
    const auto& call = answer.tool_calls[index];
    std::vector<Json> fragments;
    fragments.push_back(Json{{"index", index},
                             {"id", call.id},
                             {"type", "function"},
                             {"function", {{"name", call.name}, {"arguments", ""}}}});
    for (const auto& piece : fragments_of(call.arguments, call.fragments))
      fragments.push_back(Json{{"index", index}, {"function", {{"arguments", piece}}}});
    per_call.push_back(std::move(fragments));
  }
  if (answer.interleave_tool_calls) {
    for (size_t round = 0;; ++round) {
      bool any = false;
      for (const auto& fragments : per_call) {
        if (round >= fragments.size()) continue;
        stream += chunk(Json{{"tool_calls", Json::array({fragments[round]})}});
        any = true;
      }
      if (!any) break;
    }
  } else {
    for (const auto& fragments : per_call)
      for (const auto& fragment : fragments) stream += chunk(Json{{"tool_calls", Json::array({fragment})}});
  }
  const std::string finish = !answer.finish_reason.empty() ? answer.finish_reason
                             : answer.tool_calls.empty()   ? "stop"
                                                           : "tool_calls";
  stream += chunk(Json::object(), finish);
  if (with_usage) {
    stream += data_event(Json{{"id", "chatcmpl-scripted"},
                              {"object", "chat.completion.chunk"},
                              {"created", 1700000000},
                              {"model", "scripted"},
                              {"choices", Json::array()},
                              {"usage",
                               {{"prompt_tokens", answer.usage->first},
                                {"completion_tokens", answer.usage->second},
                                {"total_tokens", answer.usage->first + answer.usage->second}}}});
  }
  if (answer.terminator) stream += "data: [DONE]\n\n";
  return stream;
}

std::string anthropic_stream(const ScriptedAnswer& answer) {
  const long prompt = answer.usage ? answer.usage->first : 0;
  const long completion = answer.usage ? answer.usage->second : 0;
  std::string stream = named_event(
      "message_start",
      Json{{"type", "message_start"},
           {"message",
            {{"id", "msg_scripted"},
             {"type", "message"},
             {"role", "assistant"},
             {"model", "scripted"},
             {"content", Json::array()},
             {"stop_reason", nullptr},
             {"stop_sequence", nullptr},
             {"usage", {{"input_tokens", prompt}, {"output_tokens", 1}}}}}});
  stream += named_event("ping", Json{{"type", "ping"}});
  long index = 0;
  auto block = [&](const Json& start, const std::vector<Json>& deltas) {
    stream += named_event("content_block_start", Json{{"type", "content_block_start"}, {"index", index}, {"content_block", start}});
    for (const auto& delta : deltas)
      stream += named_event("content_block_delta", Json{{"type", "content_block_delta"}, {"index", index}, {"delta", delta}});
    stream += named_event("content_block_stop", Json{{"type", "content_block_stop"}, {"index", index}});
    ++index;
  };
  if (!answer.thinking.empty()) {
    std::vector<Json> deltas;
    for (const auto& piece : answer.thinking) deltas.push_back(Json{{"type", "thinking_delta"}, {"thinking", piece}});
    deltas.push_back(Json{{"type", "signature_delta"}, {"signature", "c2NyaXB0ZWQ="}});
    block(Json{{"type", "thinking"}, {"thinking", ""}, {"signature", ""}}, deltas);
  }
  if (!answer.text.empty()) {
    std::vector<Json> deltas;
    for (const auto& piece : answer.text) deltas.push_back(Json{{"type", "text_delta"}, {"text", piece}});
    block(Json{{"type", "text"}, {"text", ""}}, deltas);
  }
  for (const auto& call : answer.tool_calls) {
    std::vector<Json> deltas{Json{{"type", "input_json_delta"}, {"partial_json", ""}}};
    for (const auto& piece : fragments_of(call.arguments, call.fragments))
      deltas.push_back(Json{{"type", "input_json_delta"}, {"partial_json", piece}});
    block(Json{{"type", "tool_use"}, {"id", call.id}, {"name", call.name}, {"input", Json::object()}}, deltas);
  }
  const std::string stop = !answer.finish_reason.empty() ? answer.finish_reason
                           : answer.tool_calls.empty()   ? "end_turn"
                                                         : "tool_use";
  stream += named_event("message_delta", Json{{"type", "message_delta"},
                                              {"delta", {{"stop_reason", stop}, {"stop_sequence", nullptr}}},
                                              {"usage", {{"output_tokens", completion}}}});
  if (answer.terminator) stream += named_event("message_stop", Json{{"type", "message_stop"}});
  return stream;
}

}  // namespace agntos::testing
