// SPDX-License-Identifier: MIT
#include "common/audit_index.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <optional>

#include "common/error.h"
#include "common/fd.h"
#include "common/files.h"
#include "common/sqlite.h"
#include "common/text.h"

namespace agntos {
namespace {

constexpr std::array kStopWords{"a",    "an",   "the",  "is",   "are",  "was", "were", "why",  "what", "when",
                                "who",  "how",  "did",  "does", "do",   "i",   "we",   "you",  "me",   "my",
                                "this", "that", "it",   "of",   "for",  "to",  "on",   "in",   "and",  "or",
                                "be",   "been", "has",  "have", "there", "here", "which", "can", "about"};

bool is_stop_word(const std::string& word) {
  return std::find(kStopWords.begin(), kStopWords.end(), word) != kStopWords.end();
}

const char* kSchema = R"(
CREATE TABLE IF NOT EXISTS sources(path TEXT PRIMARY KEY, inode INTEGER NOT NULL, indexed_bytes INTEGER NOT NULL,
                                   head BLOB NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS entries USING fts5(
  text, source UNINDEXED, offset UNINDEXED, length UNINDEXED, tokenize = 'porter unicode61');
)";

std::string searchable_text(const AuditEntry& entry) {
  std::string text = entry.id + " " + std::string(to_string(entry.action.type)) + " " + entry.summary;
  for (const auto* field : {&entry.origin.prompt, &entry.origin.rationale, &entry.result.message, &entry.result.error})
    if (*field) text += " " + **field;
  for (const auto* list : {&entry.files_changed, &entry.files_written, &entry.files_deleted, &entry.packages})
    for (const auto& item : *list) text += " " + item;
  if (entry.action.tool) text += " " + *entry.action.tool;
  if (entry.origin.proposal_id) text += " " + *entry.origin.proposal_id;
  return text;
}

Database open_index(const std::filesystem::path& file) {
  Database db(file.empty() ? ":memory:" : file.string(), !file.empty());
  db.exec(kSchema);
  return db;
}

// The first bytes of a log (its first entry's id among them): together with the inode this tells
// an appended file from a replaced one, even when the file system reuses the inode.
constexpr size_t kHeadBytes = 128;

std::string read_head(int fd) {
  std::string head(kHeadBytes, '\0');
  const ssize_t n = ::pread(fd, head.data(), head.size(), 0);
  head.resize(n > 0 ? static_cast<size_t>(n) : 0);
  return head;
}

size_t index_log(Database& db, const std::filesystem::path& log) {
  const std::string source = resolve_path(log).string();
  struct stat st {};
  if (::stat(log.c_str(), &st) != 0) {
    // Forget a log that disappeared; `source` is not indexed, so only look when it was known.
    auto known = db.prepare("SELECT 1 FROM sources WHERE path = ?");
    known.bind(1, source);
    if (known.step()) {
      db.prepare("DELETE FROM entries WHERE source = ?").bind(1, source).run();
      db.prepare("DELETE FROM sources WHERE path = ?").bind(1, source).run();
    }
    return 0;
  }
  Fd fd(::open(log.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) throw_errno("cannot read audit log", log.string());
  const std::string head = read_head(fd.get());
  int64_t indexed = 0;
  {
    auto query = db.prepare("SELECT inode, indexed_bytes, head FROM sources WHERE path = ?");
    query.bind(1, source);
    if (query.step()) {
      const std::string known_head = query.column_text(2);
      const bool same_file = query.column_int(0) == static_cast<int64_t>(st.st_ino) &&
                             query.column_int(1) <= st.st_size && head.compare(0, known_head.size(), known_head) == 0;
      indexed = same_file ? query.column_int(1) : -1;
    }
  }
  if (indexed == st.st_size) return 0;
  if (indexed < 0) {
    db.prepare("DELETE FROM entries WHERE source = ?").bind(1, source).run();
    indexed = 0;
  }

  std::string chunk(static_cast<size_t>(st.st_size - indexed), '\0');
  size_t got = 0;
  while (got < chunk.size()) {
    const ssize_t n = ::pread(fd.get(), chunk.data() + got, chunk.size() - got, indexed + static_cast<off_t>(got));
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  chunk.resize(got);

  auto insert = db.prepare("INSERT INTO entries(text, source, offset, length) VALUES (?, ?, ?, ?)");
  size_t count = 0;
  size_t position = 0;
  for (;;) {
    const size_t newline = chunk.find('\n', position);
    if (newline == std::string::npos) break;  // a torn or in-progress last line waits
    const std::string_view line(chunk.data() + position, newline - position);
    try {
      const auto entry = AuditEntry::from_json(Json::parse(line));
      insert.bind(1, searchable_text(entry))
          .bind(2, source)
          .bind(3, indexed + static_cast<int64_t>(position))
          .bind(4, static_cast<int64_t>(line.size()))
          .run();
      ++count;
    } catch (const Error&) {
      throw;
    } catch (const std::exception&) {
      // malformed line: skipped, as readers do
    }
    position = newline + 1;
  }
  db.prepare("INSERT OR REPLACE INTO sources(path, inode, indexed_bytes, head) VALUES (?, ?, ?, ?)")
      .bind(1, source)
      .bind(2, static_cast<int64_t>(st.st_ino))
      .bind(3, indexed + static_cast<int64_t>(position))
      .bind(4, head.substr(0, static_cast<size_t>(std::min<int64_t>(indexed + static_cast<int64_t>(position), kHeadBytes))))
      .run();
  return count;
}

std::optional<AuditEntry> read_entry_at(const std::string& source, int64_t offset, int64_t length) {
  Fd fd(::open(source.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return std::nullopt;
  std::string line(static_cast<size_t>(length), '\0');
  if (::pread(fd.get(), line.data(), line.size(), offset) != length) return std::nullopt;
  try {
    return AuditEntry::from_json(Json::parse(line));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

std::string audit_match_expression(const std::string& query) {
  auto terms = words(query);
  std::vector<std::string> kept;
  for (auto& term : terms) {
    while (!term.empty() && (term.back() == '.' || term.back() == '/' || term.back() == '-')) term.pop_back();
    if (!term.empty() && !is_stop_word(term)) kept.push_back(term);
  }
  if (kept.empty()) {
    for (auto& term : terms)
      if (!term.empty()) kept.push_back(term);
  }
  std::string expression;
  for (const auto& term : kept) {
    std::string quoted = "\"";
    for (char c : term) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    expression += (expression.empty() ? "" : " AND ") + quoted + "\"";
  }
  return expression;
}

AuditIndex::AuditIndex(std::filesystem::path index_file, std::vector<std::filesystem::path> logs)
    : m_index_file(std::move(index_file)), m_logs(std::move(logs)) {}

size_t AuditIndex::refresh() {
  Database db = open_index(m_index_file);
  Transaction transaction(db);
  size_t count = 0;
  for (const auto& log : m_logs) count += index_log(db, log);
  transaction.commit();
  return count;
}

std::vector<AuditEntry> AuditIndex::search(const std::string& query, size_t limit) {
  const std::string expression = audit_match_expression(query);
  if (expression.empty()) return {};
  Database db = open_index(m_index_file);
  {
    Transaction transaction(db);
    for (const auto& log : m_logs) index_log(db, log);
    transaction.commit();
  }
  auto select = db.prepare("SELECT source, offset, length FROM entries WHERE entries MATCH ? ORDER BY rowid DESC LIMIT ?");
  select.bind(1, expression).bind(2, static_cast<int64_t>(limit));
  std::vector<AuditEntry> results;
  while (select.step()) {
    if (auto entry = read_entry_at(select.column_text(0), select.column_int(1), select.column_int(2)))
      results.push_back(std::move(*entry));
  }
  std::stable_sort(results.begin(), results.end(),
                   [](const AuditEntry& a, const AuditEntry& b) { return a.timestamp > b.timestamp; });
  return results;
}

}  // namespace agntos
