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

namespace agntos {

class Statement;

class Database {
public:
  // Opens (creating if needed) with a busy timeout; `wal` switches to WAL journaling.
  explicit Database(const std::string& path, bool wal = true);
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
  int64_t column_int(int index) const;
  bool column_is_null(int index) const;

private:
  sqlite3* m_db;
  sqlite3_stmt* m_stmt = nullptr;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back by the destructor unless committed.
class Transaction {
public:
  explicit Transaction(Database& db);
  ~Transaction();
  void commit();

private:
  Database& m_db;
  bool m_done = false;
};

}  // namespace agntos
