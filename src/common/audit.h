// SPDX-License-Identifier: MIT
#pragma once
// The audit log (SPEC §3.4): audit.jsonl, one JSON object per line, append-only.
//
// Append takes an exclusive lock on the file, cuts off a torn last line left by a crash, and
// writes the new line with a single write() followed by fsync. Readers skip a torn or
// malformed line. Lines written by the earlier prototype (no prompt, files_written, ... keys;
// result with "reason") parse: missing keys become null or empty. Every entry is written with
// the same keys, in "action" and "result" too (docs/audit.md).

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/activation_mode.h"
#include "common/change_origin.h"
#include "common/enum_names.h"
#include "common/json.h"

namespace agntos {

// What an entry records, spelled in the log as in kAuditActionTypeNames. Generic is the type of
// user-level tools (write_file, edit_file, run_bash); Propose is read from the earlier
// prototype's lines and no longer written; the others record changes to the system and to its
// proposals.
enum class AuditActionType { apply, undo, rollback, recover, propose, auto_revert, confirm, discard, generic };
inline constexpr EnumNames<AuditActionType, 9> kAuditActionTypeNames{
    "audit action type",
    {{{AuditActionType::apply, "Apply"},
      {AuditActionType::undo, "Undo"},
      {AuditActionType::rollback, "Rollback"},
      {AuditActionType::recover, "Recover"},
      {AuditActionType::propose, "Propose"},
      {AuditActionType::auto_revert, "AutoRevert"},
      {AuditActionType::confirm, "Confirm"},
      {AuditActionType::discard, "Discard"},
      {AuditActionType::generic, "Generic"}}}};
constexpr const auto& names_of(AuditActionType) { return kAuditActionTypeNames; }

enum class AuditStatus { success, failed, pending };
inline constexpr EnumNames<AuditStatus, 3> kAuditStatusNames{
    "audit result status",
    {{{AuditStatus::success, "Success"}, {AuditStatus::failed, "Failed"}, {AuditStatus::pending, "Pending"}}}};
constexpr const auto& names_of(AuditStatus) { return kAuditStatusNames; }

// The entry's "action" object. Its shape is fixed (docs/audit.md): every key is written for
// every type, null when it does not apply.
struct AuditAction {
  AuditActionType type = AuditActionType::generic;
  std::optional<long long> generation;     // Rollback: the generation switched to
  std::optional<std::string> store_path;   // a transaction: the system running after it
  std::optional<ActivationMode> mode;      // a transaction: how it was activated
  Json confirm = nullptr;                  // the confirm-or-revert timer: {timeout_s, deadline, classes, because}
  std::optional<std::string> reverts;      // AutoRevert: the audit id of the change reverted
  std::optional<std::string> reason;       // AutoRevert: why
  std::optional<std::string> interrupted;  // Recover: the audit id of the interrupted transaction
  std::optional<std::string> confirms;     // Confirm: the audit id of the change kept
  std::optional<std::string> tool;         // Generic: write_file | edit_file | run_bash

  // {"type","generation","store_path","mode","confirm","reverts","reason","interrupted",
  //  "confirms","tool"}
  Json to_json() const;
  // An object, or the bare type string of the earlier prototype. Throws Error(Errc::unknown_value)
  // for a type outside kAuditActionTypeNames.
  static AuditAction from_json(const Json& value);
};

// The entry's "result" object, also of fixed shape: {"status","message","error"}.
struct AuditResult {
  AuditStatus status = AuditStatus::success;
  std::optional<std::string> message;
  std::optional<std::string> error;  // Failed: what failed

  Json to_json() const;
  // Throws Error(Errc::unknown_value) for a status outside kAuditStatusNames.
  static AuditResult from_json(const Json& value);
};

struct AuditEntry {
  std::string id;
  std::string timestamp;
  AuditAction action;
  std::string actor = "user";
  std::optional<std::string> approved_by;
  std::string summary;
  ChangeOrigin origin;  // prompt, rationale, session_id, model, proposal_id: top-level keys
  std::vector<std::string> files_changed;
  std::vector<std::string> files_written;
  std::vector<std::string> files_deleted;
  std::vector<std::string> packages;
  std::optional<long long> generation_before;
  std::optional<long long> generation_after;
  std::optional<std::string> commit;
  std::optional<std::string> undoes;
  std::optional<std::string> rollback_hint;
  AuditResult result;

  // A new entry with a fresh id and the current time.
  static AuditEntry make(AuditActionType type, std::string summary);

  // Every key, always (docs/audit.md).
  Json to_json() const;
  // Tolerant: accepts both the current schema and the earlier ones (keys that are missing are
  // nothing; "proposal_id" inside "action", where entries before the fixed shape kept it, is the
  // origin's). Throws Error for a line that is not an entry or names an unknown type or status.
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

// Which entries `audit list` shows. With no `types`, every entry but Generic ones, unless
// `include_generic`; with `types`, exactly the entries of those action types. `since` (an ISO
// 8601 UTC timestamp) keeps the entries at or after that time.
struct AuditFilter {
  std::vector<AuditActionType> types;
  bool include_generic = false;
  std::optional<std::string> since;

  bool matches(const AuditEntry& entry) const;
  bool shows(AuditActionType type) const;  // the type half of matches(); AuditIndex::list uses both halves
};

// Action type names as a user types them: case-insensitive, repeatable, comma lists
// ("apply,undo", "Generic"); returns them without duplicates. Throws Error(Errc::usage) naming the
// known types for an unknown one.
std::vector<AuditActionType> parse_audit_types(const std::vector<std::string>& words);

// A --since value: a date ("2026-11-24"), a UTC date and time ("2026-11-24T10:00",
// "2026-11-24T10:00:30Z", "2026-11-24 10:00:30.5"), or a duration back from `now` ("45s", "30m",
// "2h", "3d", "1w"). Returns the timestamp it stands for in the log's format
// ("2026-11-24T10:00:00.000Z"); throws Error(Errc::usage) with the accepted forms otherwise.
std::string parse_audit_since(std::string_view text, std::chrono::system_clock::time_point now);

}  // namespace agntos
