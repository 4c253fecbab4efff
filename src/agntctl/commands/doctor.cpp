// SPDX-License-Identifier: MIT
// agntctl doctor: check the installation (SPEC §3 additional subcommands).
//
// Every check ends as "ok", "warn" (worth knowing, nothing is broken: a hand edit in the module
// tree, a generation AgntOS did not make) or "fail" (something AgntOS needs is missing or
// wrong). A failed check carries a hint the user can follow on this machine. The command exits
// 1 when any check failed, and then the JSON's "ok" is false.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "agntctl/commands.h"
#include "agntctl/pipeline/nixpkgs_lib.h"
#include "agntctl/pipeline/backend.h"
#include "common/audit.h"
#include "common/error.h"
#include "common/files.h"
#include "common/git_repo.h"
#include "common/process.h"
#include "common/settings.h"
#include "common/text.h"

namespace agntctl {
namespace {

namespace fs = std::filesystem;

class Report {
public:
  void ok(const std::string& check, const std::string& detail) { add(check, "ok", detail, ""); }
  void warn(const std::string& check, const std::string& detail, const std::string& hint = "") {
    add(check, "warn", detail, hint);
  }
  void fail(const std::string& check, const std::string& detail, const std::string& hint) {
    add(check, "fail", detail, hint);
  }
  // A check that does not apply here and was not run (never reported as passed).
  void skip(const std::string& check, const std::string& detail) { add(check, "skip", detail, ""); }

  Output output() const {
    Output output;
    bool all_ok = true;
    for (const auto& check : m_checks) {
      const auto status = check["status"].get<std::string>();
      if (status == "fail") all_ok = false;
      output.text += (status == "ok"     ? "ok    "
                      : status == "warn" ? "warn  "
                      : status == "skip" ? "skip  "
                                         : "FAIL  ") +
                     check["check"].get<std::string>() + ": " + check["detail"].get<std::string>() + "\n";
      if (check["hint"].is_string()) output.text += "      fix: " + check["hint"].get<std::string>() + "\n";
    }
    output.json = Json{{"ok", all_ok}, {"checks", m_checks}};
    output.exit_status = all_ok ? 0 : 1;
    return output;
  }

private:
  void add(const std::string& check, const std::string& status, const std::string& detail, const std::string& hint) {
    m_checks.push_back(Json{{"check", check},
                            {"status", status},
                            {"ok", status != "fail"},
                            {"detail", detail},
                            {"hint", hint.empty() ? Json() : Json(hint)}});
  }

  Json m_checks = Json::array();
};

std::string octal(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode));
  return text;
}

// The closest ancestor of `path` (or `path` itself) that exists.
fs::path nearest_existing(fs::path path) {
  std::error_code ec;
  path = fs::absolute(path).lexically_normal();
  while (!fs::exists(path, ec) && path.has_parent_path() && path.parent_path() != path) path = path.parent_path();
  return path;
}

// A directory AgntOS creates on first use: fine when it exists and is writable, or when its
// nearest existing ancestor is a writable directory.
std::optional<std::string> creatable_dir_problem(const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec)) return dir.string() + " exists and is not a directory";
    if (::access(dir.c_str(), W_OK | X_OK) != 0) return dir.string() + " is not writable by this user";
    return std::nullopt;
  }
  const auto ancestor = nearest_existing(dir);
  if (!fs::is_directory(ancestor, ec)) return ancestor.string() + " is not a directory, so " + dir.string() + " cannot be created";
  if (::access(ancestor.c_str(), W_OK | X_OK) != 0)
    return dir.string() + " does not exist and " + ancestor.string() + " is not writable by this user";
  return std::nullopt;
}

void check_settings(Report& report, const agntos::Paths& paths, std::optional<agntos::Settings>& settings) {
  try {
    settings = agntos::Settings::load(paths);
    std::error_code ec;
    report.ok("settings", fs::exists(paths.settings_file(), ec) ? paths.settings_file().string() + " is valid"
                                                                 : "no agntos.toml; defaults apply");
  } catch (const agntos::Error& e) {
    report.fail("settings", e.what(), "correct the key named above in " + paths.settings_file().string());
  }
}

