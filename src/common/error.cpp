// SPDX-License-Identifier: MIT
#include "common/error.h"

#include <array>
#include <cerrno>
#include <cstring>

namespace agntos {
namespace {

struct ErrcInfo {
  Errc code;
  std::string_view name;
  int exit_status;
};

constexpr std::array kErrcTable{
    ErrcInfo{Errc::failed, "failed", 1},
    ErrcInfo{Errc::io, "io", 1},
    ErrcInfo{Errc::not_found, "not_found", 1},
    ErrcInfo{Errc::permission, "permission", 1},
    ErrcInfo{Errc::timeout, "timeout", 1},
    ErrcInfo{Errc::nix_missing, "nix_missing", 1},
    ErrcInfo{Errc::rebuild_failed, "rebuild_failed", 1},
    ErrcInfo{Errc::unknown_value, "unknown_value", 1},
    ErrcInfo{Errc::usage, "usage", 2},
    ErrcInfo{Errc::refused, "refused", 3},
    ErrcInfo{Errc::invalid_name, "invalid_name", 3},
    ErrcInfo{Errc::invalid_path, "invalid_path", 3},
    ErrcInfo{Errc::protected_path, "protected_path", 3},
    ErrcInfo{Errc::binary_file, "binary_file", 3},
    ErrcInfo{Errc::too_large, "too_large", 3},
    ErrcInfo{Errc::no_match, "no_match", 3},
    ErrcInfo{Errc::ambiguous, "ambiguous", 3},
    ErrcInfo{Errc::duplicate, "duplicate", 3},
    ErrcInfo{Errc::over_cap, "over_cap", 3},
    ErrcInfo{Errc::unsafe_content, "unsafe_content", 3},
    ErrcInfo{Errc::validation, "validation", 3},
    ErrcInfo{Errc::not_confirmed, "not_confirmed", 3},
    ErrcInfo{Errc::sandbox_missing, "sandbox_missing", 3},
    ErrcInfo{Errc::conflict, "conflict", 4},
    ErrcInfo{Errc::lock_timeout, "lock_timeout", 4},
    ErrcInfo{Errc::stale, "stale", 4},
};

const ErrcInfo& info(Errc code) {
  for (const auto& entry : kErrcTable)
    if (entry.code == code) return entry;
  return kErrcTable.front();
}

Errc errc_for_errno(int err) {
  switch (err) {
    case ENOENT:
    case ENOTDIR: return Errc::not_found;
    case EACCES:
    case EPERM:
    case EROFS: return Errc::permission;
    default: return Errc::io;
  }
}

}  // namespace

std::string_view errc_name(Errc code) { return info(code).name; }
int errc_exit_status(Errc code) { return info(code).exit_status; }

std::optional<Errc> errc_from_name(std::string_view name) {
  for (const auto& entry : kErrcTable)
    if (entry.name == name) return entry.code;
  return std::nullopt;
}

Error::Error(Errc code, const std::string& message) : std::runtime_error(message), m_code(code) {}

SysError::SysError(int err, const std::string& what)
    : Error(errc_for_errno(err), what + ": " + std::strerror(err)), m_errno(err) {}

void throw_errno(std::string_view what, std::string_view subject) {
  const int err = errno;
  std::string message(what);
  if (!subject.empty()) {
    message += ' ';
    message += subject;
  }
  throw SysError(err, message);
}

}  // namespace agntos
