// SPDX-License-Identifier: MIT
#pragma once
// What every agntctl command sees and returns.
//
// A command parses its own options with CLI11 through Invocation::parse (which adds the
// options every command shares: --json, --config-dir, --help), does its work, and returns an
// Output: a JSON object for --json and the text a person reads otherwise. The dispatcher
// prints one or the other, so every command supports --json the same way.

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/paths.h"

namespace agntctl {

using agntos::Json;

struct Output {
  Json json = Json::object();
  std::string text;
  int exit_status = 0;
};

enum class Mutates { no, yes };          // writes files or runs commands (recovers a journal first)
enum class Confirmation { no, yes };     // needs the human's yes (SPEC §3)

class Invocation {
public:
  Invocation(std::string command, Mutates mutates, std::vector<std::string> args, bool json,
             std::optional<std::string> config_dir)
      : m_command(std::move(command)), m_mutates(mutates), m_args(std::move(args)), m_json(json),
        m_config_dir(std::move(config_dir)) {}

  // Adds the shared options to `app` and parses the arguments. --help prints the help and
  // ends the command with exit 0; a bad command line throws Error(Errc::usage). For a
  // command that mutates, a transaction interrupted by a crash is then finished or reverted.
  void parse(CLI::App& app);

  const std::string& command() const { return m_command; }
  bool json() const { return m_json; }
  // Paths with --config-dir applied; valid after parse().
  const agntos::Paths& paths();

private:
  std::string m_command;
  Mutates m_mutates;
  std::vector<std::string> m_args;
  bool m_json;
  std::optional<std::string> m_config_dir;
  std::optional<agntos::Paths> m_paths;
};

// Thrown by Invocation::parse after printing --help; the dispatcher turns it into exit 0.
struct HelpShown {};

struct CommandSpec {
  const char* name;
  const char* alias;  // nullptr when none
  const char* summary;
  Mutates mutates;
  Confirmation confirmation;
  Output (*run)(Invocation&);
};

}  // namespace agntctl