void check_nix(Report& report) {
  for (const char* program : {"nix-instantiate", "nix-build", "nix-env"}) {
    if (const auto found = agntos::find_program(program))
      report.ok(program, found->string());
    else
      report.fail(program, std::string(program) + " not found on PATH; AgntOS validates and builds every change with Nix",
                  "install Nix (Debian: apt-get install nix-bin)");
  }
}

void check_nixos_backend(Report& report, const agntos::Paths& paths, const agntos::Settings& settings) {
  if (const auto found = agntos::find_program("nixos-rebuild"))
    report.ok("nixos-rebuild", found->string());
  else
    report.fail("nixos-rebuild", "nixos-rebuild not found on PATH, and [rebuild] backend is \"nixos\" (the default)",
                "this is not NixOS: set [rebuild] backend = \"profile\" and [rebuild.profile] pkgs in " +
                    paths.settings_file().string());
  const auto flake = !settings.rebuild.flake.empty()
                         ? std::optional<std::string>(settings.rebuild.flake)
                         : agntos::read_file_if_exists(paths.config_dir / "flake-info");
  if (!flake || agntos::trim(*flake).empty()) return;
  // A local flake must exist; remote ones (github:, git+https:) are not checked.
  std::string location(agntos::trim(*flake));
  location = location.substr(0, location.find('#'));
  if (location.starts_with("path:")) location = location.substr(5);
  if (location.starts_with("git+file://")) location = location.substr(11);
  if (!location.starts_with("/")) {
    report.ok("flake", std::string(agntos::trim(*flake)) + " (not a local path; not checked)");
    return;
  }
  std::error_code ec;
  if (fs::exists(fs::path(location) / "flake.nix", ec))
    report.ok("flake", std::string(agntos::trim(*flake)));
  else
    report.fail("flake", location + "/flake.nix does not exist (flake " + std::string(agntos::trim(*flake)) + ")",
                "set [rebuild] flake in " + paths.settings_file().string() + " (or the flake-info file in " +
                    paths.config_dir.string() + ") to the system's flake");
}

void check_profile_backend(Report& report, const agntos::Paths& paths, const agntos::Settings& settings) {
  std::error_code ec;
  const auto file = paths.settings_file().string();
  const auto demo = (nix_data_dir(paths) / "demo-pkgs").string();
  const auto& pkgs = settings.rebuild.profile_pkgs;
  if (pkgs.empty()) {
    report.fail("profile package set", "[rebuild.profile] pkgs is not set",
                "set [rebuild.profile] pkgs in " + file + " to a package set (for example the demo set " + demo + ")");
  } else if (pkgs.starts_with("/")) {
    const fs::path set(pkgs);
    const bool usable = fs::is_regular_file(set, ec) || fs::exists(set / "default.nix", ec);
    if (usable)
      report.ok("profile package set", pkgs);
    else
      report.fail("profile package set",
                  pkgs + (fs::exists(set, ec) ? " has no default.nix" : " does not exist"),
                  "point [rebuild.profile] pkgs in " + file + " at a package set (a nixpkgs checkout, or the demo "
                  "set " + demo + ")");
  } else {
    // A NIX_PATH entry ("nixpkgs" or "<nixpkgs>"): ask Nix where it is.
    std::string name = pkgs;
    std::erase(name, '<');
    std::erase(name, '>');
    agntos::ProcessResult found;
    if (agntos::find_program("nix-instantiate")) {
      agntos::ProcessOptions options;
      options.timeout = std::chrono::seconds(30);
      found = agntos::run_process({"nix-instantiate", "--find-file", name}, options);
    }
    if (found.ok())
      report.ok("profile package set", pkgs + " = " + std::string(agntos::trim(found.out)));
    else
      report.fail("profile package set", "NIX_PATH has no entry " + name + " (for [rebuild.profile] pkgs = \"" + pkgs + "\")",
                  "add it to NIX_PATH (NIX_PATH=" + name + "=/path/to/set) or set [rebuild.profile] pkgs in " + file +
                      " to an absolute path");
  }

  const fs::path profile(settings.rebuild.profile_path);
  if (fs::exists(fs::symlink_status(profile, ec)) && !fs::is_symlink(fs::symlink_status(profile, ec)))
    report.fail("profile path", profile.string() + " exists and is not a Nix profile (a symlink to a generation)",
                "set [rebuild.profile] path in " + file + " to a new path, or move " + profile.string() + " away");
  else if (const auto problem = creatable_dir_problem(profile.parent_path()))
    report.fail("profile path", *problem + " (the parent of [rebuild.profile] path " + profile.string() + ")",
                "set [rebuild.profile] path in " + file + " to a path below a directory you can write");
  else
    report.ok("profile path", profile.string());

  const auto evaluator = nix_data_dir(paths) / "profile" / "system.nix";
  if (fs::exists(evaluator, ec))
    report.ok("data dir", paths.data_dir.string());
  else
    report.fail("data dir", evaluator.string() + " does not exist; the profile backend evaluates the config tree with it",
                "set AGNTOS_DATA_DIR to the directory that holds AgntOS's nix/ folder (the source tree or the "
                "installed share/agntos)");

  // Which evaluator builds the tree: NixOS's module system (option types, "does not exist",
  // an options index) or the builtin one, which knows none of that.
  try {
    if (settings.rebuild.profile_lib == "none" || reachable_nixpkgs_lib(settings))
      report.ok("profile evaluator", profile_evaluator_description(settings));
    else
      report.warn("profile evaluator", profile_evaluator_description(settings),
                  "set [rebuild.profile] lib in " + file + " to nixpkgs' lib/ folder (or \"<nixpkgs/lib>\") so "
                  "changes are checked against NixOS's option declarations and types");
  } catch (const agntos::Error& e) {
    report.fail("profile evaluator", e.what(), "fix [rebuild.profile] lib in " + file + ", or set it to \"none\"");
  }
}

