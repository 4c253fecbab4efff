// SPDX-License-Identifier: MIT
#include "agntctl/sandbox.h"

#include <cstdlib>
#include <regex>

#include "common/error.h"
#include "common/process.h"

namespace agntctl {
namespace {

struct ImperativePattern {
  const char* pattern;
  const char* what;
};

// Matched against the command text; the sandbox blocks the writes anyway, this gives the
// model the right pointer instead of a permission error.
const ImperativePattern kImperative[] = {
    {R"(\bnix-env\s+(.*\s)?(-[A-Za-z]*[ieu][A-Za-z]*|--install|--uninstall|--upgrade|--set)\b)", "nix-env installs"},
    {R"(\bnix\s+profile\s+(install|remove|upgrade)\b)", "nix profile changes"},
    {R"(\bsystemctl\s+(--\S+\s+)*(enable|disable|mask|unmask|start|stop|restart|reload)\b)",
     "systemctl service changes"},
    {R"(\b(apt|apt-get|dpkg|dnf|yum|pacman|zypper)\s+(-\S+\s+)*(install|remove|purge|-i|-S|-R)\b)",
     "package-manager installs"},
    {R"(\bnixos-rebuild\b)", "nixos-rebuild"},
    {R"((>>?|\btee\s+(-a\s+)?|\bcp\s.*|\bmv\s.*|\bsed\s+-i.*)\s*/etc/)", "writes under /etc"},
};

}  // namespace

void refuse_imperative_change(const std::string& command) {
  for (const auto& entry : kImperative) {
    if (std::regex_search(command, std::regex(entry.pattern)))
      throw agntos::Error(agntos::Errc::refused,
                          std::string(entry.what) +
                              " are imperative system changes and are refused; describe the change with "
                              "'agntctl propose' (e.g. 'agntctl propose install htop' or 'agntctl propose enable "
                              "openssh') so it is validated, confirmed, audited and undoable");
  }
}

SandboxPlan plan_bash(const std::string& command, const agntos::Paths& paths, const agntos::Settings& settings) {
  SandboxPlan plan;
  if (settings.policy.bash_sandbox == "off") {
    plan.argv = {"bash", "-c", command};
    plan.warning = "warning: run_bash sandbox is off ([policy] bash_sandbox = \"off\"); the command runs unconfined";
    return plan;
  }
  const auto bwrap = agntos::find_program("bwrap");
  if (!bwrap)
    throw agntos::Error(agntos::Errc::sandbox_missing,
                        "run_bash needs bubblewrap (bwrap) for its sandbox and it is not installed; install it "
                        "(NixOS: it comes with services.agntos; Debian: apt-get install bubblewrap), or set "
                        "[policy] bash_sandbox = \"off\" in agntos.toml to run unconfined");
  plan.sandboxed = true;
  plan.argv = {bwrap->string(), "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"};
  auto bind_if_dir = [&](const std::string& flag, const std::filesystem::path& dir) {
    std::error_code ec;
    if (!dir.empty() && std::filesystem::is_directory(dir, ec)) {
      plan.argv.insert(plan.argv.end(), {flag, dir.string(), dir.string()});
    }
  };
  if (const char* home = std::getenv("HOME")) bind_if_dir("--bind", home);
  bind_if_dir("--bind", "/tmp");
  bind_if_dir("--ro-bind", paths.config_dir);
  std::error_code ec;
  if (std::filesystem::is_directory(paths.state_dir, ec)) plan.argv.insert(plan.argv.end(), {"--tmpfs", paths.state_dir.string()});
  const auto socket_dir = paths.socket.parent_path();
  if (std::filesystem::is_directory(socket_dir, ec) && socket_dir != "/" && socket_dir != "/tmp")
    plan.argv.insert(plan.argv.end(), {"--tmpfs", socket_dir.string()});
  plan.argv.insert(plan.argv.end(), {"--unshare-pid", "--die-with-parent", "--new-session", "--", "bash", "-c", command});
  return plan;
}

}  // namespace agntctl
