// SPDX-License-Identifier: MIT
#include "agnt/slash_commands.h"

#include <algorithm>

#include "agnt/chat.h"
#include "common/text.h"

namespace agnt {
namespace {

using agntos::Json;

std::string field(const Json& object, const char* key) {
  if (!object.is_object() || !object.contains(key) || object[key].is_null()) return "";
  return object[key].is_string() ? object[key].get<std::string>() : agntos::dump_json(object[key]);
}

std::string visible(const std::string& text) { return agntos::visible_text(text); }

void run_help(ChatClient& client, const std::string&) {
  const auto& style = client.style();
  std::string text;
  for (const auto& command : slash_commands()) {
    std::string usage = std::string("/") + command.name + (*command.args ? std::string(" ") + command.args : "");
    text += "  " + style.bold() + usage + style.reset() + std::string(usage.size() < 30 ? 30 - usage.size() : 1, ' ') +
            command.summary + "\n";
  }
  text += "  " + style.bold() + "/<skill> [text]" + style.reset() + std::string(15, ' ') +
          "run a skill (/skills lists them)\n";
  text += style.dim() + "Keys: Ctrl-C cancels a turn (twice at the prompt quits), Ctrl-D quits, Tab completes, ↑/↓ history." +
          style.reset() + "\n";
  client.print(text);
}

void run_new(ChatClient& client, const std::string&) { client.start_session(std::nullopt); }

void print_sessions(ChatClient& client, const Json& sessions, bool numbered) {
  const auto& style = client.style();
  std::string text;
  size_t number = 0;
  for (const auto& session : sessions) {
    ++number;
    const auto updated = field(session, "updated_at").substr(0, 16);
    text += (numbered ? std::to_string(number) + ". " : "") + style.bold() + visible(field(session, "id")) + style.reset() +
            style.dim() + " " + visible(updated) + " · " + field(session, "message_count") + " msgs" + style.reset() + "  " +
            visible(field(session, "title")) + "\n";
  }
  if (sessions.empty()) text = style.dim() + "no stored sessions" + style.reset() + "\n";
  client.print(text);
}

void run_sessions(ChatClient& client, const std::string&) {
  if (const auto reply = client.request(Json{{"type", "sessions"}, {"limit", 20}}, "sessions_response"))
    print_sessions(client, reply->value("sessions", Json::array()), false);
}

void run_resume(ChatClient& client, const std::string& args) {
  std::string id = agntos::trim(args);
  if (id.empty()) {
    const auto reply = client.request(Json{{"type", "sessions"}, {"limit", 10}}, "sessions_response");
    if (!reply) return;
    const auto sessions = reply->value("sessions", Json::array());
    print_sessions(client, sessions, true);
    if (sessions.empty()) return;
    const auto choice = client.ask(client.style().bold() + "Resume which? [1-" + std::to_string(sessions.size()) +
                                   ", Enter = none] " + client.style().reset());
    if (!choice || agntos::trim(*choice).empty()) return;
    try {
      const size_t index = std::stoul(agntos::trim(*choice));
      if (index < 1 || index > sessions.size()) throw std::out_of_range("index");
      id = field(sessions[index - 1], "id");
    } catch (const std::exception&) {
      client.print_error("not a number from the list: " + *choice);
      return;
    }
  }
  client.start_session(id);
  if (client.session_id() != id) return;
  // The end of the conversation, so the user sees where it left off.
  const auto history = client.request(Json{{"type", "history"}, {"session_id", id}}, "history_response");
  if (!history) return;
  std::vector<Json> shown;
  for (const auto& message : history->value("messages", Json::array())) {
    const auto role = field(message, "role");
    if ((role == "user" || role == "assistant") && !agntos::trim(field(message, "content")).empty()) shown.push_back(message);
  }
  const auto& style = client.style();
  const size_t first = shown.size() > 4 ? shown.size() - 4 : 0;
  std::string text;
  for (size_t i = first; i < shown.size(); ++i) {
    const auto role = field(shown[i], "role");
    std::string content = agntos::visible_text(agntos::trim(field(shown[i], "content")));
    std::replace(content.begin(), content.end(), '\n', ' ');
    if (content.size() > 200) content = std::string(agntos::utf8_prefix(content, 200)) + "…";
    text += style.dim() + (role == "user" ? "> " : "  ") + content + style.reset() + "\n";
  }
  client.print(text);
}

void run_history(ChatClient& client, const std::string& args) {
  if (agntos::trim(args).empty()) {
    client.print_error("usage: /history <words>");
    return;
  }
  const auto reply = client.request(Json{{"type", "history"}, {"query", agntos::trim(args)}, {"limit", 10}}, "history_response");
  if (!reply) return;
  const auto& style = client.style();
  std::string text;
  for (const auto& hit : reply->value("results", Json::array()))
    text += style.dim() + visible(field(hit, "session_id")) + " " + visible(field(hit, "created_at").substr(0, 16)) + " " +
            visible(field(hit, "role")) + style.reset() + "  " + visible(field(hit, "snippet")) + "\n";
  if (text.empty()) text = style.dim() + "nothing found" + style.reset() + "\n";
  client.print(text);
}

void print_audit(ChatClient& client, const Json& entries) {
  const auto& style = client.style();
  std::string text;
  for (const auto& entry : entries) {
    const auto status = entry.contains("result") ? field(entry["result"], "status") : "";
    text += style.dim() + visible(field(entry, "timestamp").substr(0, 16)) + " " + visible(field(entry, "id")) + style.reset() +
            " " + (status == "Success" || status.empty() ? "" : style.red() + visible(status) + style.reset() + " ") +
            visible(field(entry, "summary"));
    if (const auto prompt = field(entry, "prompt"); !prompt.empty()) text += style.dim() + " — \"" + visible(prompt) + "\"" + style.reset();
    text += "\n";
  }
  if (text.empty()) text = style.dim() + "no audit entries" + style.reset() + "\n";
  client.print(text);
}

void run_audit(ChatClient& client, const std::string& args) {
  const auto words = agntos::split(agntos::trim(args), ' ');
  const std::string action = words.empty() ? "" : words[0];
  const std::string rest = action.empty() ? "" : agntos::trim(std::string_view(args).substr(args.find(action) + action.size()));
  if (action == "why") {
    if (rest.empty()) return client.print_error("usage: /audit why <package, service or option>");
    client.show_agntctl({"audit", "why", "--", rest});
    return;
  }
  Json request{{"type", "audit"}};
  if (action.empty() || action == "list") {
    request["action"] = "list";
    request["limit"] = 15;
  } else if (action == "search") {
    if (rest.empty()) return client.print_error("usage: /audit search <words>");
    request["action"] = "search";
    request["query"] = rest;
    request["limit"] = 15;
  } else if (action == "show") {
    if (rest.empty()) return client.print_error("usage: /audit show <a-id>");
    request["action"] = "show";
    request["id"] = rest;
  } else {
    return client.print_error("usage: /audit [search <words> | show <id> | why <thing>]");
  }
  if (const auto reply = client.request(request, "audit_response")) {
    const auto entries = reply->value("entries", Json::array());
    if (action == "show" && !entries.empty()) client.print(agntos::visible_text(agntos::dump_json(entries[0], 2)) + "\n");
    else print_audit(client, entries);
  }
}

void run_proposals(ChatClient& client, const std::string&) { client.show_agntctl({"proposals"}); }
void run_undo(ChatClient& client, const std::string&) { client.run_turn("undo the last change"); }
void run_generations(ChatClient& client, const std::string&) { client.show_agntctl({"rollback", "list"}); }
void run_memory(ChatClient& client, const std::string&) { client.show_agntctl({"memory", "show"}); }
void run_skills(ChatClient& client, const std::string&) { client.show_agntctl({"skills", "list"}); }
void run_model(ChatClient& client, const std::string&) { client.show_agntctl({"model"}); }

void print_value(std::string& text, const std::string& key, const Json& value, const Style& style, int depth) {
  const std::string indent(static_cast<size_t>(depth) * 2, ' ');
  if (value.is_object()) {
    if (!key.empty()) text += indent + style.bold() + visible(key) + style.reset() + "\n";
    for (const auto& [child, inner] : value.items()) print_value(text, child, inner, style, key.empty() ? depth : depth + 1);
  } else {
    const std::string shown = value.is_string() ? value.get<std::string>() : agntos::dump_json(value);
    text += indent + style.dim() + visible(key) + ":" + style.reset() + " " + visible(shown) + "\n";
  }
}

void run_status(ChatClient& client, const std::string& args) {
  const std::string target = agntos::trim(args).empty() ? "system" : agntos::trim(args);
  if (const auto reply = client.request(Json{{"type", "status"}, {"target", target}}, "status_response")) {
    std::string text;
    print_value(text, "", reply->value("status", Json::object()), client.style(), 0);
    client.print(text);
  }
}

void run_usage(ChatClient& client, const std::string&) {
  const auto& style = client.style();
  client.print("tokens this run: " + agntos::group_thousands(client.prompt_tokens()) + " in · " +
               agntos::group_thousands(client.completion_tokens()) + " out over " + std::to_string(client.turns()) +
               " turn" + (client.turns() == 1 ? "" : "s") + style.dim() +
               " (the offline provider reports none)" + style.reset() + "\n");
}

void run_cancel(ChatClient& client, const std::string&) {
  client.print(client.style().dim() + "no turn is running (during a turn, Ctrl-C cancels it)" + client.style().reset() + "\n");
}

void run_confirm(ChatClient& client, const std::string& args) {
  const std::string id = agntos::trim(args);
  client.confirm_change(id.empty() ? std::nullopt : std::optional<std::string>(id));
}

void run_quit(ChatClient& client, const std::string&) { client.quit(); }

constexpr SlashCommand kCommands[] = {
    {"help", "", "this list", run_help},
    {"new", "", "start a new session", run_new},
    {"resume", "[id]", "resume a session (no id: pick from the recent ones)", run_resume},
    {"sessions", "", "the recent sessions", run_sessions},
    {"history", "<words>", "search every stored message", run_history},
    {"audit", "[search|show|why] [x]", "recent changes; search <words>, show <a-id>, why <thing>", run_audit},
    {"proposals", "", "staged proposals (stale ones say why)", run_proposals},
    {"undo", "", "ask the agent to undo the last change (you approve it)", run_undo},
    {"confirm", "[a-id]", "keep a change its confirm-or-revert timer would revert (agnt does it by itself)", run_confirm},
    {"generations", "", "system generations and the changes that made them", run_generations},
    {"memory", "", "what the agent remembers about you and this machine", run_memory},
    {"skills", "", "the skills, each runs as /<name> [text]", run_skills},
    {"model", "", "the LLM profiles and routing (models.toml)", run_model},
    {"status", "[target]", "system facts: system, cpu, memory, disk, network, nixos, agntos", run_status},
    {"usage", "", "tokens used in this run", run_usage},
    {"cancel", "", "cancel the running turn (Ctrl-C does the same)", run_cancel},
    {"quit", "", "leave agnt (Ctrl-D does the same)", run_quit},
};

}  // namespace

std::span<const SlashCommand> slash_commands() { return kCommands; }

std::optional<std::string> closest_command(std::string_view name, const std::vector<std::string>& skills) {
  std::optional<std::string> best;
  size_t best_distance = std::max<size_t>(3, name.size() / 2) + 1;
  auto consider = [&](const std::string& candidate) {
    const size_t distance = agntos::starts_with(candidate, name) && !name.empty() ? 1 : agntos::edit_distance(name, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  };
  for (const auto& command : kCommands) consider(command.name);
  for (const auto& skill : skills) consider(skill);
  return best;
}

std::vector<std::string> complete_slash(const std::string& prefix, const std::vector<std::string>& skills) {
  std::vector<std::string> out;
  const std::string_view word = std::string_view(prefix).substr(prefix.starts_with("/") ? 1 : 0);
  for (const auto& command : kCommands)
    if (agntos::starts_with(command.name, word)) out.push_back(std::string("/") + command.name);
  for (const auto& skill : skills)
    if (agntos::starts_with(skill, word)) out.push_back("/" + skill);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void dispatch_slash(ChatClient& client, const std::string& line) {
  const auto space = line.find(' ');
  const std::string name = line.substr(1, space == std::string::npos ? std::string::npos : space - 1);
  const std::string args = space == std::string::npos ? "" : agntos::trim(std::string_view(line).substr(space + 1));
  for (const auto& command : kCommands)
    if (name == command.name) return command.run(client, args);
  const auto skills = client.skill_names();
  if (std::find(skills.begin(), skills.end(), name) != skills.end()) {
    const auto skill = client.agntctl_json({"skills", "show", name});
    if (!skill) return;
    std::string prompt = "Follow the skill \"" + name + "\" for this request.\n\n" + skill->value("body", std::string());
    prompt += "\n\nThe user's request: " + (args.empty() ? std::string("(none given: apply the skill to this system)") : args);
    client.print(client.style().dim() + "running skill " + agntos::visible_text(name) + client.style().reset() + "\n");
    return client.run_turn(prompt);
  }
  std::string message = "unknown command /" + agntos::visible_text(name);
  if (const auto closest = closest_command(name, skills)) message += "; did you mean /" + *closest + "?";
  client.print_error(message + " (/help lists them)");
}

}  // namespace agnt
