// SPDX-License-Identifier: MIT
#include "agntd/llm/offline/offline_provider.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <regex>

#include "agntd/llm/offline/grammar.h"
#include "agntd/llm/offline/tasks.h"
#include "common/text.h"

namespace agntd {
namespace {

using agntos::Json;
using llm::Message;
using llm::Role;
using offline::Request;
using Kind = offline::Request::Kind;

constexpr size_t kMaxRequests = 3;
constexpr std::string_view kIntroduction =
    "(I'm AgntOS's offline assistant: no LLM is configured. Say \"what can you do?\" to see what I understand.)";

// The proposal ids mentioned in `text`, in order.
std::vector<std::string> proposal_ids(const std::string& text) {
  static const std::regex pattern("p-[0-9a-f]{6,}");
  std::vector<std::string> ids;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern); it != std::sregex_iterator(); ++it)
    ids.push_back(it->str());
  return ids;
}

// The proposal a "yes" means: the newest one the conversation mentions that is still pending
// (the system prompt lists the pending ones), else the newest pending one.
std::string latest_proposal(const std::vector<Message>& messages) {
  std::vector<std::string> pending;
  if (!messages.empty() && messages.front().role == Role::system) {
    const auto& prompt = messages.front().content;
    const auto at = prompt.find("## Pending proposals");
    if (at != std::string::npos) {
      const auto end = prompt.find("\n## ", at + 1);
      pending = proposal_ids(prompt.substr(at, end == std::string::npos ? std::string::npos : end - at));
    }
  }
  for (auto it = messages.rbegin(); it != messages.rend(); ++it) {
    if (it->role == Role::system) continue;
    auto ids = proposal_ids(it->content);
    for (const auto& call : it->tool_calls) {
      const auto more = proposal_ids(call.arguments_json);
      ids.insert(ids.end(), more.begin(), more.end());
    }
    for (auto id = ids.rbegin(); id != ids.rend(); ++id)
      if (std::find(pending.begin(), pending.end(), *id) != pending.end()) return *id;
  }
  return pending.empty() ? std::string() : pending.back();
}

Json parse_args(const std::string& text) {
  try {
    auto value = Json::parse(text);
    if (value.is_object()) return value;
  } catch (const std::exception&) {
  }
  return Json::object();
}

// The complete top-level members of a JSON object cut short by the daemon's output cap
// ("[output truncated…]"): a long list of pending proposals must not hide the config dir and
// the module lists that come before it.
Json salvage_members(const std::string& text) {
  Json members = Json::object();
  if (text.empty() || text[0] != '{') return members;
  int depth = 0;
  bool in_string = false;
  size_t start = 1;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '{' || c == '[') ++depth;
    else if (c == '}' || c == ']') --depth;
    if ((c == ',' && depth == 1) || (c == '}' && depth == 0)) {
      try {
        const auto member = Json::parse("{" + text.substr(start, i - start) + "}");
        members.update(member);
      } catch (const std::exception&) {
      }
      start = i + 1;
      if (depth == 0) break;
    }
  }
  return members;
}

Json parse_result(const std::string& text) {
  try {
    auto value = Json::parse(text);
    if (value.is_object()) return value;
  } catch (const std::exception&) {
  }
  Json result = salvage_members(text);
  result["text"] = text;
  return result;
}

// The index of the last user message before `end`, or `end` when there is none.
size_t previous_user(const std::vector<Message>& messages, size_t end) {
  for (size_t i = end; i-- > 0;)
    if (messages[i].role == Role::user) return i;
  return end;
}

// What the previous turn (between the user message before `user` and `user`) noted in memory.
std::string previous_note(const std::vector<Message>& messages, size_t user) {
  const size_t previous = previous_user(messages, user);
  if (previous == user) return "";
  std::string note;
  for (size_t i = previous + 1; i < user; ++i)
    for (const auto& call : messages[i].tool_calls) {
      if (call.name != "memory") continue;
      const auto args = parse_args(call.arguments_json);
      if (args.value("action", "") == "add" && args.contains("content") && args["content"].is_string())
        note = args["content"].get<std::string>();
    }
  return note;
}

// The corrected request of the "Did you mean: …?" the previous answer asked, if it did.
std::string pending_suggestion(const std::vector<Message>& messages, size_t user) {
  for (size_t i = user; i-- > 0;) {
    if (messages[i].role == Role::user) break;
    if (messages[i].role != Role::assistant || messages[i].content.empty()) continue;
    const auto& content = messages[i].content;
    const auto at = content.rfind("Did you mean: ");
    if (at == std::string::npos) return "";
    const auto end = content.find('?', at);
    if (end == std::string::npos) return "";
    return content.substr(at + 14, end - at - 14);
  }
  return "";
}

