// SPDX-License-Identifier: MIT
#include "common/audit_index.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <limits>
#include <map>
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

// Removes an index file and what SQLite keeps beside it; the journal first, so that it is never
// rolled into a new index of the same name.
void remove_index(const std::filesystem::path& file) {
  std::error_code ec;
  for (const char* suffix : {"-journal", "-wal", "-shm", ""}) std::filesystem::remove(file.string() + suffix, ec);
}

// Bump kSchemaVersion with any change below, and with a new AuditActionType or AuditStatus (rows
// are made only from entries this version reads, and a list selects every type but the ones it
// hides): an index of another version is in a file of another name (audit_index_file), and one
// found with another version is dropped and rebuilt from the logs (it is only ever a cache of
// them).
constexpr int kSchemaVersion = 3;
const char* kSchema = R"(
DROP TABLE IF EXISTS sources;
DROP TABLE IF EXISTS entries;
DROP TABLE IF EXISTS lines;
DROP TABLE IF EXISTS type_counts;
CREATE TABLE sources(path TEXT PRIMARY KEY, inode INTEGER NOT NULL, indexed_bytes INTEGER NOT NULL, head BLOB NOT NULL);
CREATE TABLE lines(id INTEGER PRIMARY KEY, source TEXT NOT NULL, offset INTEGER NOT NULL, length INTEGER NOT NULL,
                   hash INTEGER NOT NULL, entry_id TEXT NOT NULL, timestamp TEXT NOT NULL, type TEXT NOT NULL,
                   status TEXT NOT NULL, summary TEXT NOT NULL, prompt TEXT);
CREATE INDEX lines_by_time ON lines(timestamp);
CREATE INDEX lines_by_entry ON lines(entry_id);
CREATE TABLE type_counts(source TEXT NOT NULL, type TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY(source, type));
CREATE VIRTUAL TABLE entries USING fts5(text, tokenize = 'porter unicode61', columnsize = 0);
)";

// What every query that returns entries selects of a row ("lines l"), and the index of each.
constexpr const char* kRowColumns =
    "l.source, l.offset, l.length, l.hash, l.id, l.entry_id, l.timestamp, l.type, l.status, l.summary, l.prompt";
namespace column {
enum : int { source, offset, length, hash, id, entry_id, timestamp, type, status, summary, prompt };
}  // namespace column

// A row's fingerprint, kept with it: its line in the log and the fields a list shows from the row
// (the kRowColumns from column::entry_id on). A row whose line or fields no longer hash to it is not what
// was indexed: a log edited in place, a damaged page. (It is a check, not a seal: whoever can
// write the state dir can write the index and the state log alike.) FNV-1a's step over 8-byte
// words (a list hashes 20 rows on every call), each word's high bits folded down so that every
// byte reaches the whole hash; each text is preceded by its length.
class RowHash {
public:
  RowHash& add(std::string_view text) {
    mix(text.size());
    size_t i = 0;
    for (; i + 8 <= text.size(); i += 8) {
      uint64_t word;
      std::memcpy(&word, text.data() + i, 8);
      mix(word);
    }
    uint64_t tail = 0;
    if (i < text.size()) std::memcpy(&tail, text.data() + i, text.size() - i);
    mix(tail);
    return *this;
  }
  RowHash& add_optional(const std::optional<std::string_view>& text) {
    mix(text ? 1 : 0);
    return add(text.value_or(std::string_view()));
  }
  int64_t value() const { return static_cast<int64_t>(m_hash); }

private:
  void mix(uint64_t word) {
    m_hash = (m_hash ^ word) * 1099511628211ull;
    m_hash ^= m_hash >> 32;
  }
  uint64_t m_hash = 14695981039346656037ull;
};

int64_t row_hash(std::string_view line, std::string_view id, std::string_view timestamp, std::string_view type,
                 std::string_view status, std::string_view summary, const std::optional<std::string_view>& prompt) {
  return RowHash().add(line).add(id).add(timestamp).add(type).add(status).add(summary).add_optional(prompt).value();
}

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

// The first bytes of a log (its first entry's id among them): together with the inode this tells
// an appended file from a replaced one, even when the file system reuses the inode.
constexpr size_t kHeadBytes = 128;

