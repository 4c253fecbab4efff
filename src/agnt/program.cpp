// SPDX-License-Identifier: MIT
#include "agnt/program.h"

#include <langinfo.h>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include <clocale>
#include <cstring>
#include <iostream>

#include "agnt/chat.h"
#include "agnt/connection.h"
#include "agnt/input.h"
#include "agnt/signals.h"
#include "agnt/slash_commands.h"
#include "agnt/style.h"
#include "common/error.h"
#include "common/files.h"
#include "common/paths.h"

#ifndef AGNTOS_VERSION
#define AGNTOS_VERSION "0.0.0"
#endif

namespace agnt {
namespace {

// `agnt system ARGS` is `agntctl ARGS`: the same process slot, so its prompts, exit status
// and signals are agntctl's own.
[[noreturn]] void exec_agntctl(int argc, char** argv) {
  const std::string program = find_agntctl().string();
  std::vector<char*> args{const_cast<char*>(program.c_str())};
  for (int i = 0; i < argc; ++i) args.push_back(argv[i]);
  args.push_back(nullptr);
  if (program.find('/') != std::string::npos) ::execv(program.c_str(), args.data());
  else ::execvp(program.c_str(), args.data());
  throw agntos::Error(agntos::Errc::not_found, "cannot run " + program + ": " + std::strerror(errno) +
                                                   " (install agntctl or set AGNTOS_AGNTCTL)");
}

// libedit and the width of wide characters need a UTF-8 character type.
void use_utf8_locale() {
  if (std::setlocale(LC_CTYPE, "") && std::strcmp(::nl_langinfo(CODESET), "UTF-8") == 0) return;
  std::setlocale(LC_CTYPE, "C.UTF-8");
}

}  // namespace

int run(int argc, char** argv) {
  if (argc >= 2 && std::strcmp(argv[1], "system") == 0) exec_agntctl(argc - 2, argv + 2);

  CLI::App app{"agnt - the AgntOS terminal chat client: talk to the agent (agntd), approve its changes.\n"
               "  agnt                  chat (starts agntd for the session when none is running)\n"
               "  agnt -p \"<prompt>\"    answer once and exit; never approves a change\n"
               "  agnt system ARGS      run agntctl ARGS\n"
               "Inside: /help lists the slash commands. Docs: docs/agnt.md"};
  app.set_version_flag("--version", "agnt " AGNTOS_VERSION);
  std::optional<std::string> prompt;
  std::optional<std::string> resume;
  std::optional<std::string> socket;
  std::string color = "auto";
  app.add_option("-p,--print", prompt, "answer this prompt once and exit (never approves)");
  app.add_option("-r,--resume", resume, "resume the session with this id");
  app.add_option("--socket", socket, "agntd's socket (default $AGNTOS_SOCKET, else $XDG_RUNTIME_DIR/agntd.sock)");
  app.add_option("--color", color, "always | never | auto (auto: on a terminal unless NO_COLOR is set)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    throw agntos::Error(agntos::Errc::usage, std::string(e.what()) + " (see 'agnt --help')");
  }

  use_utf8_locale();
  Style style{color_enabled(parse_color_choice(color))};
  auto paths = agntos::Paths::from_environment();
  if (socket) paths.socket = agntos::fs::absolute(*socket);
  InterruptPipe interrupts;
  if (prompt) {
    ChatClient client(paths, style, nullptr, interrupts);
    return client.once(*prompt);
  }
  std::unique_ptr<LineInput> input;
  ChatClient* client_ptr = nullptr;
  if (::isatty(STDIN_FILENO) && ::isatty(STDOUT_FILENO)) {
    agntos::make_directories(paths.state_dir, 0700);
    input = make_terminal_input(paths.state_dir / "agnt_history", interrupts.fd(), [&client_ptr](const std::string& prefix) {
      return complete_slash(prefix, client_ptr ? client_ptr->skill_names() : std::vector<std::string>{});
    });
  } else {
    input = make_plain_input(interrupts.fd());
  }
  ChatClient client(paths, style, input.get(), interrupts);
  client_ptr = &client;
  return client.interactive(resume);
}

}  // namespace agnt
