// SPDX-License-Identifier: MIT
#include "agnt/chat.h"

#include <termios.h>
#include <unistd.h>

#include <cerrno>

#include "agnt/slash_commands.h"
#include "agnt/style.h"
#include "common/error.h"
#include "common/files.h"
#include "common/process.h"
#include "common/text.h"

namespace agnt {
namespace {

using namespace std::chrono_literals;

std::string one_line(std::string_view text, size_t max_width) {
  std::string flat;
  for (char c : text) flat += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  flat = agntos::visible_text(agntos::trim(flat));
  if (display_width(flat) <= max_width) return flat;
  std::string cut;
  size_t width = 0;
  for (size_t i = 0; i < flat.size();) {
    const auto decoded = agntos::decode_utf8_char(flat, i);
    const size_t length = decoded ? decoded->length : 1;
    const size_t w = decoded ? static_cast<size_t>(char_width(decoded->value)) : 1;
    if (width + w + 1 > max_width) break;
    cut.append(flat, i, length);
    width += w;
    i += length;
  }
  return cut + "…";
}

std::string string_field(const Json& message, const char* key) { return agntos::json_string(message, key).value_or(""); }

// "inspect cpu", "propose install htop": the tool and the values of its arguments, except
// the long ones that only repeat the user's words.
std::string tool_summary(const Json& message) {
  std::string text = string_field(message, "name");
  const auto args = message.value("args", Json::object());
  if (args.is_object()) {
    for (const auto& [key, value] : args.items()) {
      if (key == "prompt" || key == "rationale") continue;
      text += " " + (value.is_string() ? value.get<std::string>() : agntos::dump_json(value));
    }
  }
  return text;
}

// What a tool result says in one line: the error's message, else a summary, an id or the
// first line of the output.
std::string result_summary(const Json& message) {
  // `output` is agntctl's JSON answer ({"error":{…}} on failure), or a string of plain text.
  const Json& output = message.contains("output") ? message["output"] : Json();
  if (output.is_object()) {
    if (output.contains("error") && output["error"].is_object())
      return agntos::json_string(output["error"], "message").value_or("failed");
    std::string text;
    if (const auto id = agntos::json_string(output, "id")) text = *id;
    if (const auto summary = agntos::json_string(output, "summary")) text += (text.empty() ? "" : " ") + *summary;
    return text;
  }
  const std::string plain = output.is_string() ? output.get<std::string>() : std::string();
  const auto newline = plain.find('\n');
  return newline == std::string::npos ? plain : plain.substr(0, newline);
}

// Echo off while a turn runs: keys typed ahead stay in the terminal's queue for the next
// prompt instead of being printed into the answer.
class EchoOff {
public:
  EchoOff() {
    if (::isatty(STDIN_FILENO) && ::tcgetattr(STDIN_FILENO, &m_saved) == 0) {
      termios quiet = m_saved;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      m_active = ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet) == 0;
    }
  }
  ~EchoOff() {
    if (m_active) ::tcsetattr(STDIN_FILENO, TCSANOW, &m_saved);
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

private:
  termios m_saved{};
  bool m_active = false;
};

const char* const kSpinner[] = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};

}  // namespace

ChatClient::ChatClient(agntos::Paths paths, Style style, LineInput* input, InterruptPipe& interrupts)
    : m_paths(std::move(paths)), m_style(style), m_input(input), m_interrupts(interrupts), m_one_shot(input == nullptr) {}

ChatClient::~ChatClient() = default;

void ChatClient::out(std::string_view text) { agntos::write_best_effort(STDOUT_FILENO, text); }

void ChatClient::chrome(std::string_view text) { agntos::write_best_effort(m_one_shot ? STDERR_FILENO : STDOUT_FILENO, text); }

void ChatClient::print(std::string_view text) {
  close_transient();
  chrome(text);
}

void ChatClient::print_error(std::string_view text) {
  close_transient();
  chrome(m_style.red() + one_line(text, 4000) + m_style.reset() + "\n");
}

void ChatClient::print_markdown(std::string_view markdown) {
  close_transient();
  out(render_markdown(markdown, terminal_width(), m_style));
}

