// SPDX-License-Identifier: MIT
#pragma once
// The audit log (SPEC §3.4): audit.jsonl, one JSON object per line, append-only.
//
// Append takes an exclusive lock on the file, cuts off a torn last line left by a crash, and
// writes the new line with a single write() followed by fsync. Readers skip a torn or
// malformed line. Lines written by the earlier prototype (no prompt, files_written, ... keys;
// result with "reason") parse: missing keys become null or empty.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"

namespace agntos {

struct AuditEntry {
  std::string id;
  std::string timestamp;
  Json action = Json{{"type", "Generic"}};  // {"type": ..., plus type-specific keys}
  std::string actor = "user";
  std::optional<std::string> approved_by;
  std::string summary;
  std::optional<std::string> prompt;
  std::optional<std::string> rationale;
  std::vector<std::string> files_changed;
  std::vector<std::string> files_written;
  std::vector<std::string> files_deleted;
  std::vector<std::string> packages;
  std::optional<long long> generation_before;
  std::optional<long long> generation_after;
  std::optional<std::string> commit;
  std::optional<std::string> session_id;
  std::optional<std::string> model;
  std::optional<std::string> undoes;
  std::optional<std::string> rollback_hint;
  std::string status = "Success";  // Success | Failed | Pending
  std::optional<std::string> message;
  std::optional<std::string> error;

  // A new entry with a fresh id and the current time.
  static AuditEntry make(std::string action_type, std::string summary);

  std::string action_type() const;
  Json to_json() const;
  // Tolerant: accepts both the current schema and the earlier prototype's.
  static AuditEntry from_json(const Json& value);
};

class AuditLog {
public:
  // `mode`: the file's mode when append creates it (and its dir's, with x where r is); an
  // existing file more open than that is narrowed to it. The state dir's log is 0600.
  explicit AuditLog(std::filesystem::path path, mode_t mode = 0644) : m_path(std::move(path)), m_mode(mode) {}

  // Appends one entry durably (see the header comment). Creates the file if needed.
  void append(const AuditEntry& entry) const;
  // Every well-formed entry, oldest first. A missing file is an empty log.
  std::vector<AuditEntry> read_all() const;
  const std::filesystem::path& path() const { return m_path; }

private:
  std::filesystem::path m_path;
  mode_t m_mode;
};

// Entries from several logs (config dir and state dir), merged oldest first by timestamp.
std::vector<AuditEntry> read_audit_logs(const std::vector<std::filesystem::path>& logs);

// The action types entries are written with, spelled as in the log. Generic is the one for
// user-level tools (write_file, edit_file, run_bash); the others record changes to the system
// and to its proposals.
inline constexpr const char* kAuditActionTypes[] = {"Apply",      "Undo",    "Rollback", "Recover", "Propose",
                                                     "AutoRevert", "Confirm", "Discard",  "Generic"};

// Which entries `audit list` shows. With no `types`, every entry but Generic ones, unless
// `include_generic`; with `types`, exactly the entries of those action types. `since` (an ISO
// 8601 UTC timestamp) keeps the entries at or after that time.
struct AuditFilter {
  std::vector<std::string> types;
  bool include_generic = false;
  std::optional<std::string> since;

  bool matches(const AuditEntry& entry) const;
};

// Action type names as a user types them: case-insensitive, repeatable, comma lists
// ("apply,undo", "Generic"); returns them spelled as in the log, without duplicates. Throws
// Error(Errc::usage) naming the known types for an unknown one.
std::vector<std::string> parse_audit_types(const std::vector<std::string>& words);

// A --since value: a date ("2026-11-24"), a UTC date and time ("2026-11-24T10:00",
// "2026-11-24T10:00:30Z", "2026-11-24 10:00:30.5"), or a duration back from `now` ("45s", "30m",
// "2h", "3d", "1w"). Returns the timestamp it stands for in the log's format
// ("2026-11-24T10:00:00.000Z"); throws Error(Errc::usage) with the accepted forms otherwise.
std::string parse_audit_since(std::string_view text, std::chrono::system_clock::time_point now);

}  // namespace agntos
