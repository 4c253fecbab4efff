// SPDX-License-Identifier: MIT
#include "agntctl/sandbox.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <regex>
#include <set>

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

namespace {

namespace fs = std::filesystem;

std::optional<fs::path> env_path(const char* name) {
  const char* value = std::getenv(name);
  if (!value || !*value) return std::nullopt;
  return fs::path(value);
}

fs::path absolute_normal(const fs::path& path) {
  std::error_code ec;
  auto absolute = fs::absolute(path, ec);
  return (ec ? path : absolute).lexically_normal();
}

// `path` lies strictly below `root`.
bool strictly_inside(const fs::path& path, const fs::path& root) {
  auto p = path.begin();
  for (auto r = root.begin(); r != root.end(); ++r, ++p) {
    if (r->empty()) continue;  // trailing separator
    if (p == path.end() || *p != *r) return false;
  }
  return p != path.end() && !p->empty();
}

bool inside_or_equal(const fs::path& path, const fs::path& root) { return path == root || strictly_inside(path, root); }

size_t depth(const fs::path& path) { return static_cast<size_t>(std::distance(path.begin(), path.end())); }

enum class Protection { read_only, hidden };

// What the sandbox must not change, and how it is mounted inside.
class MountPlan {
public:
  explicit MountPlan(std::vector<fs::path> writable) : m_writable(std::move(writable)) {}

  // Protects `path` and every ancestor of it the sandbox could rename: an ancestor below a
  // writable root becomes a mount point (bound onto itself), which rename(2) and rmdir(2)
  // refuse with EBUSY. A symlink on the way cannot be a mount point, so the directory that
  // holds it is made read-only. A path that does not exist is protected through its nearest
  // existing ancestor below a writable root, read-only, so nothing can be created there.
  void protect(const fs::path& given, Protection protection) {
    if (given.empty()) return;
    const fs::path lexical = absolute_normal(given);
    std::error_code ec;
    if (!fs::exists(lexical, ec)) {
      for (fs::path up = lexical.parent_path(); !up.empty() && up != up.parent_path(); up = up.parent_path()) {
        if (!fs::exists(up, ec)) continue;
        if (below_writable(up)) protect(up, Protection::read_only);
        return;
      }
      return;
    }
    guard_ancestors(lexical);
    const fs::path real = fs::canonical(lexical, ec);
    if (!ec && real != lexical) guard_ancestors(real);
    const fs::path target = ec ? lexical : real;
    if (in_writable(target) || protection == Protection::hidden) m_protected[target] = protection;
  }

  // Hides a socket by binding /dev/null onto it (connect(2) is refused; the path cannot be
  // renamed, removed or linked, being a mount point on another device).
  void hide_socket(const fs::path& given) {
    if (given.empty()) return;
    const fs::path lexical = absolute_normal(given);
    std::error_code ec;
    if (!fs::is_socket(lexical, ec)) return;
    guard_ancestors(lexical);
    const fs::path real = fs::canonical(lexical, ec);
    m_sockets.insert(ec ? lexical : real);
  }

  void append_to(std::vector<std::string>& argv) const {
    for (const auto& root : m_writable) argv.insert(argv.end(), {"--bind", root.string(), root.string()});
    std::vector<fs::path> guards(m_guards.begin(), m_guards.end());
    std::stable_sort(guards.begin(), guards.end(), [](const fs::path& a, const fs::path& b) { return depth(a) < depth(b); });
    for (const auto& guard : guards) argv.insert(argv.end(), {"--bind", guard.string(), guard.string()});
    std::vector<std::pair<fs::path, Protection>> mounts(m_protected.begin(), m_protected.end());
    std::stable_sort(mounts.begin(), mounts.end(),
                     [](const auto& a, const auto& b) { return depth(a.first) < depth(b.first); });
    for (const auto& [path, protection] : mounts) {
      if (protection == Protection::hidden) argv.insert(argv.end(), {"--tmpfs", path.string(), "--remount-ro", path.string()});
      else argv.insert(argv.end(), {"--ro-bind", path.string(), path.string()});
    }
    for (const auto& socket : m_sockets) {
      bool under_hidden = false;
      for (const auto& [path, protection] : m_protected)
        under_hidden = under_hidden || (protection == Protection::hidden && strictly_inside(socket, path));
      if (!under_hidden) argv.insert(argv.end(), {"--ro-bind", "/dev/null", socket.string()});
    }
  }

private:
  bool in_writable(const fs::path& path) const {
    for (const auto& root : m_writable)
      if (inside_or_equal(path, root)) return true;
    return false;
  }
  bool below_writable(const fs::path& path) const {
    for (const auto& root : m_writable)
      if (strictly_inside(path, root)) return true;
    return false;
  }

  void guard_ancestors(const fs::path& path) {
    std::error_code ec;
    fs::path walked;
    for (const auto& part : path) {
      walked /= part;
      if (!below_writable(walked)) continue;
      if (fs::is_symlink(walked, ec)) {
        // The link itself could be replaced; only a read-only parent keeps it.
        m_protected[absolute_normal(walked.parent_path())] = Protection::read_only;
        guard_ancestors(walked.parent_path());
        return;
      }
      if (walked == path) break;
      m_guards.insert(walked);
    }
  }

