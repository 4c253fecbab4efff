// SPDX-License-Identifier: MIT
#pragma once
// Full-text search over the audit logs (SPEC §3.4).
//
// The JSONL files stay the source of truth. The index (SQLite FTS5, porter stemming, in the
// state dir) remembers how many bytes of each log it has read and the file's inode; each
// search first indexes the lines appended since, and rebuilds a log's rows from scratch when
// the file was replaced or shrank. Deleting the index is always safe.
//
// Search words are matched in summary, prompt, rationale, file paths, package names and the
// action type; common question words ("why", "is", ...) are dropped, so "why is htop installed?"
// finds the entry that installed htop. Every remaining word must match (stemmed: "installed"
// matches "install"). Results come newest first.

#include <filesystem>
#include <string>
#include <vector>

#include "common/audit.h"

namespace agntos {

class AuditIndex {
public:
  // `index_file` empty: an in-memory index, rebuilt on each use (when the state dir is unusable).
  AuditIndex(std::filesystem::path index_file, std::vector<std::filesystem::path> logs);

  std::vector<AuditEntry> search(const std::string& query, size_t limit);
  // Brings the index up to date with the logs; returns the number of lines indexed now.
  size_t refresh();

private:
  std::filesystem::path m_index_file;
  std::vector<std::filesystem::path> m_logs;
};

// The FTS5 MATCH expression for a user's query ("" when nothing searchable remains).
std::string audit_match_expression(const std::string& query);

}  // namespace agntos