void check_config_dir(Report& report, const agntos::Paths& paths) {
  std::error_code ec;
  if (!fs::is_directory(paths.config_dir, ec)) {
    report.fail("config dir", paths.config_dir.string() + " does not exist",
                "create it as root (mkdir -p " + paths.config_dir.string() +
                    ") or point AGNTOS_CONFIG_DIR or --config-dir at one");
    return;
  }
  report.ok("config dir", paths.config_dir.string() + (::access(paths.config_dir.c_str(), W_OK) == 0
                                                           ? " (writable: apply can run as this user)"
                                                           : " (read-only for this user: apply runs through sudo)"));
  if (fs::exists(paths.journal(), ec))
    report.fail("journal", "an interrupted transaction is pending (" + paths.journal().string() + ")",
                "run 'agntctl rollback list' as the user who applies (root, or through sudo): every mutating "
                "command finishes or reverts it first");
  else
    report.ok("journal", "no interrupted transaction");

  if (!fs::exists(paths.config_dir / ".git", ec)) {
    report.ok("git history", "no history yet (created by the first apply)");
    return;
  }
  try {
    auto repo = agntos::GitRepo::open_or_init(paths.config_dir);
    if (repo.module_tree_dirty())
      report.warn("git history",
                  "module files changed outside AgntOS since the last commit (the next transaction records them)");
    else
      report.ok("git history", "module tree matches the last commit");
  } catch (const agntos::Error& e) {
    report.fail("git history", e.what(), "check " + (paths.config_dir / ".git").string() + " with 'git -C " +
                                             paths.config_dir.string() + " status'");
  }
}

void check_state_dir(Report& report, const agntos::Paths& paths) {
  std::error_code ec;
  const auto& dir = paths.state_dir;
  if (const auto problem = creatable_dir_problem(dir)) {
    report.fail("state dir", *problem, "set AGNTOS_STATE_DIR (or XDG_STATE_HOME) to a directory you own");
    return;
  }
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) {
    report.ok("state dir", dir.string() + " (created with mode 0700 on first use)");
  } else if ((st.st_mode & 077) != 0) {
    report.warn("state dir", dir.string() + " is open to other users (mode " + octal(st.st_mode & 07777) +
                                 "); it holds conversations and memory",
                "chmod 700 " + dir.string());
  } else {
    report.ok("state dir", dir.string() + " (private)");
  }
}

