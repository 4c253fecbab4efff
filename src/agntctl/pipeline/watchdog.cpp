// SPDX-License-Identifier: MIT
#include "agntctl/pipeline/watchdog.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <thread>

#include "agntctl/pipeline/transaction.h"
#include "common/error.h"
#include "common/file_lock.h"
#include "common/files.h"
#include "common/process.h"
#include "common/text.h"

extern char** environ;

namespace agntctl {
namespace {

namespace fs = std::filesystem;
using agntos::Errc;
using agntos::Error;

// Digits of a pid without the allocating or locale-dependent calls that are unsafe after fork.
size_t format_pid(pid_t pid, char* buffer) {
  char digits[24];
  size_t count = 0;
  do {
    digits[count++] = static_cast<char>('0' + pid % 10);
    pid /= 10;
  } while (pid > 0);
  for (size_t i = 0; i < count; ++i) buffer[i] = digits[count - 1 - i];
  buffer[count] = '\n';
  return count + 1;
}

// fork, setsid, fork again: the watcher has its own session, no controlling terminal, no parent
// that waits for it, and none of the caller's descriptors (the config lock agntctl shares with
// its children among them). Between fork and exec only async-signal-safe calls.
void spawn_detached(const agntos::Paths& paths, const std::string& audit_id) {
  const std::string binary = agntos::current_executable().string();
  std::vector<std::string> args{binary, "--config-dir", fs::absolute(paths.config_dir).string(), "confirm", "--watch", audit_id};
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const std::string lock_path = watchdog_lock_file(paths).string();
  const long max_fd = std::max(::sysconf(_SC_OPEN_MAX), 1024L);

  const pid_t child = ::fork();
  if (child < 0) agntos::throw_errno("cannot start the confirm watchdog (fork)");
  if (child == 0) {
    ::setsid();
    const pid_t grandchild = ::fork();
    if (grandchild != 0) ::_exit(grandchild < 0 ? 1 : 0);
    // Held until the watcher exits: the sign that it lives (the fd survives exec).
    const int lock = ::open(lock_path.c_str(), O_RDWR | O_CREAT, 0600);
    if (lock < 0) ::_exit(2);
    if (::flock(lock, LOCK_EX | LOCK_NB) != 0) ::_exit(0);  // another watcher is alive
    char pid_text[32];
    const size_t length = format_pid(::getpid(), pid_text);
    if (::ftruncate(lock, 0) != 0 || ::pwrite(lock, pid_text, length, 0) < 0) ::_exit(2);
    const int null = ::open("/dev/null", O_RDWR);
    if (null < 0) ::_exit(2);
    ::dup2(null, STDIN_FILENO);
    ::dup2(null, STDOUT_FILENO);
    ::dup2(null, STDERR_FILENO);
    const auto first = static_cast<unsigned>(lock);
    if ((lock > 3 && ::close_range(3, first - 1, 0) != 0) || ::close_range(first + 1, ~0U, 0) != 0)
      for (int fd = 3; fd < max_fd; ++fd)
        if (fd != lock) ::close(fd);
    if (::chdir("/") != 0) ::_exit(2);
    ::execve(argv[0], argv.data(), environ);
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw Error(Errc::failed, "cannot start the confirm watchdog (status " + std::to_string(status) + ")");
}

std::string unit_name(const std::string& audit_id) { return "agntos-confirm-" + audit_id; }

}  // namespace

fs::path watchdog_lock_file(const agntos::Paths& paths) { return paths.config_dir / ".agntos-confirm-watch.lock"; }

bool watchdog_alive(const agntos::Paths& paths) {
  agntos::Fd fd(::open(watchdog_lock_file(paths).c_str(), O_RDWR | O_CLOEXEC));
  if (!fd) return false;
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) == 0) {
    ::flock(fd.get(), LOCK_UN);
    return false;
  }
  return errno == EWOULDBLOCK;
}

std::vector<std::string> systemd_timer_argv(const fs::path& agntctl, const agntos::Paths& paths, const std::string& audit_id,
                                            long delay_s) {
  std::vector<std::string> argv{"systemd-run",
                                "--unit=" + unit_name(audit_id),
                                "--description=AgntOS confirm-or-revert timer of " + audit_id,
                                "--on-active=" + std::to_string(delay_s) + "s",
                                "--timer-property=AccuracySec=1s",
                                "--setenv=AGNTOS_STATE_DIR=" + fs::absolute(paths.state_dir).string()};
  if (!paths.data_dir.empty()) argv.push_back("--setenv=AGNTOS_DATA_DIR=" + fs::absolute(paths.data_dir).string());
  if (const char* path = std::getenv("PATH")) argv.push_back(std::string("--setenv=PATH=") + path);
  argv.insert(argv.end(), {agntctl.string(), "--config-dir", fs::absolute(paths.config_dir).string(), "confirm", "--watch",
                           audit_id});
  return argv;
}

