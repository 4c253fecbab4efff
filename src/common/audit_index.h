// SPDX-License-Identifier: MIT
#pragma once
// The audit logs' index: full-text search (SPEC §3.4), the newest entries of some types for
// `audit list`, and an entry by id, at a cost that does not grow with the logs.
//
// The JSONL files stay the source of truth: the index holds where each entry is (log, offset,
// length), its id, time and type, what a list shows of it (AuditSummary), a hash of the line and
// those fields, how many entries of each type a log has, and the searchable text (SQLite FTS5,
// porter stemming). Every entry returned is checked against its line in the log: the line and
// the row's fields must hash to what was indexed, and a whole entry parsed from the line must be
// the one the row names. A row that does not match (a log edited in place, a damaged page, a row
// pointing outside its log) fails the query with Error, so the caller reads the log, and the log
// is indexed again. The index
// (in the state dir) remembers how many bytes of each log it has read and the file's inode; each
// search first indexes the lines appended since, and rebuilds a log's rows from scratch when
// the file was replaced or shrank. Deleting the index is always safe, and an index SQLite finds
// damaged is deleted and built again from the logs.
//
// Search words are matched in summary, prompt, rationale, file paths, package names and the
// action type; common question words ("why", "is", ...) are dropped, so "why is htop installed?"
// finds the entry that installed htop. Every remaining word must match (stemmed: "installed"
// matches "install"). Results come newest first.
//
// Every call first brings the index up to date, so it always answers for the logs as they are.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/audit.h"
#include "common/paths.h"
#include "common/sqlite.h"

namespace agntos {

// What a list shows of an entry on its line (`audit list`, `audit search`). The index keeps these
// fields beside where the entry is, so a list parses no JSON; the log's line is still read, and
// must be the line the fields were taken from (see AuditIndex).
struct AuditSummary {
  std::string id;
  std::string timestamp;
  AuditActionType type = AuditActionType::generic;
  AuditStatus status = AuditStatus::success;
  std::string summary;
  std::optional<std::string> prompt;

  static AuditSummary of(const AuditEntry& entry);
  bool operator==(const AuditSummary&) const = default;
};

// One page of `audit list`: the newest entries the filter shows, and what it leaves out. `Row` is
// AuditEntry (the entries whole) or AuditSummary (what a list line shows).
template <typename Row>
struct AuditPage {
  std::vector<Row> entries;   // newest first, at most the limit
  size_t total = 0;           // entries in the logs
  size_t hidden = 0;          // entries the filter does not show
  size_t generic_hidden = 0;  // of which Generic ones
};

class AuditIndex {
public:
  // `index_file` empty: an in-memory index, rebuilt on each use (when the state dir is unusable).
  AuditIndex(std::filesystem::path index_file, std::vector<std::filesystem::path> logs);

  // `Row`: AuditEntry or AuditSummary, as for list.
  template <typename Row = AuditEntry>
  std::vector<Row> search(const std::string& query, size_t limit);
  // The newest `limit` entries `filter` shows (by timestamp; on a tie, the later in its log first).
  template <typename Row = AuditEntry>
  AuditPage<Row> list(const AuditFilter& filter, size_t limit);
  // The entry with this id (the oldest, should two logs hold one id).
  std::optional<AuditEntry> find(const std::string& id);
  // A page of the entries of `types`, newest written first: at most `limit` of those written
  // before `cursor` (0: from the newest). Sets `cursor` to where the next page starts, 0 when
  // there are no more. A reader that stops at the first answer reads only the recent past.
  std::vector<AuditEntry> newest(const std::vector<AuditActionType>& types, size_t limit, int64_t& cursor);
  // The entries of `types` whose searchable text (summary, prompt, paths, packages, ...) holds
  // every word of `words`, newest written first: a superset of the entries that wrote, deleted
  // or named a file or package, to be checked exactly by the caller. nullopt when no word is left
  // to search for (the caller then reads every entry of those types).
  std::optional<std::vector<AuditEntry>> mentioning(const std::string& words, const std::vector<AuditActionType>& types);
  // How many entries the logs hold.
  size_t count();
  // Brings the index up to date with the logs; returns the number of lines indexed now.
  size_t refresh();

private:
  std::filesystem::path m_index_file;
  std::vector<std::filesystem::path> m_logs;
};

// The index file in the state dir: audit-index-<kSchemaVersion>.db, named with its layout's
// version, so that an older agntctl (after a generation rollback) keeps a file of its own instead
// of rebuilding this one on every call, and this one does not rebuild its.
std::filesystem::path audit_index_file(const Paths& paths);

// The index of `logs` in the state dir of `paths` (audit_index_file), which is made (0700)
// when absent. Its queries throw Error when the index cannot be used (a state dir that cannot be
// made, a full disk, a file another user owns, a lock held past the busy timeout); a caller then
// reads the logs themselves, which always works.
AuditIndex state_audit_index(const Paths& paths, std::vector<std::filesystem::path> logs);

// The FTS5 MATCH expression for a user's query ("" when nothing searchable remains).
std::string audit_match_expression(const std::string& query);

}  // namespace agntos
