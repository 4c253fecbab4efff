// SPDX-License-Identifier: MIT
#include <iostream>
#include <string>
#include <vector>

#include "agntctl/command_table.h"
#include "common/error.h"
#include "common/text.h"

#ifndef AGNTOS_VERSION
#define AGNTOS_VERSION "0.0.0"
#endif

namespace agntctl {
namespace {

using agntos::Errc;
using agntos::Error;

// " [asks for confirmation]", or which actions ask: " [undo, generation ask for confirmation]".
std::string asks_note(const CommandSpec& command) {
  if (!command.asks()) return "";
  if (!command.has_actions()) return " [asks for confirmation]";
  std::vector<std::string> asking;
  for (const auto& action : command.actions)
    if (action.confirmation == Confirmation::yes) asking.emplace_back(action.name);
  return " [" + agntos::join(asking, ", ") + (asking.size() == 1 ? " asks" : " ask") + " for confirmation]";
}

void print_usage(std::ostream& out) {
  out << "agntctl " AGNTOS_VERSION " - the AgntOS system tools\n\n"
      << "Usage: agntctl [--json] [--config-dir DIR] <command> [args...]\n\nCommands:\n";
  for (const auto& command : command_table()) {
    std::string name = command.name;
    if (command.alias) name += std::string(" (") + command.alias + ")";
    out << "  " << name << std::string(name.size() < 24 ? 24 - name.size() : 1, ' ') << command.summary
        << asks_note(command) << "\n";
  }
  out << "\nRun 'agntctl <command> --help' for a command's options. Exit codes: 0 ok, 1 failed,\n"
         "2 usage error, 3 refused, 4 conflict. Environment: AGNTOS_CONFIG_DIR, AGNTOS_STATE_DIR.\n";
}

}  // namespace

int dispatch(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  // Every argument ends up in JSON (audit entries, proposals, output), which is UTF-8: a clear
  // refusal here rather than replacement characters or a failure deep inside a command.
  for (size_t index = 0; index < args.size(); ++index)
    if (const auto bad = agntos::first_invalid_utf8(args[index]))
      throw Error(Errc::usage, "argument " + std::to_string(index + 1) + " is not valid UTF-8 (byte " +
                                   std::to_string(*bad + 1) + " of '" + agntos::visible_text(args[index]) +
                                   "'); agntctl takes its arguments as UTF-8 text");
  bool json = false;
  std::optional<std::string> config_dir;
  size_t i = 0;
  // Global options before the command name.
  for (; i < args.size() && args[i].starts_with("-"); ++i) {
    if (args[i] == "--json") {
      json = true;
    } else if (args[i] == "--config-dir" && i + 1 < args.size()) {
      config_dir = args[++i];
    } else if (args[i].starts_with("--config-dir=")) {
      config_dir = args[i].substr(13);
    } else if (args[i] == "--help" || args[i] == "-h") {
      print_usage(std::cout);
      return 0;
    } else if (args[i] == "--version") {
      std::cout << (json ? agntos::dump_json(agntos::Json{{"version", AGNTOS_VERSION}}) : "agntctl " AGNTOS_VERSION) << "\n";
      return 0;
    } else {
      throw Error(Errc::usage, "unknown option " + args[i] + " (see 'agntctl --help')");
    }
  }
  if (i == args.size()) {
    print_usage(std::cerr);
    return 2;
  }
  const CommandSpec* command = find_command(args[i]);
  if (!command) throw Error(Errc::usage, "unknown command '" + args[i] + "' (see 'agntctl --help')");

  Invocation invocation(*command, std::vector<std::string>(args.begin() + static_cast<long>(i) + 1, args.end()), json,
                        config_dir);
  Output output;
  try {
    output = command->run(invocation);
  } catch (const HelpShown&) {
    return 0;
  }
  if (invocation.json()) {
    std::cout << agntos::dump_json(output.json, 2) << "\n";
  } else if (!output.text.empty()) {
    // Text of files, commands and the model: shown, never obeyed by the terminal.
    std::cout << agntos::visible_text(output.text) << (output.text.back() == '\n' ? "" : "\n");
  }
  return output.exit_status;
}

}  // namespace agntctl
