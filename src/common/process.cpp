// SPDX-License-Identifier: MIT
#include "common/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "common/error.h"
#include "common/fd.h"

extern char** environ;

namespace agntos {
namespace {

using Clock = std::chrono::steady_clock;

struct Pipe {
  Fd read;
  Fd write;
};

Pipe make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw_errno("cannot create pipe");
  return {Fd(fds[0]), Fd(fds[1])};
}

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

std::vector<std::string> build_environment(const ProcessOptions& options) {
  std::vector<std::string> env;
  for (char** entry = environ; *entry; ++entry) {
    std::string_view item(*entry);
    const std::string name(item.substr(0, item.find('=')));
    if (options.env_set.count(name)) continue;
    bool unset = false;
    for (const auto& removed : options.env_unset) unset = unset || removed == name;
    if (!unset) env.emplace_back(item);
  }
  for (const auto& [name, value] : options.env_set) env.push_back(name + "=" + value);
  return env;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> result;
  for (auto& s : strings) result.push_back(s.data());
  result.push_back(nullptr);
  return result;
}

// Owns a spawned child: the destructor kills its process group and reaps it if the caller
// did not get that far (an exception while reading, for instance).
class Child {
public:
  explicit Child(pid_t pid) : m_pid(pid), m_pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0))) {}
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child() {
    if (m_reaped) return;
    kill_group();
    int status = 0;
    while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
    }
  }

  int pidfd() const { return m_pidfd.get(); }
  void kill_group() const { ::kill(-m_pid, SIGKILL); }

  // Non-blocking reap; true once the child has been reaped. Before reaping, whatever the
  // child left in its group is killed: while the child is a zombie its pid, and so the group
  // id, cannot be reused, so the kill cannot reach an unrelated process.
  bool try_reap(int& status) {
    if (m_reaped) return true;
    siginfo_t info{};
    if (::waitid(P_PID, static_cast<id_t>(m_pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0 || info.si_pid != m_pid)
      return false;
    kill_group();
    while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
    }
    m_reaped = true;
    return true;
  }
  bool reaped() const { return m_reaped; }

private:
  pid_t m_pid;
  Fd m_pidfd;
  bool m_reaped = false;
};

}  // namespace

std::filesystem::path current_executable() {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) throw Error(Errc::failed, "cannot find this program's own path (/proc/self/exe): " + ec.message());
  return self;
}