void check_drift(Report& report, const agntos::Paths& paths, const agntos::Settings& settings) {
  std::optional<long long> current;
  try {
    current = make_backend(paths, settings)->current_generation();
  } catch (const agntos::Error& e) {
    report.fail("drift", std::string("cannot read the running generation: ") + e.what(),
                "fix the checks above that failed for the rebuild backend");
    return;
  }
  std::optional<long long> recorded;
  for (const auto& entry : agntos::AuditLog(paths.audit_log()).read_all()) {
    using enum agntos::AuditActionType;
    const auto type = entry.action.type;
    if (entry.result.status == agntos::AuditStatus::success &&
        (type == apply || type == undo || type == rollback || type == recover) && entry.generation_after)
      recorded = entry.generation_after;
  }
  if (!recorded) {
    report.ok("drift", "no generation made by AgntOS yet");
  } else if (current == recorded) {
    report.ok("drift", "running generation " + std::to_string(*current) + " is the one AgntOS last made");
  } else {
    report.warn("drift",
                "running generation " + (current ? std::to_string(*current) : std::string("none")) +
                    " differs from generation " + std::to_string(*recorded) +
                    " that AgntOS last made; the config tree may not match the running system",
                "'agntctl rollback list' shows the generations; 'agntctl rollback generation " +
                    std::to_string(*recorded) + "' returns to AgntOS's");
  }
}

void check_sandbox(Report& report, const agntos::Paths& paths, const agntos::Settings& settings) {
  if (settings.policy.bash_sandbox == agntos::SandboxPolicy::off)
    report.warn("run_bash sandbox", "off by policy ([policy] bash_sandbox = \"off\"): run_bash is unconfined",
                "set [policy] bash_sandbox = \"required\" in " + paths.settings_file().string());
  else if (const auto bwrap = agntos::find_program("bwrap"))
    report.ok("run_bash sandbox", "bubblewrap found: " + bwrap->string());
  else
    report.fail("run_bash sandbox", "bubblewrap (bwrap) not found on PATH: run_bash will refuse to run",
                "install bubblewrap (Debian: apt-get install bubblewrap; NixOS: add pkgs.bubblewrap to "
                "environment.systemPackages)");
}

// ---- NixOS: the module services.agntos (docs/nixos.md) ------------------------------------
// Paths are read below AGNTOS_DOCTOR_ROOT when it is set (a test seam: a fake root with
// etc/NIXOS, etc/group, etc/sudoers, etc/systemd/user and run/current-system); "/" otherwise.

fs::path system_root() {
  const char* root = std::getenv("AGNTOS_DOCTOR_ROOT");
  return root && *root ? fs::path(root) : fs::path("/");
}

fs::path under_root(const fs::path& root, const fs::path& path) { return root / path.relative_path(); }

struct GroupEntry {
  gid_t gid = 0;
  std::vector<std::string> members;
};

// The group `name` from <root>/etc/group (NixOS writes it from users.groups).
std::optional<GroupEntry> read_group(const fs::path& root, const std::string& name) {
  const auto text = agntos::read_file_if_exists(root / "etc/group");
  if (!text) return std::nullopt;
  for (const auto& line : agntos::split_lines(*text)) {
    const auto fields = agntos::split(line, ':');
    if (fields.size() < 3 || fields[0] != name) continue;
    GroupEntry entry;
    try {
      entry.gid = static_cast<gid_t>(std::stoul(fields[2]));
    } catch (const std::exception&) {
      return std::nullopt;
    }
    if (fields.size() > 3)
      for (const auto& member : agntos::split(fields[3], ','))
        if (!member.empty()) entry.members.push_back(member);
    return entry;
  }
  return std::nullopt;
}

bool in_group(const GroupEntry& group) {
  if (::getegid() == group.gid) return true;
  std::vector<gid_t> groups(static_cast<size_t>(std::max(::getgroups(0, nullptr), 0)));
  const int count = ::getgroups(static_cast<int>(groups.size()), groups.data());
  return count > 0 && std::find(groups.begin(), groups.begin() + count, group.gid) != groups.begin() + count;
}