std::vector<Request> requests_of(const std::vector<Message>& messages, size_t user) {
  auto requests = offline::parse_message(messages[user].content);
  if (requests.size() == 1 && requests.front().kind == Kind::apply && requests.front().subject.empty())
    if (auto suggestion = pending_suggestion(messages, user); !suggestion.empty()) requests = offline::parse_message(suggestion);
  if (requests.size() > kMaxRequests) {
    requests.resize(kMaxRequests);
    Request more;
    more.kind = Kind::said;
    more.text = "That was more than I take in one message, so I stopped after the first three; ask for the rest again.";
    requests.push_back(more);
  }
  return requests;
}

struct Turn {
  std::optional<offline::Call> call;
  std::string text;
};

Turn play(const std::vector<Request>& requests, const std::vector<offline::Step>& steps, const offline::TurnFacts& facts) {
  std::vector<std::string> texts;
  size_t used = 0;
  for (const auto& request : requests) {
    std::vector<offline::Step> mine;
    for (;;) {
      auto next = offline::next_step(request, mine, facts);
      if (!next.call) {
        if (request.kind == Kind::unknown && requests.size() > 1)
          texts.push_back("I didn't understand \"" + request.text +
                          "\" (I'm the offline assistant, so I only follow requests about this machine), so I left it out.");
        else
          texts.push_back(next.text);
        break;
      }
      if (used == steps.size()) return Turn{next.call, ""};
      if (steps[used].tool != next.call->tool)
        return Turn{std::nullopt, "I lost track of this turn (a tool call I did not expect); please ask again."};
      mine.push_back(steps[used++]);
    }
  }
  std::string text;
  for (const auto& part : texts) text += (text.empty() ? "" : "\n") + part;
  return Turn{std::nullopt, text};
}

}  // namespace

OfflineProvider::OfflineProvider(agntos::ModelProfile profile) : m_profile(std::move(profile)) {}

llm::ChatResponse OfflineProvider::chat(const llm::ChatRequest& request, llm::StreamSink& sink, const std::atomic<bool>& cancel) {
  llm::ChatResponse response;
  if (cancel) {
    response.finish_reason = "cancelled";
    return response;
  }
  const auto& messages = request.messages;
  const size_t user = previous_user(messages, messages.size());
  if (user == messages.size()) {
    response.content = "Hello! What can I do for you? " + std::string(kIntroduction);
  } else {
    std::vector<offline::Step> steps;
    std::map<std::string, size_t> by_id;
    size_t tool_messages = 0;
    for (size_t i = 0; i < messages.size(); ++i) {
      if (messages[i].role == Role::tool) ++tool_messages;
      if (i <= user) continue;
      for (const auto& call : messages[i].tool_calls) {
        by_id[call.id] = steps.size();
        steps.push_back(offline::Step{call.name, parse_args(call.arguments_json), Json::object()});
      }
      if (messages[i].role == Role::tool)
        if (auto it = by_id.find(messages[i].tool_call_id); it != by_id.end())
          steps[it->second].result = parse_result(messages[i].content);
    }
    offline::TurnFacts facts;
    facts.message = messages[user].content;
    facts.latest_proposal = latest_proposal(messages);
    facts.last_note = previous_note(messages, user);
    if (const char* path = std::getenv("PATH")) facts.path = path;
    const auto turn = play(requests_of(messages, user), steps, facts);
    if (turn.call) {
      llm::ToolCall call{"offline-" + std::to_string(tool_messages + 1), turn.call->tool, agntos::dump_json(turn.call->args)};
      sink.on_tool_call_complete(call);
      response.tool_calls.push_back(call);
      response.finish_reason = "tool_calls";
      return response;
    }
    response.content = turn.text;
    // Once per session: the first answer says who is answering.
    const bool first_answer = std::none_of(messages.begin(), messages.begin() + static_cast<long>(user),
                                           [](const Message& m) { return m.role == Role::assistant; });
    if (first_answer && response.content.find("offline assistant") == std::string::npos)
      response.content += "\n" + std::string(kIntroduction);
  }
  // Stream the answer line by line, as a model would token by token.
  size_t start = 0;
  while (start < response.content.size()) {
    auto end = response.content.find('\n', start);
    end = end == std::string::npos ? response.content.size() : end + 1;
    sink.on_token(std::string_view(response.content).substr(start, end - start), llm::Channel::content);
    start = end;
  }
  response.finish_reason = "stop";
  return response;
}

}  // namespace agntd
