// SPDX-License-Identifier: MIT
#include <iostream>
#include <stdexcept>

#include "agntctl/command.h"
#include "agntctl/elevation.h"
#include "agntctl/pipeline/confirm.h"
#include "agntctl/pipeline/transaction.h"
#include "common/error.h"
#include "common/files.h"

namespace agntctl {

using agntos::Errc;
using agntos::Error;

const ActionSpec* CommandSpec::find_action(std::string_view word) const {
  for (const auto& action : actions)
    if (word == action.name) return &action;
  return nullptr;
}

bool CommandSpec::asks() const {
  for (const auto& action : actions)
    if (action.confirmation == Confirmation::yes) return true;
  return false;
}

const std::string& Invocation::add_action(CLI::App& app, const std::string& description) {
  if (!m_command.has_actions()) throw std::logic_error(std::string(m_command.name) + " has no actions in the table");
  std::vector<std::string> words;
  for (const auto& action : m_command.actions) words.emplace_back(action.name);
  m_action = words.front();
  app.add_option("action", m_action, description)->check(CLI::IsMember(words));
  return m_action;
}

void Invocation::parse(CLI::App& app) {
  bool json_flag = false;
  std::string config_dir;
  app.name(std::string("agntctl ") + m_command.name);
  app.add_flag("--json", json_flag, "print one JSON object instead of text");
  app.add_option("--config-dir", config_dir, "config dir (default $AGNTOS_CONFIG_DIR or /etc/agntos)");
  if (m_command.asks()) {
    app.add_flag("--yes,-y", m_yes, "do not ask: the change was reviewed");
    app.add_option("--approved-by", m_approved_by, "who approved, recorded in the audit entry (with --yes)");
    app.add_flag("--plan", m_pin.plan_only, "print what would be done (summary, diff, effect, digest); change nothing");
    app.add_option("--digest", m_pin.digest, "go on only if the plan still has this digest (what the human approved)");
    app.add_option("--store-path", m_pin.store_path, "with --digest: activate the system S that was built for the plan");
  }
  std::vector<std::string> reversed(m_args.rbegin(), m_args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    throw HelpShown{};
  } catch (const CLI::ParseError& e) {
    throw Error(Errc::usage, std::string(e.what()) + " (see 'agntctl " + m_command.name + " --help')");
  }
  m_json = m_json || json_flag;
  if (!config_dir.empty()) m_config_dir = config_dir;
  m_paths.reset();
  if (m_approved_by && !m_yes) throw Error(Errc::usage, "--approved-by records who approved; it needs --yes");
  provide(action());
}

const ActionSpec& Invocation::action() const {
  if (!m_command.has_actions()) return m_command.actions.front();
  const ActionSpec* action = m_command.find_action(m_action);
  if (!action) throw std::logic_error(std::string(m_command.name) + ": add_action was not called");
  return *action;
}

void Invocation::provide(const ActionSpec& action) {
  const auto& where = paths();
  // Read once: gaining root needs them before anything else (recovery leaves agntos.toml alone).
  std::optional<agntos::Settings> settings;
  if (has(action.needs, Need::root) || has(action.needs, Need::settings)) settings = agntos::Settings::load(where);
  if (has(action.needs, Need::root) && needs_elevation(where, *settings))
    run_elevated(m_command.name, m_args, m_json, where.config_dir);
  if (has(action.needs, Need::config_dir)) require_config_dir(where);
  if (has(action.needs, Need::lock)) {
    if (!has(action.needs, Need::config_dir)) agntos::make_directories(where.config_dir);
    m_lock.emplace(agntos::lock_config_dir(where));
    if (has(action.needs, Need::recovery)) recover_with_lock_held(where);
  } else if (has(action.needs, Need::recovery)) {
    try {
      recover_interrupted_transaction(where);
    } catch (const Error& e) {
      // A user-level tool must not be blocked by a root transaction it cannot repair.
      if (e.code() != Errc::permission) throw;
      std::cerr << "agntctl: warning: an interrupted transaction needs recovery by root: " << e.what() << "\n";
    }
  }
  if (has(action.needs, Need::settings)) m_settings = std::move(settings);
}

const agntos::Paths& Invocation::paths() {
  if (!m_paths) m_paths = agntos::Paths::from_environment(m_config_dir);
  return *m_paths;
}

const agntos::Settings& Invocation::settings() const {
  if (!m_settings) throw std::logic_error(std::string(m_command.name) + " does not declare Need::settings");
  return *m_settings;
}

agntos::FileLock& Invocation::lock() {
  if (!m_lock) throw std::logic_error(std::string(m_command.name) + " does not declare Need::lock");
  return *m_lock;
}

Approval Invocation::confirm(const std::string& question, const std::string& details) {
  if (action().confirmation != Confirmation::yes)
    throw std::logic_error(std::string(m_command.name) + " " + m_action + " does not ask in the command table");
  if (m_yes) return Approval(m_approved_by.value_or("--yes"));
  ask_on_terminal(question, details);
  return Approval("tty");
}

}  // namespace agntctl
