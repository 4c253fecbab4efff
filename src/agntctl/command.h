// SPDX-License-Identifier: MIT
#pragma once
// What every agntctl command sees and returns.
//
// The command table (command_table.cpp) says, per command and per action, what it needs (the
// config dir, the settings, the config lock, crash recovery first) and whether it needs the
// human's yes. A command parses its own options with CLI11 through Invocation::parse, which adds
// the options every command shares and provides what the table declares; it does its work and
// returns an Output: a JSON object for --json and the text a person reads otherwise. The
// dispatcher prints one or the other, so every command supports --json the same way.

#include <CLI/CLI.hpp>

#include <optional>
#include <span>
#include <string_view>
#include <string>
#include <vector>

#include "agntctl/approval.h"
#include "common/json.h"
#include "common/file_lock.h"
#include "common/paths.h"
#include "common/settings.h"

namespace agntctl {

using agntos::Json;

struct Output {
  Json json = Json::object();
  std::string text;
  int exit_status = 0;
};

// What a command (or one of its actions) needs before its own code runs. The command table
// declares it; Invocation::parse provides it right after the arguments parse, in this order:
// the settings read (once), root gained (the whole run again through sudo, elevation.h), the
// config dir checked, the lock taken, an interrupted transaction recovered.
enum class Need : unsigned {
  none = 0,
  root = 1u << 4,        // changes root-owned state: through sudo when [rebuild] privilege says so
  config_dir = 1u << 0,  // the config dir exists (else a clear error naming the fix)
  lock = 1u << 1,        // the config lock is held until the command returns: Invocation::lock()
                         // (its file is in the config dir, created when the action does not need it)
  recovery = 1u << 2,    // a transaction interrupted by a crash is finished or reverted first
  settings = 1u << 3,    // agntos.toml is loaded once: Invocation::settings()
};
constexpr Need operator|(Need a, Need b) { return Need(unsigned(a) | unsigned(b)); }
constexpr bool has(Need set, Need one) { return (unsigned(set) & unsigned(one)) != 0; }

// Everything a change of the config tree or the system needs.
inline constexpr Need kChanges = Need::root | Need::recovery | Need::config_dir | Need::settings | Need::lock;

// Whether an action needs the human's yes (SPEC §3.2 step 2, §4 promise 1). Only an action that
// asks has --yes and --approved-by, and only it can obtain the Approval a transaction takes.
enum class Confirmation { no, yes };

struct ActionSpec {
  const char* name;  // the command's first positional word; "" for a command without actions
  Need needs;
  Confirmation confirmation;
};

// How the human's yes is pinned to what runs (docs/pipeline.md "Plans"): every command with an
// action that asks takes these options, next to --yes and --approved-by.
struct ApprovalPin {
  bool plan_only = false;                 // --plan: print what would be approved; change nothing
  std::optional<std::string> digest;      // --digest D: go on only if the plan still has digest D
  std::optional<std::string> store_path;  // --store-path S: activate the system S built for that plan
};

struct CommandSpec;

class Invocation {
public:
  Invocation(const CommandSpec& command, std::vector<std::string> args, bool json,
             std::optional<std::string> config_dir)
      : m_command(command), m_args(std::move(args)), m_json(json), m_config_dir(std::move(config_dir)) {}

  // For a command with actions: adds the action positional (the table's words, the first the
  // default) to `app`; call it before adding the command's own positionals. The returned word is
  // the chosen action once parse() has run.
  const std::string& add_action(CLI::App& app, const std::string& description);

  // Adds the shared options to `app` (--json, --config-dir, --help; --yes, --approved-by and the
  // ApprovalPin options when an action asks) and parses the arguments. --help prints the help and ends the command with
  // exit 0; a bad command line throws Error(Errc::usage). Then provides what the table says the
  // chosen action needs (Need, in its order).
  void parse(CLI::App& app);

  bool json() const { return m_json; }
  // Paths with --config-dir applied; valid after parse().
  const agntos::Paths& paths();
  // --plan, --digest, --store-path; valid after parse() for a command with an action that asks.
  const ApprovalPin& pin() const { return m_pin; }
  // agntos.toml; valid after parse() for an action that declares Need::settings.
  const agntos::Settings& settings() const;
  // The config lock; valid after parse() for an action that declares Need::lock.
  agntos::FileLock& lock();

  // The human's yes for this action: --yes (with --approved-by: who approved, e.g. "client:1000"
  // from agntd), or, on a terminal, `details` (the diff: control characters shown, never obeyed)
  // and `question` answered y/yes (default No). Anything else, or no terminal, throws
  // Error(Errc::not_confirmed). Throws std::logic_error for an action the table says does not ask.
  Approval confirm(const std::string& question, const std::string& details);

private:
  const ActionSpec& action() const;
  void provide(const ActionSpec& action);

  const CommandSpec& m_command;
  std::vector<std::string> m_args;
  bool m_json;
  std::optional<std::string> m_config_dir;
  std::optional<agntos::Paths> m_paths;
  std::string m_action;
  bool m_yes = false;
  std::optional<std::string> m_approved_by;
  ApprovalPin m_pin;
  std::optional<agntos::Settings> m_settings;
  std::optional<agntos::FileLock> m_lock;
};

// Thrown by Invocation::parse after printing --help; the dispatcher turns it into exit 0.
struct HelpShown {};

struct CommandSpec {
  const char* name;
  const char* alias;  // nullptr when none
  const char* summary;
  std::span<const ActionSpec> actions;  // one unnamed action, or the named ones (the first is the default)
  Output (*run)(Invocation&);

  bool has_actions() const { return actions.size() > 1 || *actions.front().name != '\0'; }
  const ActionSpec* find_action(std::string_view word) const;
  bool asks() const;  // some action needs the human's yes
};

}  // namespace agntctl