void ChatClient::connect() {
  m_connection.reset();
  if (auto connection = Connection::open(m_paths.socket)) {
    m_connection = std::move(*connection);
    return;
  }
  const auto agntd = find_agntd();
  if (!agntd)
    throw agntos::Error(agntos::Errc::not_found, "no agntd answers on " + m_paths.socket.string() +
                                                     " and none was found to start (install it, or set AGNTOS_AGNTD)");
  agntos::make_directories(m_paths.state_dir, 0700);
  const auto log = m_paths.state_dir / "agntd.out";
  m_daemon.reset();
  m_daemon = std::make_unique<DaemonChild>(*agntd, m_paths.socket, log);
  chrome(m_style.dim() + "started agntd for this session (log: " + (m_paths.state_dir / "agntd.log").string() + ")" + m_style.reset() + "\n");
  auto connection = Connection::open(m_paths.socket);
  if (!connection) throw agntos::Error(agntos::Errc::failed, "agntd started but does not answer on " + m_paths.socket.string());
  m_connection = std::move(*connection);
}

bool ChatClient::ensure_connected() {
  if (m_connection && !m_connection->closed()) return true;
  try {
    connect();
    if (!m_session_id.empty()) {
      chrome(m_style.dim() + "reconnected to agntd" + m_style.reset() + "\n");
      start_session(m_session_id);
    }
    return m_connection.has_value();
  } catch (const agntos::Error& e) {
    print_error(std::string("cannot reach agntd: ") + e.what());
    return false;
  }
}

void ChatClient::lost_connection() {
  close_transient();
  m_connection.reset();
  chrome(m_style.red() + "the connection to agntd was lost" + m_style.reset() + m_style.dim() +
         " (the daemon stopped or was killed); the next request reconnects" + m_style.reset() + "\n");
  m_turn_done = true;
}

void ChatClient::close_transient() {
  if (m_spinner_shown || !m_tool_line.empty()) {
    if (m_spinner_shown) chrome("\r\x1b[K");
    if (!m_tool_line.empty()) {
      chrome(m_style.dim() + "… " + m_tool_line + m_style.reset() + "\n");
      m_tool_line.clear();
    }
    m_spinner_shown = false;
  }
  if (m_thinking_open) {
    out(m_style.reset() + "\n");
    m_thinking_open = false;
  }
}

void ChatClient::spinner_tick() {
  if (!m_input || !m_input->terminal() || !m_style.on || m_thinking_open) return;
  if (m_markdown && m_markdown->started()) return;
  m_spinner_frame = (m_spinner_frame + 1) % 10;
  const std::string label = m_tool_line.empty() ? std::string("working… (Ctrl-C cancels)") : m_tool_line;
  chrome("\r\x1b[K" + m_style.cyan() + kSpinner[m_spinner_frame] + m_style.reset() + " " + m_style.dim() + label +
         m_style.reset());
  m_spinner_shown = true;
}

void ChatClient::start_session(const std::optional<std::string>& session_id) {
  Json init{{"type", "init"}};
  if (session_id) init["session_id"] = *session_id;
  const auto ready = request(init, "session_ready");
  if (!ready) return;
  m_session_id = string_field(*ready, "session_id");
  std::string line = (ready->value("resumed", false) ? "resumed session " : "session ") + m_session_id + " · " +
                     string_field(*ready, "model");
  if (ready->value("resumed", false)) line += " · " + std::to_string(ready->value("message_count", 0)) + " messages";
  const auto pending = ready->value("pending_proposals", Json::array());
  if (pending.is_array() && !pending.empty())
    line += " · " + std::to_string(pending.size()) + " pending proposal" + (pending.size() == 1 ? "" : "s") + " (/proposals)";
  chrome(m_style.dim() + agntos::visible_text(line) + m_style.reset() + "\n");
}

