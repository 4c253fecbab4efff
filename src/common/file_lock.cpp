// SPDX-License-Identifier: MIT
#include "common/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>

#include <cerrno>
#include <cstdlib>
#include <thread>

#include "common/error.h"
#include "common/paths.h"

namespace agntos {

FileLock::FileLock(const std::filesystem::path& lock_file, std::chrono::milliseconds timeout, std::string what)
    : m_owned(::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {
  if (!m_owned) throw_errno("cannot open lock file", lock_file.string());
  acquire(m_owned.get(), timeout, what);
}

FileLock::FileLock(int fd, std::chrono::milliseconds timeout, std::string what) { acquire(fd, timeout, what); }

void FileLock::acquire(int fd, std::chrono::milliseconds timeout, const std::string& what) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto pause = std::chrono::milliseconds(1);
  for (;;) {
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
      m_fd = fd;
      return;
    }
    if (errno != EWOULDBLOCK && errno != EINTR) throw_errno("cannot lock", what);
    if (std::chrono::steady_clock::now() >= deadline)
      throw Error(Errc::lock_timeout, what + " is locked by another agntctl process (waited " +
                                          std::to_string(timeout.count()) +
                                          " ms); wait for it to finish and try again");
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
}

void FileLock::share_with_children() {
  const int flags = ::fcntl(m_fd, F_GETFD);
  if (flags < 0 || ::fcntl(m_fd, F_SETFD, flags & ~FD_CLOEXEC) != 0) throw_errno("cannot share lock");
  m_shared = true;
}

FileLock::~FileLock() {
  // An explicit unlock would release the lock for the children sharing it too; closing our
  // descriptor releases it once the last holder is gone.
  if (m_fd >= 0 && m_owned && !m_shared) ::flock(m_fd, LOCK_UN);
  // A borrowed fd is unlocked when its owner closes it.
}

std::chrono::milliseconds default_lock_timeout() {
  if (const char* value = std::getenv("AGNTOS_LOCK_TIMEOUT")) {
    char* end = nullptr;
    const double seconds = std::strtod(value, &end);
    if (end != value && seconds >= 0) return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
  }
  return std::chrono::seconds(60);
}

FileLock lock_config_dir(const Paths& paths) {
  return FileLock(paths.config_lock(), default_lock_timeout(), "config dir " + paths.config_dir.string());
}

}  // namespace agntos
