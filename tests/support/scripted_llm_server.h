// SPDX-License-Identifier: MIT
#pragma once
// A scripted LLM endpoint on loopback, for tests of the providers and the daemon.
//
// The server listens on 127.0.0.1 on a free port and answers the Nth POST with the Nth step
// of its script, whatever the path. A step may check the request (path, substrings or JSON
// values of the body, headers) and answers with a status, headers and either a whole body or
// an event stream sent as raw chunks, each after an optional delay, so a test decides exactly
// where the bytes are split. After the chunks a stream may end normally, break the connection
// (no terminating chunk) or stall. Every request is recorded for assertions; a failed
// expectation or a request beyond the script is answered with an error and recorded in
// failures(), so a test ends with EXPECT_TRUE(server.failures().empty()).
//
// openai_stream() and anthropic_stream() write the event stream of a whole answer (thinking,
// text tokens, tool calls with arguments in N fragments, usage) in each provider's exact
// format, so scripts stay short:
//
//   ScriptedLlmServer server;
//   server.push(ScriptStep::events(openai_stream({.text = {"Hel", "lo"}})).split_every(3));
//   server.push(ScriptStep::error(429, "slow down").with_header("Retry-After", "1"));

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/json.h"

namespace agntos::testing {

struct SseChunk {
  std::string bytes;
  std::chrono::milliseconds delay{0};  // waited before sending these bytes
};

struct RequestExpectation {
  // Every member has an initializer so that tests can name only what they check.
  std::optional<std::string> path{};                        // e.g. "/v1/chat/completions"
  std::vector<std::string> body_contains{};                 // substrings of the raw body
  std::vector<std::pair<std::string, Json>> body_equals{};  // JSON pointer -> expected value
  std::vector<std::string> headers_present{};               // names, any case
  std::vector<std::string> headers_absent{};
  std::vector<std::pair<std::string, std::string>> header_equals{};
};

enum class StreamEnding {
  finish,  // the chunked body ends properly
  drop,    // the connection closes without the final chunk
  stall,   // nothing more is sent for stall_for, then the connection closes
};

struct ScriptStep {
  RequestExpectation expect;
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string content_type = "application/json";
  std::string body;             // sent whole when `chunks` is empty
  std::vector<SseChunk> chunks;  // sent one by one (chunked transfer encoding)
  StreamEnding ending = StreamEnding::finish;
  std::chrono::milliseconds stall_for{std::chrono::seconds(60)};

  // A JSON answer.
  static ScriptStep json(int status, const Json& body);
  // An error answer in the shape both APIs use: {"error":{"type","message"}}.
  static ScriptStep error(int status, const std::string& message);
  // An event stream (text/event-stream), sent as one chunk until split.
  static ScriptStep events(std::string stream);

  // Re-splits all chunk bytes at these absolute offsets (ascending).
  ScriptStep& split_at(const std::vector<size_t>& offsets);
  // Re-splits all chunk bytes into pieces of n bytes, each sent after `delay`.
  ScriptStep& split_every(size_t n, std::chrono::milliseconds delay = std::chrono::milliseconds(0));
  // Ends after the first `bytes` bytes of the stream by dropping the connection.
  ScriptStep& drop_after(size_t bytes);
  // Sends the first `bytes` bytes of the stream, then stalls.
  ScriptStep& stall_after(size_t bytes, std::chrono::milliseconds stall = std::chrono::seconds(60));
  ScriptStep& with_header(std::string name, std::string value);
  ScriptStep& expecting(RequestExpectation expectation);
};

struct RecordedRequest {
  std::string method;
  std::string path;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // names lowercase
  // The body parsed as JSON (null when it is not JSON).
  Json json() const;
  // The first value of a header, any case.
  std::optional<std::string> header(std::string_view name) const;
};

class ScriptedLlmServer {
public:
  ScriptedLlmServer();
  ScriptedLlmServer(const ScriptedLlmServer&) = delete;
  ScriptedLlmServer& operator=(const ScriptedLlmServer&) = delete;
  ~ScriptedLlmServer();

  ScriptedLlmServer& push(ScriptStep step);
  int port() const;
  // "http://127.0.0.1:PORT/v1": what a models.toml endpoint would say.
  std::string base_url() const;
  std::vector<RecordedRequest> requests() const;
  // Expectations that failed and requests the script had no step for.
  std::vector<std::string> failures() const;
  size_t steps_left() const;
  // Stops listening and ends streams in progress (also done by the destructor).
  void stop();

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

// A loopback URL on which nothing listens (connection refused).
std::string refused_base_url();

// --- answers in each provider's streaming format --------------------------------------------

struct ScriptedToolCall {
  std::string id{};
  std::string name{};
  std::string arguments{};  // JSON text
  int fragments = 1;        // the arguments are sent in this many pieces
};

struct ScriptedAnswer {
  // Every member has an initializer so that tests can name only what they need.
  std::vector<std::string> thinking{};        // one delta each
  std::vector<std::string> text{};            // one delta each
  std::vector<ScriptedToolCall> tool_calls{};
  bool interleave_tool_calls = false;         // OpenAI: fragments of the calls alternate
  std::string reasoning_field = "reasoning_content";  // OpenAI: or "reasoning"
  std::optional<std::pair<long, long>> usage{};  // prompt, completion tokens
  std::string finish_reason{};                // default: tool_calls/tool_use with calls, else stop/end_turn
  bool terminator = true;                   // OpenAI: "data: [DONE]"; Anthropic: message_stop
};

// data: {chat.completion.chunk} events ending with data: [DONE].
std::string openai_stream(const ScriptedAnswer& answer);
// message_start … message_stop with event: lines, as the Messages API sends them.
std::string anthropic_stream(const ScriptedAnswer& answer);

}  // namespace agntos::testing
