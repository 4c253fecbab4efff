// SPDX-License-Identifier: MIT
// agntctl doctor: check the installation (SPEC §3 additional subcommands).
#include <unistd.h>

#include "agntctl/commands.h"
#include "agntctl/pipeline/backend.h"
#include "agntctl/pipeline/change_set.h"
#include "common/audit.h"
#include "common/error.h"
#include "common/files.h"
#include "common/git_repo.h"
#include "common/process.h"
#include "common/settings.h"

namespace agntctl {

Output run_doctor(Invocation& inv) {
  CLI::App app{"Check the installation: Nix, the rebuild backend, the config dir, its git history, the sandbox,\n"
               "and drift between the config tree and the running generation. Exit 1 when a check fails."};
  inv.parse(app);
  const auto& paths = inv.paths();

  Json checks = Json::array();
  bool all_ok = true;
  auto report = [&](const std::string& name, bool ok, const std::string& detail, bool warning_only = false) {
    checks.push_back(Json{{"check", name}, {"ok", ok}, {"detail", detail}});
    if (!ok && !warning_only) all_ok = false;
  };

  std::optional<agntos::Settings> settings;
  try {
    settings = agntos::Settings::load(paths);
    report("settings", true, agntos::fs::exists(paths.settings_file()) ? paths.settings_file().string() + " is valid"
                                                                       : "no agntos.toml; defaults apply");
  } catch (const agntos::Error& e) {
    report("settings", false, e.what());
  }

  for (const char* program : {"nix-instantiate", "nix-build", "nix-env"}) {
    const auto found = agntos::find_program(program);
    report(program, found.has_value(), found ? found->string() : std::string(program) + " not found: install Nix");
  }
  if (settings && settings->rebuild.backend == "nixos") {
    const auto found = agntos::find_program("nixos-rebuild");
    report("nixos-rebuild", found.has_value(), found ? found->string() : "nixos-rebuild not found: this is not NixOS; "
                                                                         "use [rebuild] backend = \"profile\" here");
  }
  if (settings && settings->rebuild.backend == "profile")
    report("profile package set", !settings->rebuild.profile_pkgs.empty(),
           settings->rebuild.profile_pkgs.empty() ? "[rebuild.profile] pkgs is not set"
                                                  : settings->rebuild.profile_pkgs);

  std::error_code ec;
  const bool config_exists = agntos::fs::is_directory(paths.config_dir, ec);
  report("config dir", config_exists,
         config_exists ? paths.config_dir.string() + (::access(paths.config_dir.c_str(), W_OK) == 0
                                                          ? " (writable: apply can run as this user)"
                                                          : " (read-only for this user: apply runs through sudo)")
                       : paths.config_dir.string() + " does not exist");
  report("journal", !agntos::fs::exists(paths.journal(), ec),
         agntos::fs::exists(paths.journal(), ec) ? "an interrupted transaction is pending; any mutating agntctl "
                                                   "command recovers it"
                                                 : "no interrupted transaction");

  if (config_exists && agntos::fs::exists(paths.config_dir / ".git", ec)) {
    try {
      auto repo = agntos::GitRepo::open_or_init(paths.config_dir);
      const bool dirty = repo.module_tree_dirty();
      report("git history", !dirty, dirty ? "module files changed outside AgntOS since the last commit (the next "
                                            "transaction records them)"
                                          : "module tree matches the last commit", true);
    } catch (const agntos::Error& e) {
      report("git history", false, e.what());
    }
  } else {
    report("git history", true, "no history yet (created by the first apply)");
  }

  if (settings) {
    auto backend = make_backend(paths, *settings);
    const auto current = backend->current_generation();
    const auto entries = agntos::AuditLog(paths.audit_log()).read_all();
    std::optional<long long> recorded;
    for (const auto& entry : entries) {
      const auto type = entry.action_type();
      if (entry.status == "Success" && (type == "Apply" || type == "Undo" || type == "Rollback" || type == "Recover") &&
          entry.generation_after)
        recorded = entry.generation_after;
    }
    if (!recorded) {
      report("drift", true, "no generation made by AgntOS yet", true);
    } else {
      const bool same = current == recorded;
      report("drift", same,
             same ? "running generation " + std::to_string(*current) + " is the one AgntOS last made"
                  : "running generation " + (current ? std::to_string(*current) : std::string("none")) +
                        " differs from generation " + std::to_string(*recorded) +
                        " that AgntOS last made; the config tree may not match the running system",
             true);
    }
    const bool sandbox = settings->policy.bash_sandbox == "off" || agntos::find_program("bwrap").has_value();
    report("run_bash sandbox", sandbox,
           settings->policy.bash_sandbox == "off" ? "off by policy (run_bash is unconfined)"
           : sandbox                              ? "bubblewrap found"
                                                  : "bubblewrap (bwrap) not found: run_bash will refuse to run");
  }

  Output output;
  output.json = Json{{"ok", all_ok}, {"checks", checks}};
  for (const auto& check : checks)
    output.text += std::string(check["ok"].get<bool>() ? "ok    " : "FAIL  ") + check["check"].get<std::string>() +
                   ": " + check["detail"].get<std::string>() + "\n";
  output.exit_status = all_ok ? 0 : 1;
  return output;
}

}  // namespace agntctl