constexpr const char* kModuleHint =
    "import AgntOS's NixOS module and set services.agntos.enable = true (and services.agntos.users = [ \"you\" ]), "
    "then nixos-rebuild switch (docs/nixos.md)";

// The config dir and its folders have the owners and modes the module's tmpfiles rules give.
void check_nixos_config_modes(Report& report, const agntos::Paths& paths, const GroupEntry& group) {
  const auto& dir = paths.config_dir;
  std::vector<std::string> problems;
  const auto expect = [&](const fs::path& path, uid_t uid, gid_t gid, mode_t mode) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
      problems.push_back(path.string() + " is missing");
      return;
    }
    const mode_t actual = st.st_mode & 07777;
    if ((actual & 0002) != 0) problems.push_back(path.string() + " is world-writable (mode " + octal(actual) + ")");
    else if (actual != mode) problems.push_back(path.string() + " has mode " + octal(actual) + ", not " + octal(mode));
    if (st.st_uid != uid || st.st_gid != gid)
      problems.push_back(path.string() + " is owned by " + std::to_string(st.st_uid) + ":" + std::to_string(st.st_gid) +
                         ", not " + std::to_string(uid) + ":" + std::to_string(gid));
  };
  expect(dir, 0, group.gid, 0750);
  for (const char* kind : agntos::kModuleKinds) expect(dir / kind, 0, 0, 0755);
  expect(paths.proposals_dir(), 0, group.gid, 02770);
  if (problems.empty())
    report.ok("config dir modes", dir.string() + " root:agntos 0750, module folders root 0755, proposals/ root:agntos 2770");
  else
    report.fail("config dir modes", agntos::join(problems, "; "),
                "sudo systemd-tmpfiles --create (the module's rules set the owners and modes; they also run at every "
                "switch and boot)");
}

// The group's sudo rule: read from sudoers by root, listed with `sudo -n -l` by a member.
void check_nixos_sudo_rule(Report& report, const fs::path& root, const GroupEntry& group) {
  const std::string hint = "set services.agntos.enable = true and keep security.sudo.enable on, then nixos-rebuild switch";
  if (::geteuid() == 0) {
    const auto sudoers = agntos::read_file_if_exists(root / "etc/sudoers");
    if (!sudoers) {
      report.fail("sudo rule", under_root(root, "/etc/sudoers").string() + " does not exist", hint);
      return;
    }
    for (const auto& line : agntos::split_lines(*sudoers))
      if (line.starts_with("%agntos") && line.find("agntctl apply *") != std::string::npos &&
          line.find("agntctl rollback *") != std::string::npos) {
        report.ok("sudo rule", "the group agntos may run agntctl apply, rollback and confirm as root");
        return;
      }
    report.fail("sudo rule", "sudoers has no rule for the group agntos (agntctl apply|rollback|confirm)", hint);
    return;
  }
  if (!in_group(group)) {
    report.fail("sudo rule", "this user is not a member of the group agntos, so it cannot apply or roll back",
                "add the user to services.agntos.users, nixos-rebuild switch, and log in again");
    return;
  }
  if (!agntos::find_program("sudo")) {
    report.fail("sudo rule", "sudo is not on PATH (NixOS: /run/wrappers/bin/sudo)", "add /run/wrappers/bin to PATH");
    return;
  }
  agntos::ProcessOptions options;
  options.timeout = std::chrono::seconds(10);
  const auto listed = agntos::run_process({"sudo", "-n", "-l"}, options);
  if (listed.ok() && listed.out.find("agntctl apply") != std::string::npos)
    report.ok("sudo rule", "sudo lets this user run agntctl apply, rollback and confirm");
  else if (!listed.ok() && listed.err.find("password") != std::string::npos)
    report.warn("sudo rule", "sudo asks for a password before listing the rules (services.agntos.requirePassword): "
                             "apply and rollback work from a terminal only");
  else
    report.fail("sudo rule", "sudo -l does not list agntctl apply for this user", hint);
}