std::optional<std::filesystem::path> find_program(std::string_view name) {
  if (name.find('/') != std::string_view::npos) {
    if (::access(std::string(name).c_str(), X_OK) == 0) return std::filesystem::path(name);
    return std::nullopt;
  }
  const char* path = std::getenv("PATH");
  std::string_view dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
  while (!dirs.empty()) {
    const auto colon = dirs.find(':');
    std::filesystem::path candidate = std::filesystem::path(dirs.substr(0, colon)) / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    if (colon == std::string_view::npos) break;
    dirs.remove_prefix(colon + 1);
  }
  return std::nullopt;
}

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options) {
  // A C string ends at the first NUL: refuse rather than run the program with a cut argument.
  for (size_t index = 0; index < argv.size(); ++index)
    if (argv[index].find('\0') != std::string::npos)
      throw Error(Errc::usage, "argument " + std::to_string(index) + " of " + argv[0] +
                                   " contains a NUL character, which no program argument can carry");
  if (argv.empty()) throw Error(Errc::usage, "run_process: empty argv");
  const auto started = Clock::now();

  Pipe out = make_pipe();
  Pipe err = make_pipe();
  std::optional<Pipe> in;
  if (options.stdin_text) in = make_pipe();

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (in) {
    posix_spawn_file_actions_adddup2(&actions, in->read.get(), STDIN_FILENO);
  } else {
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  }
  posix_spawn_file_actions_adddup2(&actions, out.write.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err.write.get(), STDERR_FILENO);
  if (options.cwd) posix_spawn_file_actions_addchdir_np(&actions, options.cwd->c_str());

  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t empty_mask;
  sigemptyset(&empty_mask);
  sigset_t default_signals;
  sigemptyset(&default_signals);
  for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD}) sigaddset(&default_signals, sig);
  posix_spawnattr_setsigmask(&attributes, &empty_mask);
  posix_spawnattr_setsigdefault(&attributes, &default_signals);
  posix_spawnattr_setpgroup(&attributes, 0);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<std::string> args = argv;
  std::vector<std::string> env = build_environment(options);
  auto c_args = c_strings(args);
  auto c_env = c_strings(env);

  pid_t pid = 0;
  const int spawn_error = ::posix_spawnp(&pid, argv[0].c_str(), &actions, &attributes, c_args.data(), c_env.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (spawn_error != 0) {
    if (spawn_error == ENOENT)
      throw Error(Errc::not_found, "program not found: " + argv[0] + " (is it installed and on PATH?)");
    throw SysError(spawn_error, "cannot start " + argv[0]);
  }
  Child child(pid);
  out.write.reset();
  err.write.reset();
  if (in) in->read.reset();

  ProcessResult result;
  std::string_view pending_stdin = options.stdin_text ? std::string_view(*options.stdin_text) : std::string_view();
  Fd stdin_fd = in ? std::move(in->write) : Fd();
  if (stdin_fd) {
    set_nonblocking(stdin_fd.get());
    if (pending_stdin.empty()) stdin_fd.reset();
  }
  Fd out_fd = std::move(out.read);
  Fd err_fd = std::move(err.read);
  set_nonblocking(out_fd.get());
  set_nonblocking(err_fd.get());

  const auto deadline = options.timeout.count() > 0 ? started + options.timeout : Clock::time_point::max();
  int status = 0;
  bool group_killed = false;
  char buffer[65536];

  auto drain = [&](Fd& fd, std::string& keep, size_t& total, OutputStream stream) {
    for (;;) {
      const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
      if (n > 0) {
        const auto size = static_cast<size_t>(n);
        total += size;
        if (keep.size() < options.output_cap) keep.append(buffer, std::min(size, options.output_cap - keep.size()));
        if (options.on_output) options.on_output(stream, std::string_view(buffer, size));
        continue;
      }
      if (n == 0) fd.reset();
      else if (errno == EINTR) continue;
      else if (errno != EAGAIN) fd.reset();
      return;
    }
  };

  while (out_fd || err_fd || !child.reaped()) {
    if (!child.reaped() && child.try_reap(status)) group_killed = true;
    if (child.reaped() && !out_fd && !err_fd) break;

    const auto now = Clock::now();
    const bool cancelled = options.cancel && options.cancel->load();
    if (!group_killed && (now >= deadline || cancelled)) {
      result.timed_out = now >= deadline && !cancelled;
      result.cancelled = cancelled;
      child.kill_group();
      group_killed = true;
    }

    pollfd fds[4];
    nfds_t count = 0;
    if (out_fd) fds[count++] = {out_fd.get(), POLLIN, 0};
    if (err_fd) fds[count++] = {err_fd.get(), POLLIN, 0};
    if (stdin_fd) fds[count++] = {stdin_fd.get(), POLLOUT, 0};
    const bool have_pidfd = child.pidfd() >= 0 && !child.reaped();
    if (have_pidfd) fds[count++] = {child.pidfd(), POLLIN, 0};

    int wait_ms = 100;  // fallback tick without pidfd, and the cancel flag's polling period
    if (have_pidfd && !options.cancel) wait_ms = -1;
    if (deadline != Clock::time_point::max() && !group_killed) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count() + 1;
      wait_ms = wait_ms < 0 ? static_cast<int>(left) : std::min<int>(wait_ms, static_cast<int>(left));
    }
    if (count == 0) {
      ::usleep(1000);
      continue;
    }
    const int ready = ::poll(fds, count, wait_ms);
    if (ready < 0 && errno != EINTR) throw_errno("poll failed");

    if (out_fd) drain(out_fd, result.out, result.out_total, OutputStream::out);
    if (err_fd) drain(err_fd, result.err, result.err_total, OutputStream::err);
    if (stdin_fd) {
      const ssize_t n = ::write(stdin_fd.get(), pending_stdin.data(), pending_stdin.size());
      if (n > 0) pending_stdin.remove_prefix(static_cast<size_t>(n));
      if (pending_stdin.empty() || (n < 0 && errno != EAGAIN && errno != EINTR)) stdin_fd.reset();
    }
  }

  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.term_signal = WTERMSIG(status);
  result.duration = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  return result;
}

}  // namespace agntos
