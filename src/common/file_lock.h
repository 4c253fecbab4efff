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
  FileLock(FileLock&&) noexcept = default;
  FileLock& operator=(FileLock&&) noexcept = default;
  ~FileLock();

private:
  void acquire(int fd, std::chrono::milliseconds timeout, const std::string& what);
  Fd m_owned;
  int m_fd = -1;
};

// Timeout for the config-dir transaction lock: AGNTOS_LOCK_TIMEOUT (seconds) or 60 s.
std::chrono::milliseconds default_lock_timeout();

}  // namespace agntos
