// SPDX-License-Identifier: MIT
#pragma once
// One turn of the agent (SPEC §6.2): the user's message, then LLM rounds and tool calls until
// the model answers without calling a tool.
//
// Guards end a turn early with a message that says why: more than [limits] max_rounds LLM
// rounds, the same call (name and arguments) made a third time, five failed tool calls in a
// row. A cancel stops the LLM request (the flag is passed to Provider::chat) and kills a
// running tool (ProcessOptions::cancel), and the turn ends at once.
//
// Gated calls (tools.h: apply, rollback undo|generation) go through the approval gate: the
// executor describes the change, the observer asks the user and blocks until the answer, and
// only a yes runs the tool, with --yes --approved-by <who>. A no, a timeout, a cancel or no
// one to ask is a failed tool result that tells the model what happened. When the change it
// activated waits for confirmation, the observer hears of it (on_confirm_needed); the turn
// never confirms it.
//
// Every message the turn adds (user, assistant, tool) goes through Conversation::append, so
// the history is stored as it grows and stays valid for the next turn: every tool call gets a
// tool result, even calls a guard or a cancel did not run.

#include <atomic>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "agntd/llm/provider.h"
#include "agntd/tool_runner.h"
#include "agntd/tools.h"

namespace agntd {

// Where a turn reports what happens. The defaults ignore everything except approval, which
// must be decided by someone.
class TurnObserver {
public:
  virtual ~TurnObserver() = default;
  virtual void on_token(std::string_view text, llm::Channel channel);
  virtual void on_tool_call(const llm::ToolCall& call, const Json& args);
  virtual void on_tool_result(const llm::ToolCall& call, const ToolOutcome& outcome);
  virtual void on_progress(std::string_view text);
  virtual void on_usage(const llm::Usage& usage);
  // An approved apply or rollback armed a confirm-or-revert timer (before its tool result).
  virtual void on_confirm_needed(const ConfirmNeeded& needed);
  // Asks the user and blocks until they decide. Returns a denial (with the reason) when
  // `cancel` becomes true, on timeout, or when there is no one to ask.
  virtual ApprovalDecision request_approval(const ApprovalRequest& request, const std::atomic<bool>& cancel) = 0;
};

// A session's conversation. `record` stores each appended message (may be empty), so sessions.db
// has all of them; `messages` holds only the recent part a turn can send (TurnLimits::
// history_messages, cut at a user message, plus the turn under way), so a session's memory
// stays flat however long it runs. `total` counts every message, held or not.
struct Conversation {
  std::vector<llm::Message> messages;
  std::function<void(const llm::Message&)> record;
  size_t total = 0;

  void append(llm::Message message);
  // Drops the messages a turn would no longer send: those before the last user message at or
  // before the most recent `limit`, so what is kept starts with a user message and no tool
  // result is separated from its call.
  void keep_recent(size_t limit);
};

// Gives every assistant tool call without a result a "not run" result, so a history cut
// short by a crash can be sent to a model again.
void repair_history(std::vector<llm::Message>& messages);

struct TurnLimits {
  long max_rounds = 48;
  int same_call_limit = 3;       // the call is refused when made this many times
  int failure_limit = 5;         // failed tool calls in a row
  size_t history_messages = 200; // most recent messages sent (cut at a user message)
};

enum class TurnEnd { answered, stopped, cancelled, failed };
// "answered", "stopped", "cancelled", "failed": the protocol's and the log's word for it.
constexpr std::string_view turn_end_name(TurnEnd end) {
  switch (end) {
    case TurnEnd::answered: return "answered";
    case TurnEnd::stopped: return "stopped";
    case TurnEnd::cancelled: return "cancelled";
    case TurnEnd::failed: return "failed";
  }
  return "answered";
}

struct TurnResult {
  TurnEnd end = TurnEnd::answered;
  std::string content;  // the answer; for stopped/cancelled/failed, what the user is told
  std::string error;    // failed: the error (LLM endpoint unreachable, ...)
  int rounds = 0;
  int tool_calls = 0;
};

struct TurnInputs {
  llm::Provider& provider;
  ToolExecutor& tools;
  TurnObserver& observer;
  const std::atomic<bool>& cancel;
  std::string system_prompt;
  ToolContext context;  // user_prompt is set by run_turn
  TurnLimits limits;
};

TurnResult run_turn(Conversation& conversation, const std::string& user_text, const TurnInputs& inputs);

}  // namespace agntd