std::optional<Json> ChatClient::request(const Json& message, const std::string& type) {
  if (!ensure_connected()) return std::nullopt;
  try {
    m_connection->send(message);
  } catch (const agntos::Error&) {
    lost_connection();
    return std::nullopt;
  }
  Json reply;
  for (;;) {
    const auto wait = m_connection->next(reply, 120s, m_interrupts.fd());
    if (wait == Connection::Wait::closed) {
      lost_connection();
      return std::nullopt;
    }
    if (wait == Connection::Wait::other_fd) {
      m_interrupts.take();
      print(m_style.dim() + "(interrupted)" + m_style.reset() + "\n");
      return std::nullopt;
    }
    if (wait == Connection::Wait::timeout) {
      print_error("agntd did not answer within 120 s");
      return std::nullopt;
    }
    const auto got = string_field(reply, "type");
    if (got == type) return reply;
    if (got == "error") {
      print_error(string_field(reply, "message"));
      return std::nullopt;
    }
    handle(reply);
  }
}

void ChatClient::run_turn(const std::string& prompt) {
  if (!ensure_connected()) return;
  try {
    m_connection->send(Json{{"type", "chat"}, {"prompt", prompt}});
  } catch (const agntos::Error&) {
    lost_connection();
    return;
  }
  EchoOff echo_off;
  m_in_turn = true;
  m_turn_started = false;
  m_turn_done = false;
  m_cancel_sent = false;
  m_markdown = std::make_unique<MarkdownStream>(terminal_width(), m_style);
  m_streamed.clear();
  m_turn_prompt_tokens = m_turn_completion_tokens = 0;
  m_denied_proposals.clear();
  m_denied_rollback = false;
  m_interrupts.take();
  while (!m_turn_done) {
    Json message;
    const auto wait = m_connection->next(message, 100ms, m_interrupts.fd());
    if (wait == Connection::Wait::closed) {
      lost_connection();
      break;
    }
    if (wait == Connection::Wait::other_fd) {
      if (m_interrupts.take() && !m_cancel_sent) {
        m_cancel_sent = true;
        try {
          m_connection->send(Json{{"type", "cancel"}});
        } catch (const agntos::Error&) {
          lost_connection();
          break;
        }
        print(m_style.yellow() + "cancelling…" + m_style.reset() + "\n");
      }
      continue;
    }
    if (wait == Connection::Wait::timeout) {
      spinner_tick();
      continue;
    }
    handle(message);
  }
  close_transient();
  m_in_turn = false;
  m_markdown.reset();
}

void ChatClient::handle(const Json& message) {
  const auto type = string_field(message, "type");
  if (type == "token") {
    m_turn_started = true;
    const auto content = string_field(message, "content");
    if (string_field(message, "channel") == "thinking") {
      if (m_spinner_shown || !m_tool_line.empty()) close_transient();
      if (!m_thinking_open) out(m_style.dim() + m_style.italic());
      m_thinking_open = true;
      out(agntos::visible_text(content));
      return;
    }
    if (!m_markdown) m_markdown = std::make_unique<MarkdownStream>(terminal_width(), m_style);
    m_streamed += content;
    const auto rendered = m_markdown->feed(content);
    if (!rendered.empty()) {
      close_transient();
      out(rendered);
    }
  } else if (type == "tool_call") {
    m_turn_started = true;
    if (m_markdown) {
      const auto rendered = m_markdown->finish();
      close_transient();
      out(rendered);
    }
    close_transient();
    m_tool_id = string_field(message, "id");
    m_tool_line = one_line(tool_summary(message), static_cast<size_t>(std::max(20, terminal_width() - 4)));
    if (m_input && m_input->terminal() && m_style.on) spinner_tick();
  } else if (type == "tool_result") {
    m_turn_started = true;
    const bool success = message.value("success", false);
    const std::string head = one_line(tool_summary(message).empty() ? string_field(message, "name")
                                                                     : string_field(message, "name"),
                                      60);
    const std::string shown_call = m_tool_id == string_field(message, "id") && !m_tool_line.empty() ? m_tool_line : head;
    m_tool_line.clear();
    if (m_spinner_shown) chrome("\r\x1b[K");
    m_spinner_shown = false;
    close_transient();
    const size_t width = static_cast<size_t>(std::max(30, terminal_width()));
    const size_t call_width = display_width(shown_call);
    const std::string result = one_line(result_summary(message), width > call_width + 8 ? width - call_width - 6 : 20);
    chrome((success ? m_style.green() + "✓ " : m_style.red() + "✗ ") + m_style.reset() + shown_call + m_style.dim() +
           (result.empty() ? "" : " — " + result) + m_style.reset() + "\n");
  } else if (type == "approval_request") {
    m_turn_started = true;
    handle_approval(message);
  } else if (type == "confirm_needed") {
    PendingConfirm pending;
    pending.audit_id = string_field(message, "audit_id");
    pending.deadline = string_field(message, "deadline");
    pending.revert_at = std::chrono::steady_clock::now() + std::chrono::seconds(message.value("seconds_left", 0LL));
    m_pending_confirm = pending;
    confirm_change(std::nullopt);
  } else if (type == "progress") {
    close_transient();
    for (const auto& line : agntos::split_lines(string_field(message, "text")))
      chrome(m_style.dim() + "  │ " + agntos::visible_text(line) + m_style.reset() + "\n");
  } else if (type == "usage") {
    m_turn_prompt_tokens += message.value("prompt_tokens", 0LL);
    m_turn_completion_tokens += message.value("completion_tokens", 0LL);
    m_total_prompt_tokens += message.value("prompt_tokens", 0LL);
    m_total_completion_tokens += message.value("completion_tokens", 0LL);
  } else if (type == "turn_complete") {
    finish_turn(message);
  } else if (type == "error") {
    const auto code = string_field(message, "code");
    print_error("error: " + string_field(message, "message"));
    if (m_in_turn && !m_turn_started && code != "turn_failed") m_turn_done = true;
  } else if (type == "session_ready") {
    m_session_id = string_field(message, "session_id");
  }
  // Responses to requests of another moment (status, audit, ...) are not shown here.
}