// The options index of the running generation (written by the module into every system).
void check_nixos_options_index(Report& report, const fs::path& root) {
  const auto file = under_root(root, "/run/current-system/agntos/options.json");
  const auto text = agntos::read_file_if_exists(file);
  if (!text) {
    report.warn("options index",
                file.string() + " does not exist: propose skips checking option paths and types against NixOS's options",
                "rebuild with a version of the AgntOS module that writes the index (nixos-rebuild switch)");
    return;
  }
  try {
    const auto json = agntos::Json::parse(*text);
    const auto& options = json.is_object() && json.contains("options") ? json["options"] : json;
    report.ok("options index", file.string() + " (" + std::to_string(options.size()) + " options)");
  } catch (const std::exception& e) {
    report.fail("options index", file.string() + " is not valid JSON: " + e.what(),
                "rebuild the system (nixos-rebuild switch) to write it again");
  }
}

// The agntd user service the module installs (systemd.user.services.agntd).
void check_nixos_user_service(Report& report, const agntos::Paths& paths, const fs::path& root) {
  const auto unit = under_root(root, "/etc/systemd/user/agntd.service");
  std::error_code ec;
  if (!fs::exists(unit, ec)) {
    report.warn("user service", unit.string() + " does not exist (services.agntos.agent.enable is false): agnt starts "
                                                "a daemon for each session instead",
                "set services.agntos.agent.enable = true to run agntd as a user service");
    return;
  }
  if (::geteuid() == 0) {
    report.ok("user service", unit.string() + " is installed (it runs in the user managers of the group's members)");
    return;
  }
  if (fs::exists(paths.socket, ec))
    report.ok("user service", "installed; agntd's socket is " + paths.socket.string());
  else
    report.warn("user service", "installed, but nothing serves " + paths.socket.string(),
                "systemctl --user start agntd (journalctl --user -u agntd says why it stopped)");
}

void check_nixos(Report& report, const agntos::Paths& paths) {
  const auto root = system_root();
  std::error_code ec;
  if (!fs::exists(root / "etc/NIXOS", ec)) {
    report.skip("nixos", "this machine is not NixOS (no " + under_root(root, "/etc/NIXOS").string() +
                             "): the NixOS module, sudo rule, options index and user service were not checked");
    return;
  }
  const auto group = read_group(root, "agntos");
  const auto settings = paths.settings_file();
  const auto target = fs::read_symlink(settings, ec);
  if (!group) {
    report.fail("nixos", "NixOS, but the group agntos does not exist: the module services.agntos is not enabled", kModuleHint);
    return;
  }
  report.ok("nixos", "services.agntos is enabled (group agntos: " +
                         (group->members.empty() ? std::string("no members") : agntos::join(group->members, ", ")) + ")" +
                         (!ec && target.string().starts_with("/nix/store/") ? "; agntos.toml is generated by the module"
                                                                            : ""));
  check_nixos_config_modes(report, paths, *group);
  check_nixos_sudo_rule(report, root, *group);
  check_nixos_options_index(report, root);
  check_nixos_user_service(report, paths, root);
}

}  // namespace

Output run_doctor(Invocation& inv) {
  CLI::App app{"Check the installation: agntos.toml, Nix, the rebuild backend and its paths, the config dir, its\n"
               "journal and git history, the state dir, drift between the config tree and the running\n"
               "generation, the run_bash sandbox, and on NixOS the services.agntos module (config dir modes,\n"
               "sudo rule, options index, user service). Each check is ok, warn, skip (not run here) or FAIL;\n"
               "a FAIL comes with a fix.\n"
               "Exit 1 when a check fails."};
  inv.parse(app);
  const auto& paths = inv.paths();

  Report report;
  std::optional<agntos::Settings> settings;
  check_settings(report, paths, settings);
  check_nix(report);
  if (settings && settings->rebuild.backend == agntos::RebuildBackend::nixos) check_nixos_backend(report, paths, *settings);
  if (settings && settings->rebuild.backend == agntos::RebuildBackend::profile) check_profile_backend(report, paths, *settings);
  check_config_dir(report, paths);
  check_state_dir(report, paths);
  if (settings) {
    check_drift(report, paths, *settings);
    check_sandbox(report, paths, *settings);
  }
  check_nixos(report, paths);
  return report.output();
}

}  // namespace agntctl
