// SPDX-License-Identifier: MIT
#include "agntd/turn.h"

#include <map>
#include <set>

#include "common/ids.h"

namespace agntd {
namespace {

using llm::Message;
using llm::Role;

class ObserverSink : public llm::StreamSink {
public:
  explicit ObserverSink(TurnObserver& observer) : m_observer(observer) {}
  void on_token(std::string_view text, llm::Channel channel) override { m_observer.on_token(text, channel); }
  void on_usage(const llm::Usage& usage) override { m_observer.on_usage(usage); }

private:
  TurnObserver& m_observer;
};

Message tool_message(const llm::ToolCall& call, std::string content) {
  Message message;
  message.role = Role::tool;
  message.content = std::move(content);
  message.tool_call_id = call.id;
  message.name = call.name;
  return message;
}

// The recent part of the history, starting at a user message so that no tool result is
// separated from its call.
std::vector<Message> recent(const std::vector<Message>& messages, size_t limit) {
  if (messages.size() <= limit) return messages;
  size_t start = messages.size() - limit;
  while (start < messages.size() && messages[start].role != Role::user) ++start;
  if (start == messages.size()) start = messages.size() - 1;
  return std::vector<Message>(messages.begin() + static_cast<long>(start), messages.end());
}

std::string tool_names() {
  std::string names;
  for (const auto& tool : tool_table()) names += std::string(names.empty() ? "" : ", ") + tool.name;
  return names;
}

ToolOutcome run_call(const llm::ToolCall& call, const Json& args, const TurnInputs& inputs) {
  const ToolSpec* tool = find_tool(call.name);
  if (!tool) return tool_failure("unknown_tool", "there is no tool '" + call.name + "'; the tools are " + tool_names());
  ToolContext context = inputs.context;
  if (needs_approval(*tool, args)) {
    ApprovalRequest request;
    try {
      request = inputs.tools.describe(*tool, args);
    } catch (const agntos::Error& e) {
      return tool_failure(e.code_name(), e.what());
    }
    request.request_id = agntos::make_id("r");
    const auto decision = inputs.observer.request_approval(request, inputs.cancel);
    if (!decision.approved)
      return tool_failure("denied", "not approved: " + decision.reason + ". Nothing was changed" +
                                        (request.proposal_id ? "; " + *request.proposal_id + " is still pending" : "") +
                                        ". Do not retry unless the user asks.");
    context.approved_by = decision.approved_by;
    context.approved_digest = request.digest;
    context.approved_system = request.store_path;
  }
  // Rebuild output arrives in pieces as small as one character: pass it on by whole lines.
  std::string pending;
  auto progress = [&](std::string_view text) {
    pending += text;
    const auto newline = pending.rfind('\n');
    if (newline != std::string::npos) {
      inputs.observer.on_progress(std::string_view(pending).substr(0, newline + 1));
      pending.erase(0, newline + 1);
    } else if (pending.size() > 4096) {
      inputs.observer.on_progress(pending);
      pending.clear();
    }
  };
  auto outcome = inputs.tools.execute(*tool, args, context, inputs.cancel, progress);
  if (!pending.empty()) inputs.observer.on_progress(pending + "\n");
  if (context.approved_by)
    if (const auto needed = confirm_needed_of(outcome)) inputs.observer.on_confirm_needed(*needed);
  return outcome;
}

}  // namespace

void TurnObserver::on_token(std::string_view, llm::Channel) {}
void TurnObserver::on_tool_call(const llm::ToolCall&, const Json&) {}
void TurnObserver::on_tool_result(const llm::ToolCall&, const ToolOutcome&) {}
void TurnObserver::on_progress(std::string_view) {}
void TurnObserver::on_usage(const llm::Usage&) {}
void TurnObserver::on_confirm_needed(const ConfirmNeeded&) {}

void Conversation::append(Message message) {
  if (record) record(message);
  messages.push_back(std::move(message));
  ++total;
}

void Conversation::keep_recent(size_t limit) {
  if (messages.size() <= limit) return;
  // From the last user message at or before the window's start: what recent() sends is always
  // inside what is kept, and the kept history never starts with a tool result or an answer.
  size_t start = messages.size() - limit;
  while (start > 0 && messages[start].role != Role::user) --start;
  if (messages[start].role != Role::user) return;  // no user message at all: nothing can go
  messages.erase(messages.begin(), messages.begin() + static_cast<long>(start));
}

void repair_history(std::vector<Message>& messages) {
  std::vector<Message> repaired;
  repaired.reserve(messages.size());
  for (size_t i = 0; i < messages.size(); ++i) {
    repaired.push_back(messages[i]);
    if (messages[i].role != Role::assistant || messages[i].tool_calls.empty()) continue;
    std::set<std::string> answered;
    size_t j = i + 1;
    for (; j < messages.size() && messages[j].role == Role::tool; ++j) {
      answered.insert(messages[j].tool_call_id);
      repaired.push_back(messages[j]);
    }
    for (const auto& call : messages[i].tool_calls)
      if (!answered.count(call.id))
        repaired.push_back(tool_message(call, tool_failure("interrupted", "not run: the daemon stopped first").text));
    i = j - 1;
  }
  messages = std::move(repaired);
}

TurnResult run_turn(Conversation& conversation, const std::string& user_text, const TurnInputs& inputs) {
  TurnInputs turn = inputs;
  turn.context.user_prompt = user_text;
  conversation.keep_recent(inputs.limits.history_messages);
  conversation.append(Message{Role::user, user_text, {}, {}, {}});

  TurnResult result;
  ObserverSink sink(inputs.observer);
  std::map<std::string, int> call_counts;
  int failures_in_row = 0;
  auto finish = [&](TurnEnd end, std::string content) {
    result.end = end;
    result.content = std::move(content);
    conversation.append(Message{Role::assistant, result.content, {}, {}, {}});
    return result;
  };
  auto cancelled = [&](const std::string& partial) {
    return finish(TurnEnd::cancelled, partial + (partial.empty() ? "" : "\n") + "[cancelled by the user]");
  };

  for (;;) {
    if (inputs.cancel) return cancelled("");
    if (result.rounds >= inputs.limits.max_rounds)
      return finish(TurnEnd::stopped, "Stopped: this turn used all " + std::to_string(inputs.limits.max_rounds) +
                                          " LLM rounds ([limits] max_rounds in agntos.toml) without a final answer.");

    llm::ChatRequest request;
    request.messages.push_back(Message{Role::system, inputs.system_prompt, {}, {}, {}});
    for (auto& message : recent(conversation.messages, inputs.limits.history_messages))
      request.messages.push_back(std::move(message));
    request.tools = tool_schemas();
    llm::ChatResponse response;
    try {
      response = inputs.provider.chat(request, sink, inputs.cancel);
    } catch (const std::exception& e) {
      ++result.rounds;
      result.error = e.what();
      return finish(TurnEnd::failed, std::string("(no answer: ") + e.what() + ")");
    }
    ++result.rounds;
    if (response.finish_reason == "cancelled" || inputs.cancel) return cancelled(response.content);

    conversation.append(Message{Role::assistant, response.content, response.tool_calls, {}, {}});
    if (response.tool_calls.empty()) {
      result.end = TurnEnd::answered;
      result.content = response.content;
      return result;
    }

    std::optional<std::string> stop;
    bool was_cancelled = false;
    for (const auto& call : response.tool_calls) {
      if (stop || was_cancelled) {
        conversation.append(tool_message(call, tool_failure("not_run", stop ? "not run: " + *stop : "not run: cancelled").text));
        continue;
      }
      ++result.tool_calls;
      Json args = Json::object();
      ToolOutcome outcome;
      bool valid_args = true;
      try {
        args = Json::parse(call.arguments_json.empty() ? "{}" : call.arguments_json);
        if (!args.is_object()) throw std::runtime_error("not an object");
      } catch (const std::exception&) {
        valid_args = false;
        outcome = tool_failure("invalid_arguments", "the arguments of " + call.name + " are not a JSON object");
      }
      inputs.observer.on_tool_call(call, args);
      const std::string signature = call.name + " " + agntos::dump_json(args);
      if (valid_args && ++call_counts[signature] >= inputs.limits.same_call_limit) {
        stop = "the model called " + call.name + " with the same arguments " +
               std::to_string(inputs.limits.same_call_limit) + " times; it looks stuck";
        outcome = tool_failure("repeated_call", "not run: " + *stop);
      } else if (valid_args) {
        outcome = run_call(call, args, turn);
      }
      inputs.observer.on_tool_result(call, outcome);
      conversation.append(tool_message(call, outcome.text));
      if (inputs.cancel) {
        was_cancelled = true;
        continue;
      }
      if (outcome.success) {
        failures_in_row = 0;
      } else if (!stop && ++failures_in_row >= inputs.limits.failure_limit) {
        stop = std::to_string(failures_in_row) + " tool calls failed in a row (last: " + call.name + ": " +
               tool_error_message(outcome) + ")";
      }
    }
    if (was_cancelled) return cancelled(response.content);
    if (stop) return finish(TurnEnd::stopped, "Stopped: " + *stop + ".");
  }
}

}  // namespace agntd
