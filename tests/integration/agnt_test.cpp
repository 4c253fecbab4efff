// SPDX-License-Identifier: MIT
// agnt end to end: the real client in a real terminal (tmux, 80x30) against the real agntd
// (offline provider, or the scripted LLM server for streaming), and its non-terminal modes.

#include <gtest/gtest.h>

#include <thread>

#include "common/files.h"
#include "common/process.h"
#include "common/text.h"
#include "integration/agntd_daemon.h"
#include "support/scripted_llm_server.h"

namespace {

namespace fs = std::filesystem;
using agntd::testing::DaemonProcess;
using agntd::testing::daemon_environment;
using agntos::Json;
using agntos::testing::AgntctlEnv;
using agntos::testing::ScriptedAnswer;
using agntos::testing::ScriptedLlmServer;
using agntos::testing::ScriptStep;
using namespace std::chrono_literals;

// agnt in a detached tmux session of its own server (-S in the test's dir), 80x30.
class Tmux {
public:
  Tmux(const AgntctlEnv& env, const std::map<std::string, std::string>& vars, std::vector<std::string> args = {})
      : m_socket(env.root() / ("tmux-" + std::to_string(++s_count) + ".sock")) {
    // setsid: run_process kills what its child leaves in its process group, and the tmux
    // server must outlive the client that starts it. remain-on-exit keeps the last screen.
    std::vector<std::string> argv{"setsid", "-w", "tmux", "-S", m_socket.string(), "-f", "/dev/null", "start-server", ";",
                                  "set-option", "-g", "remain-on-exit", "on", ";", "new-session", "-d", "-s", "agnt",
                                  "-x", "80", "-y", "30", "env"};
    for (const auto& [name, value] : vars) argv.push_back(name + "=" + value);
    argv.push_back("LANG=C.UTF-8");
    argv.push_back("TERM=xterm-256color");
    argv.push_back("HOME=" + env.root().string());
    argv.push_back(AGNT_BINARY);
    argv.insert(argv.end(), args.begin(), args.end());
    const auto started = agntos::run_process(argv);
    EXPECT_EQ(started.exit_code, 0) << started.err;
  }
  ~Tmux() { agntos::run_process({"tmux", "-S", m_socket.string(), "kill-server"}); }

  void type(const std::string& text) { tmux({"send-keys", "-t", "agnt", "-l", text}); }
  void key(const std::string& name) { tmux({"send-keys", "-t", "agnt", name}); }
  void line(const std::string& text) {
    type(text);
    key("Enter");
  }
  std::string screen() { return tmux({"capture-pane", "-p", "-t", "agnt", "-S", "-500"}); }
  // The screen with the lines the terminal wrapped joined again.
  std::string joined_screen() { return tmux({"capture-pane", "-p", "-J", "-t", "agnt", "-S", "-500"}); }
  bool wait_for_joined(const std::string& text, std::chrono::milliseconds timeout = 60s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (joined_screen().find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(100ms);
    }
    ADD_FAILURE() << "timed out waiting for \"" << text << "\"; screen:\n" << joined_screen();
    return false;
  }
  // Waits until the screen holds `text` `count` times; false (with the screen in the
  // failure message) on timeout.
  bool wait_for(const std::string& text, std::chrono::milliseconds timeout = 60s, size_t count = 1) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (occurrences(screen(), text) >= count) return true;
      std::this_thread::sleep_for(100ms);
    }
    ADD_FAILURE() << "timed out waiting for \"" << text << "\"; screen:\n" << screen();
    return false;
  }
  // Waits until `count` prompt lines (">" and what was typed after it) are on the screen.
  bool wait_for_prompt(size_t count = 1, std::chrono::milliseconds timeout = 60s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      size_t prompts = 0;
      for (const auto& row : agntos::split_lines(screen())) prompts += row == ">" || row.starts_with("> ");
      if (prompts >= count) return true;
      std::this_thread::sleep_for(100ms);
    }
    ADD_FAILURE() << "timed out waiting for prompt " << count << "; screen:\n" << screen();
    return false;
  }
  static size_t occurrences(const std::string& haystack, const std::string& needle) {
    size_t count = 0;
    for (size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + needle.size())) ++count;
    return count;
  }