std::string read_head(int fd) {
  std::string head(kHeadBytes, '\0');
  const ssize_t n = ::pread(fd, head.data(), head.size(), 0);
  head.resize(n > 0 ? static_cast<size_t>(n) : 0);
  return head;
}

void forget_rows(Database& db, const std::string& source) {
  db.prepare("DELETE FROM entries WHERE rowid IN (SELECT id FROM lines WHERE source = ?)").bind(1, source).run();
  db.prepare("DELETE FROM lines WHERE source = ?").bind(1, source).run();
  db.prepare("DELETE FROM type_counts WHERE source = ?").bind(1, source).run();
}

// Forgets a log altogether: its rows and how far it was read (the next use reads it from the start).
void forget_log(Database& db, const std::string& source) {
  forget_rows(db, source);
  db.prepare("DELETE FROM sources WHERE path = ?").bind(1, source).run();
}

// How much of a log one transaction indexes: a first index of a log of a million entries (half
// a gigabyte) neither holds it in memory at once nor keeps the index locked for the whole time,
// so another agntctl that wants the index waits for one batch, not for all of them.
constexpr size_t kBatchBytes = size_t{8} << 20;

// Where the index stands with one log.
struct LogState {
  std::string source;  // the log's path as the index names it (resolved)
  bool exists = false;
  struct stat st {};
  Fd fd;
  std::string head;     // its first kHeadBytes bytes
  bool known = false;   // the index has read some of it
  int64_t indexed = 0;  // how many of its bytes the index holds; -1: this file replaced the one it read
  bool torn_tail = false;  // what follows is only a line not yet ended (an append in progress, a full disk)

  bool current() const { return exists ? indexed == st.st_size || torn_tail : !known; }
};

// A line is indexed once it ends; a tail longer than this is read as if it held one.
constexpr int64_t kTornTailBytes = 64 * 1024;

// A log as a caller names it, and as the index's rows name it (resolved once per query).
struct Log {
  explicit Log(std::filesystem::path log) : path(std::move(log)), source(resolve_path(path).string()) {}
  std::filesystem::path path;
  std::string source;
};

// What the index knows of a log: "sources", one statement for every log of one open.
class KnownLogs {
public:
  explicit KnownLogs(Database& db) : m_query(db.prepare("SELECT inode, indexed_bytes, head FROM sources WHERE path = ?")) {}
  LogState state(const Log& log);

private:
  Statement m_query;
};

LogState KnownLogs::state(const Log& named) {
  const auto& log = named.path;
  LogState state;
  state.source = named.source;
  state.exists = ::stat(log.c_str(), &state.st) == 0;
  if (state.exists) {
    state.fd = Fd(::open(log.c_str(), O_RDONLY | O_CLOEXEC));
    if (!state.fd) throw_errno("cannot read audit log", log.string());
    state.head = read_head(state.fd.get());
  }
  auto& query = m_query;  // SELECT inode, indexed_bytes, head
  query.bind(1, state.source);
  if (query.step()) {
    state.known = true;
    const std::string known_head = query.column_text(2);
    // Together, the inode and the first bytes tell an appended file from a replaced one.
    const bool same_file = state.exists && query.column_int(0) == static_cast<int64_t>(state.st.st_ino) &&
                           query.column_int(1) <= state.st.st_size &&
                           state.head.compare(0, known_head.size(), known_head) == 0;
    state.indexed = same_file ? query.column_int(1) : -1;
  }
  query.reset();
  if (state.exists && state.indexed >= 0 && state.indexed < state.st.st_size &&
      state.st.st_size - state.indexed <= kTornTailBytes) {
    std::string tail(static_cast<size_t>(state.st.st_size - state.indexed), '\0');
    const ssize_t n = ::pread(state.fd.get(), tail.data(), tail.size(), state.indexed);
    state.torn_tail = n == static_cast<ssize_t>(tail.size()) && tail.find('\n') == std::string::npos;
  }
  return state;
}