void ChatClient::finish_turn(const Json& message) {
  const auto end = message.value("end", std::string("answered"));
  const auto content = string_field(message, "content");
  if (m_markdown) {
    const auto rendered = m_markdown->finish();
    close_transient();
    out(rendered);
  }
  close_transient();
  if (end == "answered") {
    if (agntos::trim(m_streamed).empty() && !agntos::trim(content).empty())
      out(render_markdown(content, terminal_width(), m_style));
  } else if (end == "stopped") {
    chrome(m_style.yellow() + agntos::visible_text(content) + m_style.reset() + "\n");
  } else if (end == "cancelled") {
    chrome(m_style.yellow() + "cancelled" + m_style.reset() + "\n");
  }
  if (m_turn_prompt_tokens || m_turn_completion_tokens)
    chrome(m_style.dim() + "tokens: " + agntos::group_thousands(m_turn_prompt_tokens) + " in · " +
           agntos::group_thousands(m_turn_completion_tokens) + " out" + m_style.reset() + "\n");
  ++m_turns;
  m_turn_done = true;
}

void ChatClient::handle_approval(const Json& message) {
  close_transient();
  if (m_markdown) {
    out(m_markdown->finish());
  }
  const auto request_id = string_field(message, "request_id");
  const auto kind = string_field(message, "kind");
  const auto proposal_id = agntos::json_string(message, "proposal_id");
  const int width = terminal_width();
  std::string block = "\n" + m_style.bold() + m_style.yellow() + (kind == "rollback" ? "● Roll back" : "● Apply") +
                      m_style.reset();
  if (proposal_id) block += m_style.dim() + " " + agntos::visible_text(*proposal_id) + m_style.reset();
  block += "  " + m_style.bold() + agntos::visible_text(string_field(message, "summary")) + m_style.reset() + "\n";
  const auto effect = string_field(message, "effect");
  if (!effect.empty()) {
    // The effect is plain words: wrapped like a paragraph, never interpreted as Markdown.
    std::string line;
    for (const auto& word : agntos::split(agntos::visible_text(effect), ' ')) {
      if (!line.empty() && display_width(line) + 1 + display_width(word) > static_cast<size_t>(std::max(width, 30))) {
        block += line + "\n";
        line.clear();
      }
      line += (line.empty() ? "" : " ") + word;
    }
    if (!line.empty()) block += line + "\n";
  }
  const auto diff = string_field(message, "diff");
  if (!diff.empty()) {
    block += "\n";
    for (const auto& raw : agntos::split_lines(diff)) {
      const auto line = agntos::visible_text(raw);
      if (agntos::starts_with(line, "+++") || agntos::starts_with(line, "---") || agntos::starts_with(line, "diff "))
        block += m_style.bold() + line + m_style.reset() + "\n";
      else if (agntos::starts_with(line, "+")) block += m_style.green() + line + m_style.reset() + "\n";
      else if (agntos::starts_with(line, "-")) block += m_style.red() + line + m_style.reset() + "\n";
      else if (agntos::starts_with(line, "@@")) block += m_style.cyan() + line + m_style.reset() + "\n";
      else block += line + "\n";
    }
  }
  chrome(block + "\n");

  auto send = [&](const Json& answer) {
    try {
      m_connection->send(answer);
    } catch (const agntos::Error&) {
      lost_connection();
    }
  };
  if (m_one_shot) {
    send(Json{{"type", "deny"}, {"request_id", request_id}, {"reason", "agnt -p never approves a change"}});
    if (proposal_id) m_denied_proposals.push_back(*proposal_id);
    else m_denied_rollback = true;
    chrome(m_style.yellow() + "Not approved: agnt -p never approves a change." + m_style.reset() + "\n");
    return;
  }
  const std::string question = m_style.bold() + (kind == "rollback" ? "Roll back? [y/N] " : "Apply? [y/N] ") + m_style.reset();
  for (;;) {
    const auto answer = m_input->read_line(question, m_connection->fd(), false);
    if (answer.status == InputStatus::interrupted) {
      send(Json{{"type", "deny"}, {"request_id", request_id}, {"reason", "the user pressed Ctrl-C at the approval prompt"}});
      chrome(m_style.red() + "denied" + m_style.reset() + m_style.dim() + " (Ctrl-C)" + m_style.reset() + "\n");
      return;
    }
    if (answer.status == InputStatus::end) {
      send(Json{{"type", "deny"}, {"request_id", request_id}, {"reason", "no answer (end of input)"}});
      chrome(m_style.red() + "denied" + m_style.reset() + m_style.dim() + " (end of input)" + m_style.reset() + "\n");
      return;
    }
    if (answer.status == InputStatus::event) {
      chrome(m_style.dim() + "(the approval is no longer waiting: answered elsewhere, timed out or cancelled)" +
             m_style.reset() + "\n");
      return;
    }
    const std::string text = agntos::trim(answer.line);
    const std::string word = agntos::to_lower(text);
    if (word == "y" || word == "yes") {
      send(Json{{"type", "approve"}, {"request_id", request_id}});
      chrome(m_style.green() + "approved" + m_style.reset() + "\n");
      return;
    }
    if (word.empty() || word == "n" || word == "no") {
      send(Json{{"type", "deny"}, {"request_id", request_id}});
      chrome(m_style.red() + "denied" + m_style.reset() + "\n");
      return;
    }
    for (const std::string prefix : {"n ", "no "}) {
      if (agntos::starts_with(word, prefix)) {
        const std::string reason = agntos::trim(text.substr(prefix.size()));
        send(Json{{"type", "deny"}, {"request_id", request_id}, {"reason", reason}});
        chrome(m_style.red() + "denied" + m_style.reset() + m_style.dim() + ": " + agntos::visible_text(reason) +
               m_style.reset() + "\n");
        return;
      }
    }
    // Not an answer, and never a chat message: on a terminal it waits, editable, at the next
    // prompt; scripted input is not re-sent on its own.
    if (m_input->terminal()) m_deferred_input = answer.line;
    chrome(m_style.yellow() + "Not an answer: y or n (Enter = no; n <reason>)." + m_style.reset() + m_style.dim() +
           (m_input->terminal() ? " Kept for the next prompt." : " Not sent.") + m_style.reset() + "\n");
  }
}

