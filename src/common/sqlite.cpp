// SPDX-License-Identifier: MIT
#include "common/sqlite.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <utility>

#include "common/error.h"
#include "common/fd.h"

namespace agntos {
namespace {

// Throws what SQLite's result code `rc` says: DatabaseDamaged for a damaged file, else Error.
[[noreturn]] void throw_sqlite(int rc, const std::string& message) {
  if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB) throw DatabaseDamaged(Errc::io, message);
  throw Error(Errc::io, message);
}

[[noreturn]] void fail(sqlite3* db, const std::string& what) {
  throw_sqlite(db ? sqlite3_errcode(db) : SQLITE_NOMEM, what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

// Every database of AgntOS holds prompts or tool output, so its file is created 0600 before
// SQLite opens it (SQLite gives the -wal and -shm files the mode of the database file), and a
// file that an earlier version left open to others is made private.
void make_private(const std::string& path) {
  if (path.empty() || path == ":memory:" || path.starts_with("file:")) return;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    const std::string file = path + suffix;
    Fd fd(::open(file.c_str(), O_RDWR | O_CLOEXEC | O_NOFOLLOW | (*suffix ? 0 : O_CREAT), 0600));
    struct stat st {};
    // An error here is left to sqlite3_open_v2, which reports it in its own words.
    if (fd && ::fstat(fd.get(), &st) == 0 && (st.st_mode & 077) != 0) (void)::fchmod(fd.get(), st.st_mode & 0700);
  }
}

// Once per process, before SQLite starts (sqlite3_config fails once it has; then nothing changes).
// What a process that runs a few queries and exits pays for and does not use:
// - memory statistics: every allocation counted under a global mutex, a fifth of the
//   instructions of a short query (nothing here reads sqlite3_memory_used;
//   sqlite3_db_release_memory works without them);
// - a page cache made ahead of use: 20 pages allocated and written on the first read, about 20
//   page faults, for a query that reads a few pages (pages are allocated as they are read).
void configure_sqlite() {
  static const bool configured = [] {
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    (void)sqlite3_config(SQLITE_CONFIG_PAGECACHE, static_cast<void*>(nullptr), 0, 0);
    return true;
  }();
  (void)configured;
}

}  // namespace

Database::Database(const std::string& path, Journal journal) : m_path(path) {
  configure_sqlite();
  make_private(path);
  if (sqlite3_open_v2(path.c_str(), &m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    std::string message = "cannot open database " + path + ": " + (m_db ? sqlite3_errmsg(m_db) : "out of memory");
    sqlite3_close(m_db);
    m_db = nullptr;
    throw Error(Errc::io, message);
  }
  sqlite3_busy_timeout(m_db, 10000);
  try {
    if (journal == Journal::wal) {
      exec("PRAGMA journal_mode=WAL");
    } else {
      // Leaving WAL needs the file to itself; while another process has it open the switch fails
      // at once, and the file keeps working in WAL until a later open finds it alone.
      try {
        exec("PRAGMA journal_mode=DELETE");
      } catch (const DatabaseDamaged&) {
        throw;
      } catch (const Error&) {
      }
    }
    exec("PRAGMA synchronous=NORMAL");
  } catch (...) {
    sqlite3_close_v2(m_db);
    m_db = nullptr;
    throw;
  }
}

Database::Database(Database&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)), m_path(std::move(other.m_path)) {}

void Database::release_memory() { sqlite3_db_release_memory(m_db); }

Database::~Database() {
  if (m_db) sqlite3_close_v2(m_db);
}

void Database::exec(std::string_view sql) {
  char* message = nullptr;
  const std::string text(sql);
  if (const int rc = sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &message); rc != SQLITE_OK) {
    std::string error = message ? message : "unknown error";
    sqlite3_free(message);
    throw_sqlite(rc, m_path + ": " + error + " (in: " + text.substr(0, 80) + ")");
  }
}

Statement Database::prepare(std::string_view sql) { return Statement(m_db, sql); }

int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(m_db); }

Statement::Statement(sqlite3* db, std::string_view sql) : m_db(db) {
  if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &m_stmt, nullptr) != SQLITE_OK)
    fail(db, "cannot prepare '" + std::string(sql.substr(0, 80)) + "'");
}

Statement::Statement(Statement&& other) noexcept : m_db(other.m_db), m_stmt(std::exchange(other.m_stmt, nullptr)) {}

Statement::~Statement() {
  if (m_stmt) sqlite3_finalize(m_stmt);
}

Statement& Statement::bind(int index, std::string_view text) {
  if (sqlite3_bind_text(m_stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT) != SQLITE_OK)
    fail(m_db, "cannot bind");
  return *this;
}

Statement& Statement::bind(int index, int64_t value) {
  if (sqlite3_bind_int64(m_stmt, index, value) != SQLITE_OK) fail(m_db, "cannot bind");
  return *this;
}

Statement& Statement::bind_null(int index) {
  if (sqlite3_bind_null(m_stmt, index) != SQLITE_OK) fail(m_db, "cannot bind");
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(m_stmt);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(m_db, "query failed");
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

void Statement::reset() {
  sqlite3_reset(m_stmt);
  sqlite3_clear_bindings(m_stmt);
}

std::string Statement::column_text(int index) const {
  const auto* text = sqlite3_column_text(m_stmt, index);
  return text ? std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(sqlite3_column_bytes(m_stmt, index)))
              : std::string();
}

std::string_view Statement::column_view(int index) const {
  const auto* text = sqlite3_column_text(m_stmt, index);
  return text ? std::string_view(reinterpret_cast<const char*>(text), static_cast<size_t>(sqlite3_column_bytes(m_stmt, index)))
              : std::string_view();
}

int64_t Statement::column_int(int index) const { return sqlite3_column_int64(m_stmt, index); }

bool Statement::column_is_null(int index) const { return sqlite3_column_type(m_stmt, index) == SQLITE_NULL; }

Transaction::Transaction(Database& db, Access access) : m_db(db) {
  m_db.exec(access == Access::write ? "BEGIN IMMEDIATE" : "BEGIN");
}

Transaction::~Transaction() {
  if (!m_done) {
    try {
      m_db.exec("ROLLBACK");
    } catch (...) {
    }
  }
}

void Transaction::commit() {
  m_db.exec("COMMIT");
  m_done = true;
}

}  // namespace agntos
