// SPDX-License-Identifier: MIT
#include "agntd/repl.h"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <thread>

#include "agntd/server.h"
#include "common/text.h"

namespace agntd {
namespace {

void write_out(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    text.remove_prefix(static_cast<size_t>(n));
  }
}

// Lines from stdin, read with poll so that a wait can be given up (cancel, timeout). One
// reader serves both the prompts and the approval answers, so no input is lost in a buffer.
class LineReader {
public:
  enum class Status { line, end, interrupted };

  Status read(std::string& line, const std::atomic<bool>* cancel = nullptr,
              std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max()) {
    for (;;) {
      if (const auto newline = m_buffer.find('\n'); newline != std::string::npos) {
        line = m_buffer.substr(0, newline);
        m_buffer.erase(0, newline + 1);
        return Status::line;
      }
      if (m_eof) {
        if (m_buffer.empty()) return Status::end;
        line = std::move(m_buffer);
        m_buffer.clear();
        return Status::line;
      }
      int timeout_ms = 100;
      if (deadline != std::chrono::steady_clock::time_point::max()) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        timeout_ms = static_cast<int>(std::clamp<long long>(left.count(), 0, 100));
      }
      pollfd fd{STDIN_FILENO, POLLIN, 0};
      if (::poll(&fd, 1, timeout_ms) > 0) {
        char buffer[4096];
        const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) m_eof = true;
        else m_buffer.append(buffer, static_cast<size_t>(n));
        continue;
      }
      if ((cancel && *cancel) || std::chrono::steady_clock::now() >= deadline) return Status::interrupted;
    }
  }

private:
  std::string m_buffer;
  bool m_eof = false;
};

// Streamed text made inert for the terminal (agntos::visible_text) chunk by chunk: a UTF-8
// sequence cut at the end of a chunk waits for the rest instead of showing as bytes.
class VisibleStream {
public:
  std::string feed(std::string_view chunk) {
    m_pending.append(chunk);
    size_t complete = m_pending.size();
    // At most the last three bytes can be the start of an unfinished sequence.
    for (size_t back = 1; back <= 3 && back <= m_pending.size(); ++back) {
      const auto byte = static_cast<unsigned char>(m_pending[m_pending.size() - back]);
      if ((byte & 0xC0) == 0x80) continue;  // continuation byte: look further back
      const size_t needed = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1;
      if (needed > back) complete = m_pending.size() - back;
      break;
    }
    std::string out = agntos::visible_text(std::string_view(m_pending).substr(0, complete));
    m_pending.erase(0, complete);
    return out;
  }

private:
  std::string m_pending;
};

class ReplObserver : public TurnObserver {
public:
  explicit ReplObserver(LineReader& reader) : m_reader(reader) {}

  // Everything shown here can come from the model, a file or a command: it goes through
  // visible_text, so escape sequences show as "^[" instead of moving the cursor or erasing
  // lines (an approval block must show exactly what is approved).
  void on_token(std::string_view text, llm::Channel channel) override {
    if (channel == llm::Channel::thinking) return;
    write_out(STDOUT_FILENO, m_tokens.feed(text));
    m_streamed = m_streamed || !text.empty();
  }
  void on_tool_call(const llm::ToolCall& call, const Json& args) override {
    if (m_streamed) write_out(STDOUT_FILENO, "\n");
    m_streamed = false;
    write_out(STDERR_FILENO, agntos::visible_text("→ " + call.name + " " + agntos::dump_json(args)) + "\n");
  }
  void on_tool_result(const llm::ToolCall& call, const ToolOutcome& outcome) override {
    write_out(STDERR_FILENO, agntos::visible_text(outcome.success ? "  ✓ " + call.name
                                                                  : "  ✗ " + call.name + ": " + tool_error_message(outcome)) +
                                 "\n");
  }
  void on_progress(std::string_view text) override { write_out(STDERR_FILENO, m_progress.feed(text)); }

