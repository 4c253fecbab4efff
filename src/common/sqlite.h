// SPDX-License-Identifier: MIT
#pragma once
// Move-only RAII wrappers for sqlite3 and sqlite3_stmt. Every failure throws Error with
// SQLite's own message and the statement or file it concerns.

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"

namespace agntos {

// SQLite found the file damaged or not a database at all (SQLITE_CORRUPT, SQLITE_NOTADB). A
// cache (the audit index) is removed and made again; a store of record is reported.
class DatabaseDamaged : public Error {
public:
  using Error::Error;
};

class Statement;

// How a database journals its writes. WAL lets a reader go on while another process writes (a
// store that a daemon and its tools write at once); a rollback journal costs a reader nothing but
// a file lock (no -wal and -shm files made, mapped and removed by every process that opens it),
// the better trade for a cache that is read far more often than written.
enum class Journal { wal, rollback };

class Database {
public:
  // Opens (creating if needed) with a busy timeout and the given journal (a file made with the
  // other one is switched).
  explicit Database(const std::string& path, Journal journal = Journal::wal);
  Database(Database&& other) noexcept;
  Database& operator=(Database&&) = delete;
  Database(const Database&) = delete;
  ~Database();

  void exec(std::string_view sql);
  Statement prepare(std::string_view sql);
  int64_t last_insert_rowid() const;
  // Frees what this connection's page cache holds beyond what it needs now (a daemon between turns).
  void release_memory();
  sqlite3* handle() const { return m_db; }

private:
  sqlite3* m_db = nullptr;
  std::string m_path;
};

class Statement {
public:
  Statement(sqlite3* db, std::string_view sql);
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement();

  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, int64_t value);
  Statement& bind_null(int index);
  // Steps once: true when a row is available, false when done.
  bool step();
  // Runs to completion, then resets for reuse.
  void run();
  void reset();

  std::string column_text(int index) const;
  // The column's text without a copy: valid until the next step, reset or destruction.
  std::string_view column_view(int index) const;
  int64_t column_int(int index) const;
  bool column_is_null(int index) const;

private:
  sqlite3* m_db;
  sqlite3_stmt* m_stmt = nullptr;
};

// BEGIN ... COMMIT, rolled back by the destructor unless committed. A write transaction takes
// the write lock at once (BEGIN IMMEDIATE); a read transaction (BEGIN) makes every statement in it
// read the same state of the database.
enum class Access { read, write };

class Transaction {
public:
  explicit Transaction(Database& db, Access access = Access::write);
  ~Transaction();
  void commit();

private:
  Database& m_db;
  bool m_done = false;
};

}  // namespace agntos
