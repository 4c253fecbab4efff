// SPDX-License-Identifier: MIT
#pragma once
// The one error type of the project. Every failure carries a stable machine code (the
// snake_case name that appears in JSON output as {"error":{"code","message"}}) and the
// process exit status that code maps to (SPEC §3: 1 failed, 2 usage, 3 refused, 4 conflict).
// Messages name the cause and, where there is one, the fix.

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace agntos {

enum class Errc {
  failed,           // 1: generic failure
  io,               // 1: an OS call failed
  not_found,        // 1: a file, entry or proposal does not exist
  permission,       // 1: the OS refused access
  timeout,          // 1: a subprocess or request took too long
  nix_missing,      // 1: Nix is not installed
  rebuild_failed,   // 1: the backend failed to build or activate
  unknown_value,    // 1: a word outside its vocabulary (a setting, a stored record: enum_names.h)
  usage,            // 2: bad command line
  refused,          // 3: policy refusal
  invalid_name,     // 3: a package/service/option name outside the grammar
  invalid_path,     // 3: a path outside the allowed folders
  protected_path,   // 3: write/edit/bash aimed at the config or state dir
  binary_file,      // 3: read of a binary file
  too_large,        // 3: over a size cap
  no_match,         // 3: edit/replace target absent
  ambiguous,        // 3: edit/replace target matches more than once
  duplicate,        // 3: memory entry already present
  over_cap,         // 3: memory file would exceed its cap
  unsafe_content,   // 3: injection phrase, private key or invisible characters
  validation,       // 3: Nix validation refused the change
  not_confirmed,    // 3: confirmation not given
  sandbox_missing,  // 3: bubblewrap required but absent
  conflict,         // 4: generic conflict
  lock_timeout,     // 4: another agntctl holds the lock
  stale,            // 4: proposal made against an older config tree
};

// Stable name of a code, e.g. "lock_timeout".
std::string_view errc_name(Errc code);
// The code of a stable name (as agntctl prints it in JSON), nullopt for an unknown name.
std::optional<Errc> errc_from_name(std::string_view name);
// Exit status for a code.
int errc_exit_status(Errc code);

class Error : public std::runtime_error {
public:
  Error(Errc code, const std::string& message);
  Errc code() const noexcept { return m_code; }
  std::string_view code_name() const noexcept { return errc_name(m_code); }
  int exit_status() const noexcept { return errc_exit_status(m_code); }

private:
  Errc m_code;
};

// An OS call failed. Construct through throw_errno so errno is read before anything else runs.
class SysError : public Error {
public:
  SysError(int err, const std::string& what);
  int error_number() const noexcept { return m_errno; }

private:
  int m_errno;
};

// Reads errno first, then throws SysError("<what> <subject>: <strerror>").
[[noreturn]] void throw_errno(std::string_view what, std::string_view subject = {});

}  // namespace agntos