std::vector<std::string> ChatClient::skill_names() {
  if (!m_skills_loaded) {
    m_skills_loaded = true;
    try {
      agntos::ProcessOptions options;
      options.timeout = 20s;
      const auto result = agntos::run_process({find_agntctl().string(), "skills", "list", "--json"}, options);
      if (result.ok()) {
        const auto json = Json::parse(result.out);
        for (const auto& skill : json.value("skills", Json::array()))
          if (skill.value("blocked", Json()).is_null()) m_skills.push_back(skill.value("name", std::string()));
      }
    } catch (const std::exception&) {
      // No skills to complete: /skills will say why.
    }
  }
  return m_skills;
}

bool ChatClient::show_agntctl(const std::vector<std::string>& args) {
  std::vector<std::string> argv{find_agntctl().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  agntos::ProcessOptions options;
  options.timeout = 120s;
  options.cancel = nullptr;
  try {
    const auto result = agntos::run_process(argv, options);
    close_transient();
    out(agntos::visible_text(result.out));
    if (!result.err.empty()) chrome((result.ok() ? m_style.dim() : m_style.red()) + agntos::visible_text(result.err) + m_style.reset());
    return result.ok();
  } catch (const agntos::Error& e) {
    print_error(e.what());
    return false;
  }
}

std::optional<Json> ChatClient::agntctl_json(const std::vector<std::string>& args) {
  std::vector<std::string> argv{find_agntctl().string(), "--json"};
  argv.insert(argv.end(), args.begin(), args.end());
  agntos::ProcessOptions options;
  options.timeout = 120s;
  try {
    const auto result = agntos::run_process(argv, options);
    const auto json = Json::parse(result.out.empty() ? std::string("null") : result.out);
    if (!result.ok()) {
      std::string message = result.err;
      if (json.is_object() && json.contains("error") && json["error"].is_object())
        message = agntos::json_string(json["error"], "message").value_or(message);
      print_error(message);
      return std::nullopt;
    }
    return json;
  } catch (const std::exception& e) {
    print_error(e.what());
    return std::nullopt;
  }
}

std::string ChatClient::confirm_outlook(const PendingConfirm& pending) const {
  const auto id = agntos::visible_text(pending.audit_id);
  std::string when = "at its deadline";
  if (pending.revert_at) {
    const auto left = std::chrono::duration_cast<std::chrono::seconds>(*pending.revert_at - std::chrono::steady_clock::now());
    if (left.count() <= 0) return "its deadline has passed: the watchdog reverts it";
    when = "in " + std::to_string(left.count()) + " s";
    if (pending.deadline.size() >= 19) when += " (" + agntos::visible_text(pending.deadline.substr(11, 8)) + " UTC)";
  }
  return "the watchdog will revert it " + when + "; to keep it: /confirm, or run agntctl confirm " + id;
}

bool ChatClient::confirm_change(const std::optional<std::string>& audit_id) {
  if (!audit_id && !m_pending_confirm) {
    print(m_style.dim() + "no change is waiting for a confirmation from this session (/confirm a-<id> names one)" +
          m_style.reset() + "\n");
    return false;
  }
  // The announced change when it is the one named (its deadline is known), else the id alone.
  const PendingConfirm pending = m_pending_confirm && (!audit_id || *audit_id == m_pending_confirm->audit_id)
                                     ? *m_pending_confirm
                                     : PendingConfirm{*audit_id, "", std::nullopt};
  auto settled = [&] {
    if (m_pending_confirm && m_pending_confirm->audit_id == pending.audit_id) m_pending_confirm.reset();
  };
  const auto id = agntos::visible_text(pending.audit_id);
  close_transient();
  auto failed = [&](const std::string& why, bool still_pending) {
    chrome(m_style.red() + "✗ " + m_style.reset() + id + " not confirmed: " + one_line(why, 300) +
           (still_pending ? m_style.dim() + "; " + confirm_outlook(pending) + m_style.reset() : std::string()) + "\n");
    if (!still_pending) settled();
    return false;
  };
  // A new connection, never the one the approval went over: reaching the daemon again is what
  // the confirmation proves.
  std::optional<Connection> fresh;
  try {
    fresh = Connection::open(m_paths.socket);
    if (fresh) fresh->send(Json{{"type", "confirm"}, {"audit_id", pending.audit_id}});
  } catch (const agntos::Error&) {
    fresh.reset();
  }
  if (!fresh) return failed("cannot reach agntd over a new connection", true);
  Json reply;
  for (;;) {
    const auto wait = fresh->next(reply, 60s, m_interrupts.fd());
    if (wait == Connection::Wait::closed) return failed("agntd closed the new connection before answering", true);
    if (wait == Connection::Wait::timeout) return failed("agntd did not answer within 60 s", true);
    if (wait == Connection::Wait::other_fd) {
      m_interrupts.take();
      return failed("interrupted", true);
    }
    const auto type = string_field(reply, "type");
    if (type == "confirm_response") break;
    if (type == "error") return failed(string_field(reply, "message"), string_field(reply, "code") != "not_found");
  }
  settled();
  chrome(m_style.green() + "✓ " + m_style.reset() + "confirmed " + id + m_style.dim() +
         " over a new connection: the change stays" + m_style.reset() + "\n");
  return true;
}

std::optional<std::string> ChatClient::ask(const std::string& prompt) {
  if (!m_input) return std::nullopt;
  const auto answer = m_input->read_line(prompt, -1, false);
  if (answer.status != InputStatus::line) return std::nullopt;
  return answer.line;
}

int ChatClient::interactive(const std::optional<std::string>& resume_id) {
  try {
    connect();
  } catch (const agntos::Error& e) {
    print_error(std::string("cannot reach agntd: ") + e.what());
    return 1;
  }
  start_session(resume_id);
  if (m_session_id.empty()) return 1;
  chrome(m_style.dim() + "/help lists the commands · Ctrl-C cancels a turn · Ctrl-D quits" + m_style.reset() + "\n");
  bool interrupted_once = false;
  while (!m_quit) {
    if (!m_deferred_input.empty()) {
      m_input->prefill(m_deferred_input);
      m_deferred_input.clear();
    }
    const int watch = m_connection && !m_connection->closed() ? m_connection->fd() : -1;
    const auto input = m_input->read_line(m_style.bold() + m_style.cyan() + "> " + m_style.reset(), watch, true);
    if (input.status == InputStatus::end) break;
    if (input.status == InputStatus::interrupted) {
      if (interrupted_once) break;
      interrupted_once = true;
      chrome(m_style.dim() + "(Ctrl-C again or Ctrl-D to quit)" + m_style.reset() + "\n");
      continue;
    }
    interrupted_once = false;
    if (input.status == InputStatus::event) {
      // Something arrived while idle: another client's turn in this session, or the end.
      Json message;
      while (m_connection) {
        const auto wait = m_connection->next(message, 0ms);
        if (wait == Connection::Wait::closed) {
          lost_connection();
          ensure_connected();
          break;
        }
        if (wait != Connection::Wait::message) break;
        handle(message);
      }
      continue;
    }
    const std::string line = agntos::trim(input.line);
    if (line.empty()) continue;
    if (line[0] == '/') dispatch_slash(*this, line);
    else run_turn(line);
  }
  return 0;
}

int ChatClient::once(const std::string& prompt) {
  try {
    connect();
  } catch (const agntos::Error& e) {
    print_error(std::string("cannot reach agntd: ") + e.what());
    return 1;
  }
  const auto ready = request(Json{{"type", "init"}}, "session_ready");
  if (!ready) return 1;
  m_session_id = string_field(*ready, "session_id");
  bool failed = false;
  m_turns = 0;
  run_turn(prompt);
  failed = m_turns == 0;
  for (const auto& id : m_denied_proposals) {
    const auto shown = agntos::visible_text(id);
    chrome("Proposal " + m_style.bold() + shown + m_style.reset() + " is staged, not applied. Apply it with: " +
           m_style.bold() + "agnt system apply " + shown + m_style.reset() + " (or ask in agnt and answer y)\n");
  }
  if (m_denied_rollback)
    chrome("Not rolled back. Run " + m_style.bold() + "agnt" + m_style.reset() +
           " and ask again to approve it, or use agnt system rollback.\n");
  return failed ? 1 : 0;
}

}  // namespace agnt
