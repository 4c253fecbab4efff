// SPDX-License-Identifier: MIT
#pragma once
// File helpers: whole-file reads, atomic replacement, directory fsync.
//
// AtomicFile writes to a temporary file beside the target; commit() fsyncs it, renames it
// over the target and fsyncs the directory. If commit() is never called (an exception, a
// crash), the target is untouched and the destructor removes the temporary file.

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "common/fd.h"

namespace agntos {

namespace fs = std::filesystem;

class AtomicFile {
public:
  // mode is used for a new file; an existing target keeps its permission bits.
  explicit AtomicFile(fs::path target, mode_t mode = 0644);
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  void write(std::string_view data);
  void commit();
  const fs::path& temp_path() const { return m_temp; }

private:
  fs::path m_target;
  fs::path m_temp;
  Fd m_fd;
  bool m_committed = false;
};

enum class MakeParents { no, yes };

// Replaces `path` with `content` atomically (see AtomicFile).
void write_file_atomic(const fs::path& path, std::string_view content, mode_t mode = 0644,
                       MakeParents parents = MakeParents::no);

// Whole contents of a file; throws SysError (not_found when absent).
std::string read_file(const fs::path& path);
// Whole contents, or nullopt when the file does not exist.
std::optional<std::string> read_file_if_exists(const fs::path& path);

// Removes a file and fsyncs its directory; absent is fine.
void remove_file_durably(const fs::path& path);

// fsync of a directory, so a rename or unlink inside it is durable.
void fsync_directory(const fs::path& dir);

// Creates a directory and its parents with the given mode (existing ones are left alone).
void make_directories(const fs::path& dir, mode_t mode = 0755);

// Writes all of data to fd, retrying on EINTR and short writes.
void write_all(int fd, std::string_view data, std::string_view what);
// The same, giving up quietly when fd refuses (a closed terminal, a full log disk): for output
// that must never stop the program.
void write_best_effort(int fd, std::string_view data);

// True when `path` equals `root` or lies beneath it, after resolving symlinks of the longest
// existing prefix of both (so a path through a symlink into root is detected).
bool path_is_within(const fs::path& path, const fs::path& root);

// Absolute, lexically normal form of a path, with the longest existing prefix resolved.
fs::path resolve_path(const fs::path& path);

}  // namespace agntos