void arm_watchdog(const agntos::Paths& paths, PendingConfirmation& record) {
  if (record.watchdog == WatchdogKind::systemd) {
    agntos::ProcessOptions options;
    options.timeout = std::chrono::seconds(30);
    const auto argv = systemd_timer_argv(agntos::current_executable(), paths, record.audit_id, record.gate.timeout_s);
    const auto result = agntos::run_process(argv, options);
    if (!result.ok())
      throw Error(Errc::failed, "cannot arm the confirm-or-revert timer (" + agntos::join(argv, " ") +
                                    "): " + agntos::trim(result.err.empty() ? result.out : result.err));
    return;
  }
  record.watchdog = WatchdogKind::detached;
  spawn_detached(paths, record.audit_id);
}

void disarm_watchdog(const PendingConfirmation& record) {
  if (record.watchdog != WatchdogKind::systemd) return;
  agntos::ProcessOptions options;
  options.timeout = std::chrono::seconds(30);
  try {
    agntos::run_process({"systemctl", "stop", unit_name(record.audit_id) + ".timer"}, options);
  } catch (const Error&) {
    // The timer's run finds the record gone and does nothing.
  }
}

// The revert an unconfirmed change owes restores what the human had before their yes.
Approval watchdog_approval() { return Approval("confirm-timer"); }

agntos::AuditEntry auto_revert(const agntos::Paths& paths, Backend& backend, const PendingConfirmation& record,
                               const std::string& reason) {
  TransactionRequest request;
  request.kind = agntos::AuditActionType::auto_revert;
  request.summary = "Reverted " + record.audit_id + " (not confirmed): " + record.summary;
  request.undoes = record.audit_id;
  request.reason = reason;
  for (const auto& [path, content] : record.before) {
    FileChange change;
    change.path = path;
    change.content = content;
    change.expected_hash = agntos::current_hash(paths.config_dir / path);
    request.changes.push_back(change);
  }
  request.target_generation = record.generation_before;  // nullopt: the change made the first generation
  return run_transaction(paths, backend, request, watchdog_approval(), [](std::string_view) {});
}

void settle_pending_confirmation(const agntos::Paths& paths) {
  auto record = PendingConfirmation::load(paths);
  if (!record) return;
  std::error_code ec;
  if (fs::exists(paths.journal(), ec)) return;  // a transaction the caller could not recover
  if (record->phase != ConfirmPhase::waiting) {
    PendingConfirmation::remove(paths);
    std::fprintf(stderr, "agntctl: removed the confirmation record of %s: that change was never activated\n",
                 record->audit_id.c_str());
    return;
  }
  const auto settings = agntos::Settings::load(paths);
  if (unix_ms_now() >= record->deadline_ms) {
    auto backend = make_backend(paths, settings);
    const std::string reason = "not confirmed within " + std::to_string(record->gate.timeout_s) + " s (deadline " +
                               record->deadline_iso() + "); " +
                               (record->gate.classes.empty() ? std::string("[rebuild] confirm_timeout is set")
                                                             : "it touches " + agntos::join(record->gate.classes, ", "));
    try {
      const auto entry = auto_revert(paths, *backend, *record, reason);
      std::fprintf(stderr, "agntctl: %s (audit %s)\n", entry.summary.c_str(), entry.id.c_str());
    } catch (const Error& e) {
      record->revert_error = e.what();
      record->save(paths);
      std::fprintf(stderr, "agntctl: the automatic revert of %s failed, it is retried by the next run: %s\n",
                   record->audit_id.c_str(), e.what());
    }
    return;
  }
  if (record->watchdog == WatchdogKind::detached && !watchdog_alive(paths)) {
    try {
      spawn_detached(paths, record->audit_id);
      std::fprintf(stderr, "agntctl: the confirm watchdog of %s was gone; started it again\n", record->audit_id.c_str());
    } catch (const Error& e) {
      std::fprintf(stderr, "agntctl: warning: %s\n", e.what());
    }
  }
}

void watch_pending_confirmation(const agntos::Paths& paths, const std::string& audit_id) {
  for (;;) {
    std::optional<PendingConfirmation> record;
    try {
      record = PendingConfirmation::load(paths);
    } catch (const Error& e) {
      std::fprintf(stderr, "agntctl: %s\n", e.what());
      return;
    }
    if (!record || record->audit_id != audit_id) return;
    const long long left = record->deadline_ms - unix_ms_now();
    if (left > 0) {
      // Short naps: the record may move (the activation finished) or go (confirmed).
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min(left, 250LL)));
      continue;
    }
    if (record->revert_error) std::this_thread::sleep_for(std::chrono::seconds(30));
    try {
      auto lock = agntos::lock_config_dir(paths);
      lock.share_with_children();
      recover_with_lock_held(paths);
    } catch (const Error& e) {
      std::fprintf(stderr, "agntctl: confirm watchdog: %s\n", e.what());
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  }
}

}  // namespace agntctl
