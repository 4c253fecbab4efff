// SPDX-License-Identifier: MIT
#include "support/other_user.h"

#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <thread>

#include "common/error.h"
#include "common/fd.h"
#include "common/files.h"
#include "support/agntctl_runner.h"

namespace agntos::testing {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// Becomes the user in a forked child; only async-signal-safe calls.
bool become(uid_t uid, gid_t gid) { return ::setgroups(0, nullptr) == 0 && ::setgid(gid) == 0 && ::setuid(uid) == 0; }

int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return -1;
  return status;
}

Fd open_or_throw(const fs::path& path, int flags) {
  Fd fd(::open(path.c_str(), flags | O_CLOEXEC, 0644));
  if (!fd) throw_errno("cannot open", path.string());
  return fd;
}

// Forks a child that becomes the user in `cwd` and execs argv with `environment`.
pid_t start(uid_t uid, gid_t gid, const fs::path& cwd, const std::vector<std::string>& argv,
            const std::vector<std::string>& environment, int out, int err) {
  if (argv.empty()) throw Error(Errc::usage, "OtherUser: empty argv");
  std::vector<char*> c_argv;
  for (const auto& arg : argv) c_argv.push_back(const_cast<char*>(arg.c_str()));
  c_argv.push_back(nullptr);
  std::vector<char*> c_env;
  for (const auto& item : environment) c_env.push_back(const_cast<char*>(item.c_str()));
  c_env.push_back(nullptr);
  Fd null = open_or_throw("/dev/null", O_RDONLY);
  const pid_t pid = ::fork();
  if (pid < 0) throw_errno("cannot fork", argv[0]);
  if (pid == 0) {
    if (::dup2(null.get(), 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0) ::_exit(126);
    if (!become(uid, gid) || ::chdir(cwd.c_str()) != 0) ::_exit(126);
    ::execve(c_argv[0], c_argv.data(), c_env.data());
    ::_exit(127);
  }
  return pid;
}

}  // namespace

std::optional<std::string> OtherUser::unavailable_reason() {
  if (::geteuid() != 0) return "running a program as another user needs root, and this test runs as uid " +
                                std::to_string(::geteuid());
  const pid_t pid = ::fork();
  if (pid < 0) return "cannot fork to try a switch to uid 65534";
  if (pid == 0) ::_exit(become(65534, 65534) ? 0 : 1);
  const int status = wait_for(pid);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return "the kernel refuses setuid(65534) here (a user namespace without that uid?)";
  return std::nullopt;
}

OtherUser::OtherUser(uid_t uid, gid_t gid) : m_uid(uid), m_gid(gid) {
  // Always /tmp, never $TMPDIR: TMPDIR may point into a home dir other users cannot enter.
  std::string pattern = "/tmp/agntos-user-XXXXXX";
  if (!::mkdtemp(pattern.data())) throw_errno("mkdtemp", pattern);
  m_dir = pattern;
  if (::chmod(m_dir.c_str(), 0755) != 0) throw_errno("cannot chmod", m_dir.string());
  if (::mkdir(home().c_str(), 0700) != 0) throw_errno("cannot create", home().string());
  give(home());
}

OtherUser::~OtherUser() {
  for (const pid_t pid : m_children) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) != 0) continue;  // reaped by the caller, or ended now
    ::kill(pid, SIGKILL);
    wait_for(pid);
  }
  std::error_code ec;
  fs::remove_all(m_dir, ec);
}

fs::path OtherUser::copy_for_user(const fs::path& file) const {
  const auto copy = m_dir / file.filename();
  fs::copy_file(file, copy, fs::copy_options::overwrite_existing);
  if (::chmod(copy.c_str(), 0755) != 0) throw_errno("cannot chmod", copy.string());
  return copy;
}

fs::path OtherUser::copy_data_dir() const {
  const auto data = m_dir / "data";
  make_directories(data, 0755);
  for (const char* part : {"nix", "skills"}) {
    const auto source = source_dir() / part;
    if (fs::exists(source))
      fs::copy(source, data / part, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  }
  // The checkout's own modes may be private (umask 077): make the copy readable by all.
  for (const auto& item : fs::recursive_directory_iterator(data)) {
    if (item.is_symlink()) continue;
    const bool traversable = item.is_directory() || (item.status().permissions() & fs::perms::owner_exec) != fs::perms::none;
    fs::permissions(item.path(),
                    fs::perms::group_read | fs::perms::others_read |
                        (traversable ? fs::perms::group_exec | fs::perms::others_exec : fs::perms::none),
                    fs::perm_options::add);
  }
  return data;
}

void OtherUser::give(const fs::path& path) const {
  if (::chown(path.c_str(), m_uid, m_gid) != 0) throw_errno("cannot chown", path.string());
}

bool OtherUser::can_access(const fs::path& path, int mode) const {
  const pid_t pid = ::fork();
  if (pid < 0) throw_errno("cannot fork", path.string());
  if (pid == 0) ::_exit(become(m_uid, m_gid) && ::access(path.c_str(), mode) == 0 ? 0 : 1);
  const int status = wait_for(pid);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

namespace {

std::vector<std::string> environment_for(const std::map<std::string, std::string>& env, const fs::path& home) {
  std::map<std::string, std::string> all = env;
  if (!all.count("PATH")) all["PATH"] = std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin";
  if (!all.count("HOME")) all["HOME"] = home.string();
  std::vector<std::string> result;
  for (const auto& [name, value] : all) result.push_back(name + "=" + value);
  return result;
}

}  // namespace

pid_t OtherUser::spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                       const fs::path& output) const {
  Fd out = open_or_throw(output, O_WRONLY | O_CREAT | O_APPEND);
  const pid_t pid = start(m_uid, m_gid, home(), argv, environment_for(env, home()), out.get(), out.get());
  m_children.push_back(pid);
  return pid;
}

ProcessResult OtherUser::run(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                             std::chrono::milliseconds timeout) const {
  static int counter = 0;
  const auto out_file = m_dir / ("run-" + std::to_string(++counter) + ".out");
  const auto err_file = m_dir / ("run-" + std::to_string(counter) + ".err");
  ProcessResult result;
  const auto started = std::chrono::steady_clock::now();
  {
    Fd out = open_or_throw(out_file, O_WRONLY | O_CREAT | O_TRUNC);
    Fd err = open_or_throw(err_file, O_WRONLY | O_CREAT | O_TRUNC);
    const pid_t pid = start(m_uid, m_gid, home(), argv, environment_for(env, home()), out.get(), err.get());
    int status = 0;
    for (;;) {
      const pid_t done = ::waitpid(pid, &status, WNOHANG);
      if (done == pid) break;
      if (done < 0 && errno != EINTR) throw_errno("cannot wait for", argv[0]);
      if (std::chrono::steady_clock::now() - started > timeout) {
        result.timed_out = true;
        ::kill(pid, SIGKILL);
        status = wait_for(pid);
        break;
      }
      std::this_thread::sleep_for(5ms);
    }
    if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) result.term_signal = WTERMSIG(status);
  }
  result.duration = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  result.out = read_file_if_exists(out_file).value_or("");
  result.err = read_file_if_exists(err_file).value_or("");
  result.out_total = result.out.size();
  result.err_total = result.err.size();
  return result;
}

}  // namespace agntos::testing