private:
  std::string tmux(std::vector<std::string> args) {
    args.insert(args.begin(), {"tmux", "-S", m_socket.string()});
    return agntos::run_process(args).out;
  }
  static inline int s_count = 0;
  fs::path m_socket;
};

class AgntTest : public ::testing::Test {
protected:
  void SetUp() override { env.use_profile_backend(); }
  std::map<std::string, std::string> vars(const std::map<std::string, std::string>& extra = {}) {
    auto all = daemon_environment(env, extra);
    all["AGNTOS_AGNTD"] = AGNTD_BINARY;
    return all;
  }
  void start_daemon(const std::map<std::string, std::string>& extra = {}) {
    daemon.emplace(env, extra);
    ASSERT_TRUE(daemon->wait_ready()) << daemon->output();
  }
  void use_scripted_llm() {
    agntos::write_file_atomic(env.config_dir() / "models.toml",
                              "[default]\nprovider = \"openai\"\nendpoint = \"" + llm.base_url() +
                                  "\"\nmodel = \"scripted-model\"\napi_key_env = \"AGNT_TEST_KEY\"\n");
  }
  agntos::ProcessResult run_agnt(const std::vector<std::string>& args, const std::map<std::string, std::string>& extra = {}) {
    agntos::ProcessOptions options;
    options.env_set = vars(extra);
    options.timeout = 120s;
    std::vector<std::string> argv{AGNT_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    return agntos::run_process(argv, options);
  }
  bool htop_installed() const { return fs::exists(env.config_dir() / "packages" / "htop.nix"); }
  // Networking changes run a confirm-or-revert timer of `seconds` (docs/pipeline.md).
  void use_confirm_timer(long seconds) {
    agntos::write_file_atomic(env.config_dir() / "agntos.toml",
                              "[rebuild]\nbackend = \"profile\"\nconfirm_class_timeout = " + std::to_string(seconds) +
                                  "\n[rebuild.profile]\npath = \"" + env.profile().string() + "\"\npkgs = \"" +
                                  (agntos::testing::source_dir() / "nix" / "demo-pkgs").string() + "\"\n");
  }
  bool renamed() const { return fs::exists(env.config_dir() / "options" / "networking-hostName.nix"); }
  size_t entries_of(const std::string& type) const {
    size_t count = 0;
    for (const auto& entry : agntd::testing::audit_entries(env)) count += entry["action"]["type"] == type ? 1 : 0;
    return count;
  }
  // The daemon log's entries named `event`.
  std::vector<Json> log_events(const std::string& event) const {
    std::vector<Json> found;
    for (const auto& line : agntos::split_lines(agntos::read_file_if_exists(env.state_dir() / "agntd.log").value_or(""))) {
      try {
        auto entry = Json::parse(line);
        if (entry.value("event", "") == event) found.push_back(entry);
      } catch (const std::exception&) {
      }
    }
    return found;
  }

  AgntctlEnv env;
  ScriptedLlmServer llm;
  std::optional<DaemonProcess> daemon;
};

TEST_F(AgntTest, ToolCallIsOneLineThatEndsChecked) {
  start_daemon();
  Tmux tmux(env, vars());
  ASSERT_TRUE(tmux.wait_for_prompt());
  tmux.line("show cpu");
  ASSERT_TRUE(tmux.wait_for("✓ inspect cpu"));
  EXPECT_TRUE(tmux.wait_for("CPU: "));
}

TEST_F(AgntTest, ApprovalAnsweredYesApplies) {
  start_daemon();
  Tmux tmux(env, vars());
  ASSERT_TRUE(tmux.wait_for_prompt());
  tmux.line("install htop");
  ASSERT_TRUE(tmux.wait_for("Apply? [y/N]"));
  const auto screen = tmux.screen();
  EXPECT_NE(screen.find("Install package: htop"), std::string::npos) << screen;
  EXPECT_NE(screen.find("+++ b/packages/htop.nix"), std::string::npos) << screen;
  EXPECT_FALSE(htop_installed());
  tmux.line("y");
  ASSERT_TRUE(tmux.wait_for("✓ apply"));
  EXPECT_TRUE(tmux.wait_for("Applied: Install package: htop"));
  EXPECT_TRUE(htop_installed());
}

TEST_F(AgntTest, EnterAtTheApprovalPromptDenies) {
  start_daemon();
  Tmux tmux(env, vars());
  ASSERT_TRUE(tmux.wait_for_prompt());
  tmux.line("install htop");
  ASSERT_TRUE(tmux.wait_for("Apply? [y/N]"));
  tmux.key("Enter");
  ASSERT_TRUE(tmux.wait_for("denied"));
  ASSERT_TRUE(tmux.wait_for("✗ apply"));
  EXPECT_FALSE(htop_installed());
}

TEST_F(AgntTest, ChatLineAtTheApprovalPromptReasksAndWaitsAtTheNextPrompt) {
  start_daemon();
  Tmux tmux(env, vars());
  ASSERT_TRUE(tmux.wait_for_prompt());
  tmux.line("install htop");
  ASSERT_TRUE(tmux.wait_for("Apply? [y/N]"));
  tmux.line("show memory please");
  ASSERT_TRUE(tmux.wait_for("Not an answer"));
  ASSERT_TRUE(tmux.wait_for("Apply? [y/N]", 10s, 2));
  tmux.line("n not today");
  ASSERT_TRUE(tmux.wait_for("denied: not today"));
  // The line is at the prompt, not sent: no inspect ran for it.
  ASSERT_TRUE(tmux.wait_for("> show memory please"));
  EXPECT_EQ(tmux.screen().find("inspect memory"), std::string::npos) << tmux.screen();
  EXPECT_FALSE(htop_installed());
  tmux.key("Enter");
  EXPECT_TRUE(tmux.wait_for("✓ inspect memory"));
}

TEST_F(AgntTest, CtrlCAtTheApprovalPromptDenies) {
  start_daemon();
  Tmux tmux(env, vars());
  ASSERT_TRUE(tmux.wait_for_prompt());
  tmux.line("install htop");
  ASSERT_TRUE(tmux.wait_for("Apply? [y/N]"));
  tmux.key("C-c");
  ASSERT_TRUE(tmux.wait_for("denied (Ctrl-C)"));
  ASSERT_TRUE(tmux.wait_for("✗ apply"));
  EXPECT_FALSE(htop_installed());
}

TEST_F(AgntTest, StreamedMarkdownIsRenderedAndUsageShown) {
  use_scripted_llm();
  llm.push(ScriptStep::events(agntos::testing::openai_stream(ScriptedAnswer{
                                  .text = {"# Disk ", "report\n\nYou have **plenty** of `/nix` space:\n\n", "- one\n- two\n"},
                                  .usage = std::make_pair(120L, 30L)}))
               .split_every(7, 5ms));
  start_daemon({{"AGNT_TEST_KEY", "k"}});
  Tmux tmux(env, vars());
  ASSERT_TRUE(tmux.wait_for_prompt());
  tmux.line("how is my disk?");
  ASSERT_TRUE(tmux.wait_for("tokens: 120 in · 30 out"));
  const auto screen = tmux.screen();
  EXPECT_NE(screen.find("Disk report"), std::string::npos) << screen;
  EXPECT_EQ(screen.find("# Disk"), std::string::npos) << screen;
  EXPECT_NE(screen.find("You have plenty of /nix space:"), std::string::npos) << screen;
  EXPECT_NE(screen.find("• one"), std::string::npos) << screen;
  EXPECT_TRUE(llm.failures().empty());
}

TEST_F(AgntTest, CtrlCCancelsARunningTurn) {
  use_scripted_llm();
  llm.push(ScriptStep::events(agntos::testing::openai_stream(ScriptedAnswer{.text = {"Thinking about it. ", "more"}}))
               .stall_after(120, 60s));
  start_daemon({{"AGNT_TEST_KEY", "k"}});
  Tmux tmux(env, vars());
  ASSERT_TRUE(tmux.wait_for_prompt());
  tmux.line("take your time");
  ASSERT_TRUE(tmux.wait_for("working"));
  tmux.key("C-c");
  ASSERT_TRUE(tmux.wait_for("cancelled", 20s, 1));
  ASSERT_TRUE(tmux.wait_for_prompt(2, 20s));
}

// While the model says nothing, a spinner turns on the status line: two captures a moment
// apart show different frames of it.
TEST_F(AgntTest, ASpinnerTurnsWhileTheModelIsSilent) {
  use_scripted_llm();
  llm.push(ScriptStep::events(agntos::testing::openai_stream(ScriptedAnswer{.text = {"late"}})).stall_after(0, 60s));
  start_daemon({{"AGNT_TEST_KEY", "k"}});
  Tmux tmux(env, vars());
  ASSERT_TRUE(tmux.wait_for_prompt());
  tmux.line("are you there?");
  ASSERT_TRUE(tmux.wait_for("working… (Ctrl-C cancels)"));
  const auto frame = [&] {
    for (const auto& row : agntos::split_lines(tmux.screen()))
      if (row.find("working…") != std::string::npos) return row;
    return std::string();
  };
  const auto first = frame();
  std::string later = first;
  for (int i = 0; i < 30 && later == first; ++i) {
    std::this_thread::sleep_for(100ms);
    later = frame();
  }
  EXPECT_NE(later, first) << "the status line did not move: " << first;
  tmux.key("C-c");
  ASSERT_TRUE(tmux.wait_for("cancelled", 20s));
}

// /<skill> [text]: the skill's body and the user's text are the turn's instructions (SPEC §5).
TEST_F(AgntTest, ASkillCommandSendsTheSkillBodyAndTheTextToTheAgent) {
  use_scripted_llm();
  llm.push(ScriptStep::events(agntos::testing::openai_stream(ScriptedAnswer{.text = {"Proposing ripgrep."}})));
  start_daemon({{"AGNT_TEST_KEY", "k"}});
  Tmux tmux(env, vars());
  ASSERT_TRUE(tmux.wait_for_prompt());
  tmux.line("/add-package ripgrep for searching");
  ASSERT_TRUE(tmux.wait_for("running skill add-package"));
  ASSERT_TRUE(tmux.wait_for("Proposing ripgrep."));
  const auto requests = llm.requests();
  ASSERT_FALSE(requests.empty());
  const auto body = requests.back().body;
  // Text of skills/add-package/SKILL.md and the words typed after the command.
  EXPECT_NE(body.find("Goal: one proposal that adds the package"), std::string::npos) << body;
  EXPECT_NE(body.find("ripgrep for searching"), std::string::npos) << body;
  EXPECT_TRUE(llm.failures().empty());
}

TEST_F(AgntTest, HistorySearchAndResumeFindEarlierSessions) {
  start_daemon();
  std::string session;
  {
    Tmux tmux(env, vars());
    ASSERT_TRUE(tmux.wait_for_prompt());
    tmux.line("remember that I prefer zstd compression");
    ASSERT_TRUE(tmux.wait_for_prompt(2));
    tmux.line("/history zstd");
    ASSERT_TRUE(tmux.wait_for("[zstd]"));
    const auto screen = tmux.screen();
    const auto at = screen.find("session s-");
    ASSERT_NE(at, std::string::npos) << screen;
    session = screen.substr(at + 8, 18);
    tmux.line("/quit");
  }
  Tmux again(env, vars());
  ASSERT_TRUE(again.wait_for_prompt());
  again.line("/resume " + session);
  ASSERT_TRUE(again.wait_for("resumed session " + session));
  EXPECT_TRUE(again.wait_for("> remember that I prefer zstd compression"));
  // /resume with no id offers the recent sessions by number.
  again.line("/resume");
  ASSERT_TRUE(again.wait_for("Resume which?"));
  again.line("1");
  EXPECT_TRUE(again.wait_for("resumed session", 30s, 2));
}

TEST_F(AgntTest, UnknownSlashCommandSuggestsTheClosest) {
  start_daemon();
  Tmux tmux(env, vars());
  ASSERT_TRUE(tmux.wait_for_prompt());
  tmux.line("/hepl");
  EXPECT_TRUE(tmux.wait_for("did you mean /help?"));
  tmux.type("/gen");
  tmux.key("Tab");
  EXPECT_TRUE(tmux.wait_for("> /generations"));
}

TEST_F(AgntTest, KilledDaemonIsReportedAndTheNextRequestStartsOne) {
  start_daemon();
  Tmux tmux(env, vars());
  ASSERT_TRUE(tmux.wait_for_prompt());
  daemon->stop(SIGKILL);
  ASSERT_TRUE(tmux.wait_for("connection to agntd was lost"));
  tmux.line("show cpu");
  ASSERT_TRUE(tmux.wait_for("started agntd for this session"));
  EXPECT_TRUE(tmux.wait_for("✓ inspect cpu"));
}

TEST_F(AgntTest, OneShotNeverApprovesAndNamesTheProposal) {
  start_daemon();
  const auto result = run_agnt({"-p", "install htop"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("is staged, not applied. Apply it with: agnt system apply p-"), std::string::npos) << result.err;
  EXPECT_NE(result.out.find("Nothing was changed"), std::string::npos) << result.out;
  EXPECT_FALSE(htop_installed());
  for (const auto& entry : agntd::testing::audit_entries(env)) EXPECT_NE(entry["action"]["type"], "Apply") << entry;
}

TEST_F(AgntTest, StartsAnAgntdForTheSessionAndStopsItAfter) {
  const auto result = run_agnt({"-p", "show cpu"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("started agntd for this session"), std::string::npos) << result.err;
  EXPECT_NE(result.out.find("CPU: "), std::string::npos) << result.out;
  EXPECT_FALSE(fs::exists(vars().at("AGNTOS_SOCKET"))) << "the daemon agnt started is still serving";
}

TEST_F(AgntTest, WithoutATerminalOutputHasNoEscapeCodesUnlessAsked) {
  start_daemon();
  const auto plain = run_agnt({"-p", "install htop"});
  EXPECT_EQ(plain.out.find('\x1b'), std::string::npos);
  EXPECT_EQ(plain.err.find('\x1b'), std::string::npos);
  const auto forced = run_agnt({"--color=always", "-p", "install htop"});
  EXPECT_NE(forced.err.find("\x1b[32m+"), std::string::npos) << forced.err;  // the diff, coloured
  const auto no_color = run_agnt({"--color=auto", "-p", "install htop"}, {{"NO_COLOR", "1"}});
  EXPECT_EQ(no_color.err.find('\x1b'), std::string::npos);
}

// Confirm or revert, deploy-rs style: after the approved rename agnt reaches agntd again over a
// new connection and confirms there, so the change outlives its deadline.
TEST_F(AgntTest, AChangeBehindATimerIsConfirmedOverANewConnectionAndStays) {
  use_confirm_timer(5);
  start_daemon();
  Tmux tmux(env, vars());
  ASSERT_TRUE(tmux.wait_for_prompt());
  tmux.line("rename this machine to demo");
  ASSERT_TRUE(tmux.wait_for("Apply? [y/N]"));
  EXPECT_NE(tmux.screen().find("5 s confirm-or-revert timer"), std::string::npos) << tmux.screen();
  tmux.line("y");
  ASSERT_TRUE(tmux.wait_for("✓ confirmed a-"));
  EXPECT_TRUE(tmux.wait_for("✓ apply"));
  EXPECT_EQ(entries_of("Confirm"), 1u);
  std::this_thread::sleep_for(6s);  // past the deadline
  EXPECT_TRUE(renamed());
  EXPECT_EQ(entries_of("AutoRevert"), 0u) << tmux.screen();
  // Not the connection the approval went over.
  const auto sessions = log_events("session_ready");
  const auto confirms = log_events("confirm_requested");
  ASSERT_EQ(sessions.size(), 1u);
  ASSERT_EQ(confirms.size(), 1u);
  EXPECT_GT(confirms[0]["client"].get<long>(), sessions[0]["client"].get<long>());
}

// The way to the daemon is gone after the activation (its socket removed; the connection the
// approval went over still works): nothing confirms, agnt says so and how to keep the change,
// and the watchdog reverts it.
TEST_F(AgntTest, WhenTheDaemonCannotBeReachedAgainTheWatchdogRevertsAndAgntSaysHowToKeepIt) {
  use_confirm_timer(3);
  start_daemon();
  Tmux tmux(env, vars());
  ASSERT_TRUE(tmux.wait_for_prompt());
  tmux.line("rename this machine to demo");
  ASSERT_TRUE(tmux.wait_for("Apply? [y/N]"));
  fs::remove(daemon->socket());
  tmux.line("y");
  ASSERT_TRUE(tmux.wait_for_joined("not confirmed: cannot reach agntd over a new connection; the watchdog will revert it in "));
  EXPECT_TRUE(tmux.wait_for_joined("to keep it: /confirm, or run agntctl confirm a-"));
  EXPECT_TRUE(tmux.wait_for("✓ apply"));
  const auto until = std::chrono::steady_clock::now() + 30s;
  while (entries_of("AutoRevert") == 0 && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(100ms);
  EXPECT_EQ(entries_of("AutoRevert"), 1u) << tmux.screen();
  EXPECT_EQ(entries_of("Confirm"), 0u);
  EXPECT_FALSE(renamed());
}

// /confirm: a change applied elsewhere (agntctl on another terminal), confirmed by its id; with
// nothing to confirm, or an id whose timer is not pending, it says so.
TEST_F(AgntTest, SlashConfirmConfirmsAWaitingChangeByItsId) {
  use_confirm_timer(60);
  start_daemon();
  Tmux tmux(env, vars());
  ASSERT_TRUE(tmux.wait_for_prompt());
  tmux.line("/confirm");
  ASSERT_TRUE(tmux.wait_for("no change is waiting for a confirmation from this session"));
  const auto proposed = env.run({"propose", "set", "networking.hostName", "demo", "--json"});
  ASSERT_EQ(proposed.exit_code, 0) << proposed.err;
  const auto applied = env.run({"apply", proposed.json()["id"], "--yes", "--json"});
  ASSERT_EQ(applied.exit_code, 0) << applied.err;
  const std::string id = applied.json()["id"];
  tmux.line("/confirm a-18f0c0ffee");
  ASSERT_TRUE(tmux.wait_for_joined("a-18f0c0ffee not confirmed: a-18f0c0ffee is not waiting for confirmation (" + id + " is)"));
  tmux.line("/confirm " + id);
  ASSERT_TRUE(tmux.wait_for("✓ confirmed " + id));
  EXPECT_EQ(entries_of("Confirm"), 1u);
  EXPECT_FALSE(fs::exists(env.config_dir() / ".agntos-confirm.json"));
}

TEST_F(AgntTest, ScriptedInputRunsTheSameConversation) {
  start_daemon();
  agntos::ProcessOptions options;
  options.env_set = vars();
  options.timeout = 120s;
  options.stdin_text = "install htop\nmaybe\ny\n/generations\n";
  const auto result = agntos::run_process({AGNT_BINARY}, options);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("Not an answer"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("✓ apply"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("Applied: Install package: htop"), std::string::npos) << result.out;
  EXPECT_TRUE(htop_installed());
}

}  // namespace
