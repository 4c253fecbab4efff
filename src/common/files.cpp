// SPDX-License-Identifier: MIT
#include "common/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <random>

#include "common/error.h"

namespace agntos {
namespace {

std::string temp_suffix() {
  static std::atomic<unsigned> counter{0};
  static const unsigned seed = std::random_device{}();
  return ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(seed) + "-" +
         std::to_string(counter++);
}

}  // namespace

AtomicFile::AtomicFile(fs::path target, mode_t mode) : m_target(std::move(target)) {
  struct stat existing {};
  if (::stat(m_target.c_str(), &existing) == 0) mode = existing.st_mode & 07777;
  m_temp = m_target.parent_path() / ("." + m_target.filename().string() + temp_suffix());
  m_fd = Fd(::open(m_temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode));
  if (!m_fd) throw_errno("cannot create temporary file", m_temp.string());
  // open() applies the umask; set the intended mode exactly.
  if (::fchmod(m_fd.get(), mode) != 0) throw_errno("cannot set mode of", m_temp.string());
}

AtomicFile::~AtomicFile() {
  if (!m_committed) {
    m_fd.reset();
    ::unlink(m_temp.c_str());
  }
}

void AtomicFile::write(std::string_view data) { write_all(m_fd.get(), data, m_temp.string()); }

void AtomicFile::commit() {
  if (::fsync(m_fd.get()) != 0) throw_errno("cannot fsync", m_temp.string());
  m_fd.reset();
  if (::rename(m_temp.c_str(), m_target.c_str()) != 0) throw_errno("cannot replace", m_target.string());
  m_committed = true;
  fsync_directory(m_target.parent_path());
}

void write_file_atomic(const fs::path& path, std::string_view content, mode_t mode, MakeParents parents) {
  if (parents == MakeParents::yes) make_directories(path.parent_path());
  AtomicFile file(path, mode);
  file.write(content);
  file.commit();
}

std::string read_file(const fs::path& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) throw_errno("cannot read", path.string());
  std::string content;
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("cannot read", path.string());
    }
    if (n == 0) break;
    content.append(buffer, static_cast<size_t>(n));
  }
  return content;
}

std::optional<std::string> read_file_if_exists(const fs::path& path) {
  try {
    return read_file(path);
  } catch (const SysError& e) {
    if (e.error_number() == ENOENT) return std::nullopt;
    throw;
  }
}

void remove_file_durably(const fs::path& path) {
  if (::unlink(path.c_str()) != 0) {
    if (errno == ENOENT) return;
    throw_errno("cannot remove", path.string());
  }
  fsync_directory(path.parent_path());
}

void fsync_directory(const fs::path& dir) {
  Fd fd(::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) throw_errno("cannot open directory", dir.string());
  if (::fsync(fd.get()) != 0 && errno != EINVAL) throw_errno("cannot fsync directory", dir.string());
}

void make_directories(const fs::path& dir, mode_t mode) {
  if (dir.empty()) return;
  std::error_code ec;
  if (fs::is_directory(dir, ec)) return;
  make_directories(dir.parent_path(), mode);
  if (::mkdir(dir.c_str(), mode) != 0 && errno != EEXIST) throw_errno("cannot create directory", dir.string());
}

void write_best_effort(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    data.remove_prefix(static_cast<size_t>(n));
  }
}

void write_all(int fd, std::string_view data, std::string_view what) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("cannot write", what);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
}

fs::path resolve_path(const fs::path& path) {
  std::error_code ec;
  fs::path absolute = fs::absolute(path, ec).lexically_normal();
  // weakly_canonical resolves the existing prefix (symlinks included) and keeps the rest.
  fs::path resolved = fs::weakly_canonical(absolute, ec);
  if (ec) return absolute;
  // weakly_canonical keeps a trailing separator for directories; drop it for comparisons.
  if (resolved.has_relative_path() && resolved.filename().empty()) resolved = resolved.parent_path();
  return resolved;
}

bool path_is_within(const fs::path& path, const fs::path& root) {
  const fs::path p = resolve_path(path);
  const fs::path r = resolve_path(root);
  auto pi = p.begin();
  for (auto ri = r.begin(); ri != r.end(); ++ri, ++pi) {
    if (pi == p.end() || *pi != *ri) return false;
  }
  return true;
}

}  // namespace agntos