  std::vector<fs::path> m_writable;
  std::set<fs::path> m_guards;
  std::map<fs::path, Protection> m_protected;
  std::set<fs::path> m_sockets;
};

// Control sockets of services that trust uid 0 (or the caller's uid) as their peer: the
// sandbox keeps the caller's uid, so they must be out of its reach.
constexpr const char* kPrivilegedSockets[] = {
    "/run/systemd/private",          "/run/dbus/system_bus_socket",  "/var/run/dbus/system_bus_socket",
    "/nix/var/nix/daemon-socket/socket", "/run/docker.sock",         "/var/run/docker.sock",
    "/run/containerd/containerd.sock", "/run/podman/podman.sock",
};

// Directories below a writable root are created (empty, 0700) before the sandbox starts when
// missing, so that the sandbox cannot create them with content we would later trust.
void make_private_dir(const fs::path& dir, const std::vector<fs::path>& writable) {
  std::error_code ec;
  if (dir.empty() || fs::exists(dir, ec)) return;
  const auto absolute = absolute_normal(dir);
  if (std::none_of(writable.begin(), writable.end(), [&](const fs::path& root) { return strictly_inside(absolute, root); }))
    return;
  fs::create_directories(dir, ec);
  if (!ec) fs::permissions(dir, fs::perms::owner_all, ec);
}

}  // namespace

SandboxPlan plan_bash(const std::string& command, const agntos::Paths& paths, const agntos::Settings& settings) {
  SandboxPlan plan;
  if (settings.policy.bash_sandbox == agntos::SandboxPolicy::off) {
    plan.argv = {"bash", "-c", command};
    plan.warning = "warning: run_bash sandbox is off ([policy] bash_sandbox = \"off\"); the command runs unconfined";
    return plan;
  }
  const auto bwrap = agntos::find_program("bwrap");
  if (!bwrap)
    throw agntos::Error(agntos::Errc::sandbox_missing,
                        "run_bash needs bubblewrap (bwrap) for its sandbox and it is not installed; install it "
                        "(Debian: apt-get install bubblewrap; NixOS: add pkgs.bubblewrap to environment.systemPackages), or set "
                        "[policy] bash_sandbox = \"off\" in agntos.toml to run unconfined");
  plan.sandboxed = true;

  std::vector<fs::path> writable;
  std::error_code ec;
  const auto home = env_path("HOME");
  for (const auto& root : {home.value_or(fs::path()), fs::path("/tmp")}) {
    if (root.empty() || !fs::is_directory(root, ec)) continue;
    const auto real = fs::canonical(root, ec);
    if (!ec && real != "/") writable.push_back(real);
  }
  MountPlan mounts(writable);

  const fs::path config_home = env_path("XDG_CONFIG_HOME").value_or(home.value_or("/root") / ".config");
  make_private_dir(paths.state_dir, writable);
  make_private_dir(paths.user_skills_dir.parent_path(), writable);
  make_private_dir(config_home / "nix", writable);

  // What later runs trust: the config dir, the shipped Nix files and skills, the user's skills,
  // and every configuration Nix or nixpkgs reads.
  mounts.protect(paths.config_dir, Protection::read_only);
  mounts.protect(paths.data_dir, Protection::read_only);
  mounts.protect(paths.user_skills_dir.parent_path(), Protection::read_only);
  mounts.protect(config_home / "nix", Protection::read_only);
  mounts.protect(config_home / "nixpkgs", Protection::read_only);
  mounts.protect("/etc/nix", Protection::read_only);
  if (const auto nix_conf_dir = env_path("NIX_CONF_DIR")) mounts.protect(*nix_conf_dir, Protection::read_only);
  std::string config_dirs = env_path("XDG_CONFIG_DIRS").value_or("/etc/xdg").string();
  for (size_t start = 0; start <= config_dirs.size();) {
    const size_t end = std::min(config_dirs.find(':', start), config_dirs.size());
    if (end > start) mounts.protect(fs::path(config_dirs.substr(start, end - start)) / "nix", Protection::read_only);
    start = end + 1;
  }
  if (home) {
    for (const char* name : {".nix-defexpr", ".nix-channels", ".nixpkgs"}) mounts.protect(*home / name, Protection::read_only);
  }
  // What the model must not read or reach: the agent state and the daemon actually served.
  mounts.protect(paths.state_dir, Protection::hidden);
  const fs::path socket = absolute_normal(paths.socket);
  const fs::path socket_dir = socket.parent_path();
  // Its directory is hidden too when it holds nothing else the sandbox must see.
  bool socket_dir_shared = socket_dir == "/" || socket_dir == "/tmp";
  for (const auto& other : {paths.config_dir, paths.state_dir, paths.data_dir, paths.user_skills_dir, config_home})
    socket_dir_shared = socket_dir_shared || inside_or_equal(absolute_normal(other), socket_dir);
  if (fs::is_directory(socket_dir, ec) && !socket_dir_shared &&
      std::find(writable.begin(), writable.end(), fs::canonical(socket_dir, ec)) == writable.end())
    mounts.protect(socket_dir, Protection::hidden);
  mounts.hide_socket(socket);
  for (const char* privileged : kPrivilegedSockets) mounts.hide_socket(privileged);

  plan.argv = {bwrap->string(), "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"};
  mounts.append_to(plan.argv);
  // No capability in any namespace, none to regain: a user namespace of its own (no nested
  // ones), an empty bounding set, no_new_privs (bwrap always sets it), its own PID namespace
  // (no ptrace or signal reaches an outside process), a new session (no TIOCSTI).
  plan.argv.insert(plan.argv.end(), {"--unshare-user", "--disable-userns", "--cap-drop", "ALL", "--unshare-pid",
                                     "--unshare-ipc", "--unshare-uts", "--die-with-parent", "--new-session", "--",
                                     "bash", "-c", command});
  return plan;
}

}  // namespace agntctl