// Indexes what a log has beyond what the index has read, up to kBatchBytes of it; sets `more`
// when it stopped short. Returns the number of entries indexed.
size_t index_log(Database& db, const LogState& log, bool& more) {
  if (log.current()) return 0;
  const std::string& source = log.source;
  // A log that disappeared is forgotten; one that was replaced is read again from its start.
  if (!log.exists) {
    forget_log(db, source);
    return 0;
  }
  if (log.known && log.indexed < 0) forget_rows(db, source);
  const int64_t indexed = std::max<int64_t>(log.indexed, 0);
  const auto read_chunk = [&](size_t size) {
    std::string chunk(size, '\0');
    size_t got = 0;
    while (got < chunk.size()) {
      const ssize_t n = ::pread(log.fd.get(), chunk.data() + got, chunk.size() - got, indexed + static_cast<off_t>(got));
      if (n <= 0) break;
      got += static_cast<size_t>(n);
    }
    chunk.resize(got);
    return chunk;
  };
  const auto remaining = static_cast<size_t>(log.st.st_size - indexed);
  std::string chunk = read_chunk(std::min(remaining, kBatchBytes));
  // A batch holds whole lines: a line longer than a batch is read up to its end, no further.
  for (size_t size = chunk.size(); chunk.size() < remaining && chunk.find('\n') == std::string::npos;) {
    size = std::min(remaining, size * 2);
    chunk = read_chunk(size);
  }
  more = more || indexed + static_cast<int64_t>(chunk.size()) < log.st.st_size;

  auto insert_line = db.prepare(
      "INSERT INTO lines(source, offset, length, hash, entry_id, timestamp, type, status, summary, prompt) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  auto insert_text = db.prepare("INSERT INTO entries(rowid, text) VALUES (?, ?)");
  std::map<std::string, int64_t, std::less<>> type_counts;
  size_t count = 0;
  size_t position = 0;
  for (;;) {
    const size_t newline = chunk.find('\n', position);
    if (newline == std::string::npos) break;  // a torn or in-progress last line waits
    const std::string_view line(chunk.data() + position, newline - position);
    std::optional<AuditEntry> parsed;
    try {
      parsed = AuditEntry::from_json(Json::parse(line));
    } catch (const std::exception&) {
      // Not an entry this version can read (malformed, or a type a newer agntctl wrote):
      // skipped, as AuditLog::read_all skips it.
    }
    if (parsed) {
      const auto& entry = *parsed;
      const std::string type(to_string(entry.action.type));
      const std::string_view status = to_string(entry.result.status);
      const auto prompt = entry.origin.prompt ? std::optional<std::string_view>(*entry.origin.prompt) : std::nullopt;
      insert_line.bind(1, source)
          .bind(2, indexed + static_cast<int64_t>(position))
          .bind(3, static_cast<int64_t>(line.size()))
          .bind(4, row_hash(line, entry.id, entry.timestamp, type, status, entry.summary, prompt))
          .bind(5, entry.id)
          .bind(6, entry.timestamp)
          .bind(7, type)
          .bind(8, status)
          .bind(9, entry.summary);
      if (prompt) insert_line.bind(10, *prompt);
      insert_line.run();
      insert_text.bind(1, db.last_insert_rowid()).bind(2, searchable_text(entry)).run();
      ++type_counts[type];
      ++count;
    }
    position = newline + 1;
  }
  auto add_count = db.prepare(
      "INSERT INTO type_counts(source, type, n) VALUES (?, ?, ?) ON CONFLICT(source, type) DO UPDATE SET n = n + excluded.n");
  for (const auto& [type, n] : type_counts) add_count.bind(1, source).bind(2, type).bind(3, n).run();
  db.prepare("INSERT OR REPLACE INTO sources(path, inode, indexed_bytes, head) VALUES (?, ?, ?, ?)")
      .bind(1, source)
      .bind(2, static_cast<int64_t>(log.st.st_ino))
      .bind(3, indexed + static_cast<int64_t>(position))
      .bind(4, log.head.substr(0, static_cast<size_t>(std::min<int64_t>(indexed + static_cast<int64_t>(position), kHeadBytes))))
      .run();
  return count;
}

// A row of a query that selects kRowColumns, made into the Row a caller asked for from the
// log's line, which has been checked to hash as it did when it was indexed. nullopt: the line is
// not an entry this version reads.
template <typename Row>
std::optional<Row> row_from(const Statement& row, std::string_view line);

template <>
std::optional<AuditEntry> row_from<AuditEntry>(const Statement& row, std::string_view line) {
  try {
    auto entry = AuditEntry::from_json(Json::parse(line));
    if (entry.id != row.column_view(column::entry_id)) return std::nullopt;  // the row names another entry
    return entry;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

template <>
std::optional<AuditSummary> row_from<AuditSummary>(const Statement& row, std::string_view) {
  const auto type = enum_from_string<AuditActionType>(row.column_view(column::type));
  const auto status = enum_from_string<AuditStatus>(row.column_view(column::status));
  if (!type || !status) return std::nullopt;
  AuditSummary summary{row.column_text(column::entry_id), row.column_text(column::timestamp), *type, *status,
                       row.column_text(column::summary), std::nullopt};
  if (!row.column_is_null(column::prompt)) summary.prompt = row.column_text(column::prompt);
  return summary;
}

// How far a query's rows went: how many there were, and the id of the last (column::id).
struct RowsRead {
  size_t count = 0;
  int64_t last_id = 0;
};

// The values of an SQL `IN (...)`: its placeholders ("NULL", which matches nothing, for none)
// and their binding from a parameter index.
struct InList {
  explicit InList(std::vector<std::string> list) : values(std::move(list)) {
    for (size_t i = 0; i < values.size(); ++i) placeholders += i ? ", ?" : "?";
    if (values.empty()) placeholders = "NULL";
  }
  int bind(Statement& statement, int first) const {  // returns the next parameter index
    for (const auto& value : values) statement.bind(first++, value);
    return first;
  }

  std::vector<std::string> values;
  std::string placeholders;
};

// The index file can hold the rows of logs other config dirs used with the same state dir; every
// query reads only the rows of this index's own logs (resolved, as the rows name them).
InList own_sources(const std::vector<Log>& logs) {
  std::vector<std::string> paths;
  for (const auto& log : logs)
    if (std::find(paths.begin(), paths.end(), log.source) == paths.end()) paths.push_back(log.source);
  return InList(std::move(paths));
}

// Types as the log spells them.
InList type_names(const std::vector<AuditActionType>& types) {
  std::vector<std::string> names;
  for (const auto type : types) names.emplace_back(to_string(type));
  return InList(std::move(names));
}

// "The row's type is one of `types`", as `type IN (...)` or, when shorter, as `type NOT IN (...)`
// of the other types: a list of two or more values is a lookup table SQLite builds on every run,
// and `audit list` shows every type but one.
struct TypeCondition {
  explicit TypeCondition(const std::vector<AuditActionType>& types) : values({}) {
    std::vector<AuditActionType> others;
    for (const auto type : enum_values<AuditActionType>())
      if (std::find(types.begin(), types.end(), type) == types.end()) others.push_back(type);
    const bool negated = others.size() < types.size();
    values = type_names(negated ? others : types);
    sql = negated && others.empty() ? "1" : std::string(negated ? "type NOT IN (" : "type IN (") + values.placeholders + ")";
  }

  InList values;
  std::string sql;
};

// The index, opened up to date with `logs` and held in one read transaction, so that the
// statements of one query see one state of it. "lines" has one row per entry (where it is, its id,
// time and type, what a list shows of it, and row_hash), "entries" its searchable text under the
// same rowid, "type_counts" how many entries of each type a log holds, and "sources" how far
// each log has been read. When nothing is new, opening it takes no write lock and writes nothing.
class OpenIndex {
public:
  OpenIndex(const std::filesystem::path& file, const std::vector<std::filesystem::path>& log_paths)
      : db(file.empty() ? ":memory:" : file.string(), Journal::rollback),
        m_logs(log_paths.begin(), log_paths.end()),
        m_own(own_sources(m_logs)) {
    m_read.emplace(db, Access::read);
    if (current()) return;
    m_read.reset();
    bool more = true;
    for (bool first = true; more; first = false) {
      more = false;
      Transaction batch(db);
      if (first && schema_version() != kSchemaVersion) {
        db.exec(kSchema);
        db.exec("PRAGMA user_version = " + std::to_string(kSchemaVersion));
      }
      KnownLogs known(db);
      for (const auto& log : m_logs) m_indexed += index_log(db, known.state(log), more);
      batch.commit();
    }
    m_read.emplace(db, Access::read);
  }

  // Forgets the rows of the logs a query found edited in place, once the read is over, so that
  // the next query indexes them again.
  ~OpenIndex() {
    m_read.reset();
    if (m_stale.empty()) return;
    try {
      Transaction forget(db);
      for (const auto& source : m_stale) forget_log(db, source);
      forget.commit();
    } catch (const std::exception&) {
      // The next query that finds the same line does this again.
    }
  }
  OpenIndex(const OpenIndex&) = delete;
  OpenIndex& operator=(const OpenIndex&) = delete;

  // The entries a query's rows (kRowColumns) point at, in the rows' order. A row that no longer
  // matches its line (row_hash, the entry's id, a line inside the log) means the log was edited in
  // place (its inode and first bytes kept) or the index damaged: the query fails with Error, so
  // that the caller reads the log itself, and the log is indexed again on the next use.
  template <typename Row>
  std::vector<Row> read(Statement& rows, RowsRead* read = nullptr);
  // The sources of this index's own logs, for `source IN (...)`.
  const InList& own() const { return m_own; }
  // How many entries opening it indexed.
  size_t indexed() const { return m_indexed; }

  Database db;

private:
  int64_t schema_version() {
    auto statement = db.prepare("PRAGMA user_version");
    return statement.step() ? statement.column_int(0) : 0;
  }
  bool current() {
    if (schema_version() != kSchemaVersion) return false;
    KnownLogs known(db);
    return std::all_of(m_logs.begin(), m_logs.end(), [&](const Log& log) { return known.state(log).current(); });
  }

  const std::vector<Log> m_logs;
  const InList m_own;
  size_t m_indexed = 0;
  std::optional<Transaction> m_read;
  std::vector<std::string> m_stale;  // logs found edited in place
};

}  // namespace

AuditSummary AuditSummary::of(const AuditEntry& entry) {
  return AuditSummary{entry.id, entry.timestamp, entry.action.type, entry.result.status, entry.summary, entry.origin.prompt};
}

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

std::filesystem::path audit_index_file(const Paths& paths) {
  return paths.state_dir / ("audit-index-" + std::to_string(kSchemaVersion) + ".db");
}

AuditIndex state_audit_index(const Paths& paths, std::vector<std::filesystem::path> logs) {
  make_directories(paths.state_dir, 0700);
  // The files of the layouts before (audit-index.db before the version was in the name): caches,
  // removed when this one is made. An older agntctl run again makes its own once, and from then
  // on each version keeps its file.
  const auto file = audit_index_file(paths);
  if (std::error_code ec; !std::filesystem::exists(file, ec)) {
    remove_index(paths.state_dir / "audit-index.db");
    for (int version = 2; version < kSchemaVersion; ++version)
      remove_index(paths.state_dir / ("audit-index-" + std::to_string(version) + ".db"));
  }
  return AuditIndex(file, std::move(logs));
}

namespace {

template <typename Row>
std::vector<Row> OpenIndex::read(Statement& rows, RowsRead* read) {
  struct OpenLog {
    Fd fd;
    int64_t size = 0;
  };
  std::vector<Row> entries;
  std::map<std::string, OpenLog, std::less<>> logs;  // each log opened once
  while (rows.step()) {
    if (read) {
      ++read->count;
      read->last_id = rows.column_int(column::id);
    }
    const std::string source = rows.column_text(column::source);
    auto log = logs.find(source);
    if (log == logs.end()) {
      OpenLog opened{Fd(::open(source.c_str(), O_RDONLY | O_CLOEXEC))};
      if (!opened.fd) throw_errno("cannot read audit log", source);
      struct stat st {};
      if (::fstat(opened.fd.get(), &st) != 0) throw_errno("cannot read audit log", source);
      opened.size = st.st_size;
      log = logs.emplace(source, std::move(opened)).first;
    }
    // Where the row says its line is, if that is inside the log; then the line must hash, with the
    // row's fields, to what was indexed, and be the entry the row names.
    const int64_t offset = rows.column_int(column::offset);
    const int64_t length = rows.column_int(column::length);
    std::optional<Row> entry;
    if (offset >= 0 && length > 0 && length <= log->second.size - offset) {
      std::string line(static_cast<size_t>(length), '\0');
      const auto text = [&](int index) { return rows.column_view(index); };
      const std::optional<std::string_view> prompt =
          rows.column_is_null(column::prompt) ? std::nullopt : std::optional<std::string_view>(text(column::prompt));
      if (::pread(log->second.fd.get(), line.data(), line.size(), offset) == length &&
          row_hash(line, text(column::entry_id), text(column::timestamp), text(column::type), text(column::status),
                   text(column::summary), prompt) == rows.column_int(column::hash))
        entry = row_from<Row>(rows, line);
    }
    if (!entry) {
      m_stale.push_back(source);
      throw Error(Errc::failed, "the audit index does not match " + source +
                                    " (the log edited in place, or the index damaged); it is read without the index "
                                    "and indexed again");
    }
    entries.push_back(std::move(*entry));
  }
  return entries;
}

// Runs `query` on the index `file` of `logs`, opened up to date. An index SQLite finds damaged (a
// power cut under synchronous=NORMAL, a bad block, a file overwritten) is removed and built again
// from the logs, once: it is only a cache of them, and left as it is it would make every call fall
// back to indexing the logs in memory.
template <typename Query>
auto on_index(const std::filesystem::path& file, const std::vector<std::filesystem::path>& logs, Query query) {
  struct stat opened_file {};
  const bool existed = !file.empty() && ::stat(file.c_str(), &opened_file) == 0;
  try {
    OpenIndex opened(file, logs);
    return query(opened);
  } catch (const DatabaseDamaged&) {
    if (file.empty()) throw;
    // Another agntctl may have met the same damage and made a new index already: only the file
    // that was found damaged is removed.
    struct stat now {};
    if (existed && ::stat(file.c_str(), &now) == 0 && now.st_dev == opened_file.st_dev && now.st_ino == opened_file.st_ino)
      remove_index(file);
  }
  OpenIndex opened(file, logs);
  return query(opened);
}

}  // namespace

size_t AuditIndex::count() {
  return on_index(m_index_file, m_logs, [&](OpenIndex& opened) {
    const auto& own = opened.own();
    auto counts = opened.db.prepare("SELECT sum(n) FROM type_counts WHERE source IN (" + own.placeholders + ")");
    own.bind(counts, 1);
    return counts.step() ? static_cast<size_t>(counts.column_int(0)) : 0;
  });
}

size_t AuditIndex::refresh() {
  return on_index(m_index_file, m_logs, [](OpenIndex& opened) { return opened.indexed(); });
}

template <typename Row>
std::vector<Row> AuditIndex::search(const std::string& query, size_t limit) {
  const std::string expression = audit_match_expression(query);
  if (expression.empty()) return {};
  return on_index(m_index_file, m_logs, [&](OpenIndex& opened) {
    Database& db = opened.db;
    const auto& own = opened.own();
    auto select = db.prepare(
        std::string("SELECT ") + kRowColumns + " FROM entries JOIN lines l ON l.id = entries.rowid "
        "WHERE entries MATCH ? AND l.source IN (" + own.placeholders + ") ORDER BY entries.rowid DESC LIMIT ?");
    select.bind(1, expression);
    select.bind(own.bind(select, 2), static_cast<int64_t>(limit));
    auto results = opened.read<Row>(select);
    std::stable_sort(results.begin(), results.end(), [](const Row& a, const Row& b) { return a.timestamp > b.timestamp; });
    return results;
  });
}

template std::vector<AuditEntry> AuditIndex::search<AuditEntry>(const std::string&, size_t);
template std::vector<AuditSummary> AuditIndex::search<AuditSummary>(const std::string&, size_t);

std::optional<std::vector<AuditEntry>> AuditIndex::mentioning(const std::string& words,
                                                              const std::vector<AuditActionType>& types) {
  // A word with no letter or digit has no token for FTS5 (unicode61 splits on '_' and on
  // symbols), and a phrase of no token matches nothing: such words are left out, which only
  // widens the match. Nothing left: the caller reads every entry.
  std::string searchable;
  for (const auto& word : agntos::words(words))
    if (std::any_of(word.begin(), word.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }))
      searchable += word + " ";
  const std::string expression = audit_match_expression(searchable);
  if (expression.empty() || types.empty()) return std::nullopt;
  return on_index(m_index_file, m_logs, [&](OpenIndex& opened) {
    const auto shown = type_names(types);
    const auto& own = opened.own();
    auto select = opened.db.prepare(
        std::string("SELECT ") + kRowColumns + " FROM entries JOIN lines l ON l.id = entries.rowid "
        "WHERE entries MATCH ? AND l.type IN (" + shown.placeholders + ") AND l.source IN (" + own.placeholders +
        ") ORDER BY l.id DESC");
    select.bind(1, expression);
    own.bind(select, shown.bind(select, 2));
    return opened.read<AuditEntry>(select);
  });
}

template <typename Row>
AuditPage<Row> AuditIndex::list(const AuditFilter& filter, size_t limit) {
  return on_index(m_index_file, m_logs, [&](OpenIndex& opened) {
    Database& db = opened.db;
    std::vector<AuditActionType> shown_types;
    for (const auto type : enum_values<AuditActionType>())
      if (filter.shows(type)) shown_types.push_back(type);
    const TypeCondition shown(shown_types);
    const auto& own = opened.own();
    auto bind_filter = [&](Statement& statement) {
      const int since = shown.values.bind(statement, 1);
      statement.bind(since, filter.since.value_or(""));
      return own.bind(statement, since + 1);
    };

    AuditPage<Row> page;
    {
      auto counts = db.prepare("SELECT type, n FROM type_counts WHERE source IN (" + own.placeholders + ")");
      own.bind(counts, 1);
      while (counts.step()) {
        const auto n = static_cast<size_t>(counts.column_int(1));
        page.total += n;
        const auto type = enum_from_string<AuditActionType>(counts.column_text(0));
        if (type && !filter.shows(*type)) {
          page.hidden += n;
          if (*type == AuditActionType::generic) page.generic_hidden += n;
        }
      }
    }
    if (filter.since) {
      // Entries of a shown type but older than --since are hidden too: count them by time.
      auto older = db.prepare("SELECT count(*) FROM lines WHERE " + shown.sql + " AND timestamp < ? AND source IN (" +
                              own.placeholders + ")");
      bind_filter(older);
      if (older.step()) page.hidden += static_cast<size_t>(older.column_int(0));
    }
    auto select = db.prepare(std::string("SELECT ") + kRowColumns + " FROM lines l WHERE " + shown.sql +
                             " AND timestamp >= ? AND source IN (" + own.placeholders + ") ORDER BY timestamp DESC, id DESC LIMIT ?");
    select.bind(bind_filter(select), static_cast<int64_t>(limit));
    page.entries = opened.read<Row>(select);
    return page;
  });
}

template AuditPage<AuditEntry> AuditIndex::list<AuditEntry>(const AuditFilter&, size_t);
template AuditPage<AuditSummary> AuditIndex::list<AuditSummary>(const AuditFilter&, size_t);

std::optional<AuditEntry> AuditIndex::find(const std::string& id) {
  return on_index(m_index_file, m_logs, [&](OpenIndex& opened) -> std::optional<AuditEntry> {
    Database& db = opened.db;
    const auto& own = opened.own();
    auto select = db.prepare(std::string("SELECT ") + kRowColumns + " FROM lines l WHERE entry_id = ? AND source IN (" +
                             own.placeholders + ") ORDER BY timestamp, id LIMIT 1");
    select.bind(1, id);
    own.bind(select, 2);
    auto entries = opened.read<AuditEntry>(select);
    if (entries.empty()) return std::nullopt;
    return std::move(entries.front());
  });
}

std::vector<AuditEntry> AuditIndex::newest(const std::vector<AuditActionType>& types, size_t limit, int64_t& cursor) {
  return on_index(m_index_file, m_logs, [&](OpenIndex& opened) {
    Database& db = opened.db;
    const auto shown = type_names(types);
    const auto& own = opened.own();
    // `id < ?` alone, so that SQLite walks the rowids down from the cursor instead of scanning.
    auto select = db.prepare(std::string("SELECT ") + kRowColumns + " FROM lines l WHERE type IN (" + shown.placeholders +
                             ") AND source IN (" + own.placeholders + ") AND id < ? ORDER BY id DESC LIMIT ?");
    const int index = own.bind(select, shown.bind(select, 1));
    select.bind(index, cursor == 0 ? std::numeric_limits<int64_t>::max() : cursor);
    select.bind(index + 1, static_cast<int64_t>(limit));
    RowsRead read;
    auto entries = opened.read<AuditEntry>(select, &read);
    cursor = read.count < limit ? 0 : read.last_id;
    return entries;
  });
}

}  // namespace agntos