  ApprovalDecision request_approval(const ApprovalRequest& request, const std::atomic<bool>& cancel) override {
    write_out(STDERR_FILENO, "\n" + agntos::visible_text(request.summary) + "\n" + agntos::visible_text(request.effect) + "\n" +
                                 (request.closure.empty() ? "" : "\n" + agntos::visible_text(request.closure) + "\n") +
                                 "\n" + agntos::visible_text(request.diff) + (request.diff.ends_with("\n") ? "" : "\n") +
                                 (request.kind == "apply" ? "Apply? [y/N] " : "Roll back? [y/N] "));
    std::string answer;
    const auto deadline = std::chrono::steady_clock::now() + approval_timeout_from_environment();
    const auto status = m_reader.read(answer, &cancel, deadline);
    ApprovalDecision decision;
    if (status != LineReader::Status::line) {
      write_out(STDERR_FILENO, "\n");
      decision.reason = cancel ? "the turn was cancelled" : status == LineReader::Status::end ? "no answer (end of input)"
                                                                                               : "no answer in time";
      return decision;
    }
    const auto word = agntos::to_lower(agntos::trim(answer));
    decision.approved = word == "y" || word == "yes";
    if (decision.approved) decision.approved_by = "tty";
    else decision.reason = "denied by the user";
    return decision;
  }

  bool streamed() const { return m_streamed; }

private:
  LineReader& m_reader;
  VisibleStream m_tokens;
  VisibleStream m_progress;
  bool m_streamed = false;
};

}  // namespace

int run_repl(Agent& agent, int signal_fd) {
  auto session = agent.create_session();
  write_out(STDERR_FILENO, "agntd REPL: session " + session->id + ", model " +
                               (session->profile.model.empty() ? std::string(agntos::provider_name(session->profile.provider))
                                                               : session->profile.model) +
                               ". One request per line; Ctrl-C cancels a turn, Ctrl-D quits.\n");
  const bool interactive = ::isatty(STDIN_FILENO);
  LineReader reader;
  for (;;) {
    if (interactive) write_out(STDERR_FILENO, "> ");
    std::string line;
    // Between turns a signal ends the REPL.
    std::atomic<bool> stop{false};
    LineReader::Status status;
    {
      pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {signal_fd, POLLIN, 0}};
      for (;;) {
        status = reader.read(line, &stop, std::chrono::steady_clock::now());
        if (status != LineReader::Status::interrupted) break;
        ::poll(fds, 2, -1);
        if (fds[1].revents) return 0;
      }
    }
    if (status == LineReader::Status::end) return 0;
    if (agntos::trim(line).empty()) continue;

    std::atomic<bool> cancel{false};
    std::atomic<bool> done{false};
    bool terminate = false;
    ReplObserver observer(reader);
    TurnResult result;
    std::thread turn([&] {
      try {
        result = agent.run_turn(*session, line, observer, cancel);
      } catch (const std::exception& e) {
        result.end = TurnEnd::failed;
        result.error = e.what();
      }
      done = true;
    });
    while (!done) {
      pollfd fd{signal_fd, POLLIN, 0};
      if (::poll(&fd, 1, 50) > 0) {
        char signal_number = 0;
        if (::read(signal_fd, &signal_number, 1) == 1) {
          cancel = true;
          terminate = terminate || signal_number != SIGINT;
        }
      }
    }
    turn.join();
    switch (result.end) {
      case TurnEnd::answered:
        write_out(STDOUT_FILENO, observer.streamed() ? "\n" : agntos::visible_text(result.content) + "\n");
        break;
      case TurnEnd::failed:
        write_out(STDERR_FILENO, "error: " + agntos::visible_text(result.error) + "\n");
        break;
      case TurnEnd::stopped:
      case TurnEnd::cancelled:
        write_out(STDOUT_FILENO, (observer.streamed() ? "\n" : "") + agntos::visible_text(result.content) + "\n");
        break;
    }
    if (terminate) return 0;
  }
}

}  // namespace agntd
