// SPDX-License-Identifier: MIT
#pragma once
// Exclusive advisory lock (flock) on a lock file, held for the lifetime of the object.
// Waiting longer than the timeout throws Error(Errc::lock_timeout), which exits with 4.

#include <chrono>
#include <filesystem>
#include <string>

#include "common/fd.h"

namespace agntos {

class FileLock {
public:
  // Creates the lock file if needed. `what` names the resource in the timeout message.
  FileLock(const std::filesystem::path& lock_file, std::chrono::milliseconds timeout, std::string what);
  // Locks an already open file descriptor (e.g. the audit log itself); the lock ends with it.
  FileLock(int fd, std::chrono::milliseconds timeout, std::string what);
  // Lets child processes started from now on inherit the lock, so it is held until the last
  // of them exits: when this process is killed mid-transaction, a rebuild it started cannot
  // go on changing the system behind the back of whoever takes the lock next.
  void share_with_children();
  FileLock(FileLock&&) noexcept = default;
  FileLock& operator=(FileLock&&) noexcept = default;
  ~FileLock();

private:
  void acquire(int fd, std::chrono::milliseconds timeout, const std::string& what);
  Fd m_owned;
  int m_fd = -1;
  bool m_shared = false;
};

// Timeout for the config-dir transaction lock: AGNTOS_LOCK_TIMEOUT (seconds) or 60 s.
std::chrono::milliseconds default_lock_timeout();

struct Paths;
// The config-dir transaction lock (Paths::config_lock), waited for default_lock_timeout(). Every
// change of the config tree, its proposals or models.toml holds it.
FileLock lock_config_dir(const Paths& paths);

}  // namespace agntos
