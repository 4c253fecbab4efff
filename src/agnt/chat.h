// SPDX-License-Identifier: MIT
#pragma once
// One conversation with agntd (SPEC §7): connects (starting agntd when none answers), shows
// each turn as it streams (Markdown answer, one line per tool call, rebuild progress, token
// usage), asks for approval in a mode of its own, and runs the slash commands.
//
// Approval mode: an approval_request shows the summary, the effect and the coloured diff,
// then asks `Apply? [y/N]` (or `Roll back? [y/N]`). Only y, yes, n, no and Enter (= no) are
// answers, and `n <reason>` denies with a reason; any other line re-asks and is kept for the
// next prompt, never sent as chat. Ctrl-C while it waits denies. In one-shot mode (-p) every
// approval is denied and the pending proposal is named with the command that applies it.
//
// Confirm or revert: when an approved change waits for confirmation (confirm_needed), agnt
// opens a new connection to agntd and confirms it there, as deploy-rs confirms over a new SSH
// connection: if agnt can no longer reach the daemon, nothing confirms and the watchdog reverts
// the change at its deadline. One line says how it went; /confirm retries.
//
// Everything the daemon, the model or a tool supplies is shown through agntos::visible_text;
// the only escape codes written are the Style's.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agnt/connection.h"
#include "agnt/input.h"
#include "agnt/markdown.h"
#include "agnt/signals.h"
#include "agnt/style.h"
#include "common/paths.h"

namespace agnt {

class ChatClient {
public:
  // `input` is null in one-shot mode (nothing is asked).
  ChatClient(agntos::Paths paths, Style style, LineInput* input, InterruptPipe& interrupts);
  ~ChatClient();

  // The prompt loop until /quit, Ctrl-D or a second Ctrl-C at an idle prompt. Exit status.
  int interactive(const std::optional<std::string>& resume_id);
  // `agnt -p`: one turn, the answer on stdout, everything else on stderr; never approves.
  int once(const std::string& prompt);

  // --- for the slash commands (slash_commands.cpp) ---
  // Runs one turn: sends `prompt` and shows its events until turn_complete.
  void run_turn(const std::string& prompt);
  // Sends `request` and returns the first message of `type` (an `error` reply is shown and
  // gives nullopt); events that arrive meanwhile are shown.
  std::optional<Json> request(const Json& request, const std::string& type);
  // init with `session_id` (resume) or without (a new session); shows the session line.
  void start_session(const std::optional<std::string>& session_id);
  // agntctl ARGS, its output shown (made visible); false when it failed.
  bool show_agntctl(const std::vector<std::string>& args);
  // agntctl --json ARGS parsed; nullopt (with the error shown) when it failed.
  std::optional<Json> agntctl_json(const std::vector<std::string>& args);
  // Confirms a change waiting for confirmation over a new connection to agntd and prints one
  // line (✓ or ✗ and what happens next): `audit_id`, else the last one agntd announced. False
  // when it was not confirmed.
  bool confirm_change(const std::optional<std::string>& audit_id);
  // Asks one question on the input (nullopt: none, or no answer).
  std::optional<std::string> ask(const std::string& prompt);
  void print(std::string_view text);        // chrome, as is (already styled/visible)
  void print_error(std::string_view text);  // untrusted text in red, one line
  void print_markdown(std::string_view markdown);
  void quit() { m_quit = true; }
  const Style& style() const { return m_style; }
  const std::string& session_id() const { return m_session_id; }
  long long prompt_tokens() const { return m_total_prompt_tokens; }
  long long completion_tokens() const { return m_total_completion_tokens; }
  size_t turns() const { return m_turns; }
  std::vector<std::string> skill_names();

private:
  void connect();
  bool ensure_connected();
  void lost_connection();
  void handle(const Json& message);
  void handle_approval(const Json& message);
  void finish_turn(const Json& message);
  void close_transient();
  void spinner_tick();
  void out(std::string_view text);  // to the answer stream (stdout)
  void chrome(std::string_view text);  // to stdout, or stderr in one-shot mode

  agntos::Paths m_paths;
  Style m_style;
  LineInput* m_input;
  InterruptPipe& m_interrupts;
  bool m_one_shot = false;
  std::unique_ptr<DaemonChild> m_daemon;
  std::optional<Connection> m_connection;
  std::string m_session_id;
  std::vector<std::string> m_skills;
  bool m_skills_loaded = false;
  bool m_quit = false;

  // The turn on screen.
  bool m_in_turn = false;
  bool m_turn_started = false;
  bool m_turn_done = false;
  bool m_cancel_sent = false;
  std::unique_ptr<MarkdownStream> m_markdown;
  std::string m_streamed;
  bool m_thinking_open = false;
  std::string m_tool_line;     // the running tool's line, redrawn by the spinner
  std::string m_tool_id;
  bool m_spinner_shown = false;
  int m_spinner_frame = 0;
  long long m_turn_prompt_tokens = 0;
  long long m_turn_completion_tokens = 0;
  long long m_total_prompt_tokens = 0;
  long long m_total_completion_tokens = 0;
  size_t m_turns = 0;
  std::vector<std::string> m_denied_proposals;  // one-shot: staged, not applied
  bool m_denied_rollback = false;
  // The last change agntd said waits for confirmation, until it is confirmed or gone.
  struct PendingConfirm {
    std::string audit_id;
    std::string deadline;  // ISO 8601 UTC, from agntd ("" when not known)
    std::optional<std::chrono::steady_clock::time_point> revert_at;
  };
  std::optional<PendingConfirm> m_pending_confirm;
  std::string confirm_outlook(const PendingConfirm& pending) const;
  std::string m_deferred_input;  // a line typed at the approval prompt, for the next prompt
};

}  // namespace agnt
