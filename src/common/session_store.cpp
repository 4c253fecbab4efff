// SPDX-License-Identifier: MIT
#include "common/session_store.h"

#include <cstdlib>

#include "common/audit_index.h"
#include "common/error.h"
#include "common/ids.h"

namespace agntos {
namespace {

constexpr int kSchemaVersion = 1;

const char* kSchema = R"(
CREATE TABLE IF NOT EXISTS sessions(
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  title TEXT,
  profile TEXT,
  model TEXT);
CREATE INDEX IF NOT EXISTS sessions_by_update ON sessions(updated_at);
CREATE TABLE IF NOT EXISTS messages(
  id INTEGER PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  role TEXT NOT NULL,
  content TEXT NOT NULL DEFAULT '',
  tool_name TEXT,
  tool_call_id TEXT,
  tool_calls_json TEXT,
  created_at TEXT NOT NULL,
  UNIQUE(session_id, seq));
CREATE VIRTUAL TABLE IF NOT EXISTS messages_fts USING fts5(
  content, content='messages', content_rowid='id', tokenize='porter unicode61');
CREATE TRIGGER IF NOT EXISTS messages_fts_insert AFTER INSERT ON messages BEGIN
  INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
END;
CREATE TRIGGER IF NOT EXISTS messages_fts_delete AFTER DELETE ON messages BEGIN
  INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
END;
CREATE TRIGGER IF NOT EXISTS messages_fts_update AFTER UPDATE OF content ON messages BEGIN
  INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
  INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
END;
)";

std::optional<std::string> optional_text(const Statement& statement, int column) {
  if (statement.column_is_null(column)) return std::nullopt;
  return statement.column_text(column);
}

void bind_optional(Statement& statement, int index, const std::optional<std::string>& value) {
  if (value)
    statement.bind(index, *value);
  else
    statement.bind_null(index);
}

Database open_database(const std::filesystem::path& file) {
  Database db(file.string(), Journal::wal);
  db.exec("PRAGMA foreign_keys=ON");
  auto version = db.prepare("PRAGMA user_version");
  const int64_t current = version.step() ? version.column_int(0) : 0;
  if (current > kSchemaVersion)
    throw Error(Errc::failed, file.string() + " has session schema version " + std::to_string(current) +
                                  ", newer than this program understands (" + std::to_string(kSchemaVersion) +
                                  "); update AgntOS");
  if (current < kSchemaVersion) {
    Transaction transaction(db);
    db.exec(kSchema);
    db.exec("PRAGMA user_version=" + std::to_string(kSchemaVersion));
    transaction.commit();
  }
  return db;
}

SessionInfo read_session(const Statement& row) {
  SessionInfo info;
  info.id = row.column_text(0);
  info.created_at = row.column_text(1);
  info.updated_at = row.column_text(2);
  info.title = optional_text(row, 3);
  info.profile = optional_text(row, 4);
  info.model = optional_text(row, 5);
  info.message_count = row.column_int(6);
  return info;
}

// bm25 has to score every candidate, and FTS5's own ORDER BY rank scores all matches: over
// 100 ms for a word in half of 100,000 messages. So candidates are the newest kRankWindow
// matches (FTS5 walks its doclist backwards and stops), scored by bm25() and sorted by
// SQLite. Search stays within a few milliseconds at any size, and recent talk is what recall
// is for. Snippets are made afterwards, one rowid lookup per returned hit.
constexpr int64_t kRankWindow = 1000;

constexpr const char* kSearchSql =
    "SELECT m.session_id, s.title, m.id, m.role, m.created_at, f.score "
    "FROM (SELECT rowid, bm25(messages_fts) AS score FROM messages_fts "
    "      WHERE messages_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?3) AS f "
    "JOIN messages m ON m.id = f.rowid LEFT JOIN sessions s ON s.id = m.session_id "
    "ORDER BY f.score, m.id DESC LIMIT ?2";

constexpr const char* kSnippetSql =
    "SELECT snippet(messages_fts, 0, '[', ']', '\xE2\x80\xA6', 16) FROM messages_fts "
    "WHERE messages_fts MATCH ?1 AND rowid = ?2";

constexpr const char* kSessionColumns =
    "SELECT s.id, s.created_at, s.updated_at, s.title, s.profile, s.model, "
    "(SELECT count(*) FROM messages m WHERE m.session_id = s.id) FROM sessions s ";

}  // namespace

Json SessionInfo::to_json() const {
  return Json{{"id", id},
              {"created_at", created_at},
              {"updated_at", updated_at},
              {"title", json_or_null(title)},
              {"profile", json_or_null(profile)},
              {"model", json_or_null(model)},
              {"message_count", message_count}};
}

Json StoredMessage::to_json() const {
  return Json{{"id", id},
              {"session_id", session_id},
              {"seq", seq},
              {"role", role},
              {"content", content},
              {"tool_name", json_or_null(tool_name)},
              {"tool_call_id", json_or_null(tool_call_id)},
              {"tool_calls_json", json_or_null(tool_calls_json)},
              {"created_at", created_at}};
}

Json SessionSearchHit::to_json() const {
  return Json{{"session_id", session_id},
              {"session_title", json_or_null(session_title)},
              {"message_id", message_id},
              {"role", role},
              {"snippet", snippet},
              {"created_at", created_at},
              {"score", score}};
}

std::string session_match_expression(const std::string& query, MatchAll all) {
  // The audit search's rules: words quoted one by one, question words dropped.
  std::string expression = audit_match_expression(query);
  if (all == MatchAll::no) {
    // Quoted words hold no spaces, so every " AND " is a joint between two of them.
    for (size_t at = expression.find(" AND "); at != std::string::npos; at = expression.find(" AND ", at))
      expression.replace(at, 5, " OR ");
  }
  return expression;
}

SessionStore::SessionStore(const std::filesystem::path& db_file) : m_db(open_database(db_file)) {}

std::string SessionStore::create_session(const std::optional<std::string>& title,
                                         const std::optional<std::string>& profile,
                                         const std::optional<std::string>& model) {
  const std::string id = make_id("s");
  const std::string now = iso8601_now();
  auto insert =
      m_db.prepare("INSERT INTO sessions(id, created_at, updated_at, title, profile, model) VALUES (?, ?, ?, ?, ?, ?)");
  insert.bind(1, id).bind(2, now).bind(3, now);
  bind_optional(insert, 4, title);
  bind_optional(insert, 5, profile);
  bind_optional(insert, 6, model);
  insert.run();
  return id;
}

int64_t SessionStore::add_message(const std::string& session_id, const NewMessage& message) {
  const std::string now = iso8601_now();
  Transaction transaction(m_db);
  auto touch = m_db.prepare("UPDATE sessions SET updated_at = ? WHERE id = ?");
  touch.bind(1, now).bind(2, session_id).run();
  if (sqlite3_changes(m_db.handle()) == 0)
    throw Error(Errc::not_found, "no session " + session_id + " in the session store");
  auto insert = m_db.prepare(
      "INSERT INTO messages(session_id, seq, role, content, tool_name, tool_call_id, tool_calls_json, created_at) "
      "VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM messages WHERE session_id = ?1), ?2, ?3, ?4, ?5, ?6, ?7)");
  insert.bind(1, session_id).bind(2, message.role).bind(3, message.content);
  bind_optional(insert, 4, message.tool_name);
  bind_optional(insert, 5, message.tool_call_id);
  bind_optional(insert, 6, message.tool_calls_json);
  insert.bind(7, now);
  insert.run();
  const int64_t id = m_db.last_insert_rowid();
  transaction.commit();
  return id;
}

void SessionStore::set_title(const std::string& session_id, const std::string& title) {
  auto update = m_db.prepare("UPDATE sessions SET title = ? WHERE id = ?");
  update.bind(1, title).bind(2, session_id).run();
  if (sqlite3_changes(m_db.handle()) == 0)
    throw Error(Errc::not_found, "no session " + session_id + " in the session store");
}

std::optional<SessionInfo> SessionStore::session(const std::string& session_id) {
  auto select = m_db.prepare(std::string(kSessionColumns) + "WHERE s.id = ?");
  select.bind(1, session_id);
  if (!select.step()) return std::nullopt;
  return read_session(select);
}

std::vector<StoredMessage> SessionStore::messages(const std::string& session_id) {
  auto select = m_db.prepare(
      "SELECT id, session_id, seq, role, content, tool_name, tool_call_id, tool_calls_json, created_at "
      "FROM messages WHERE session_id = ? ORDER BY seq");
  select.bind(1, session_id);
  std::vector<StoredMessage> result;
  while (select.step()) {
    StoredMessage message;
    message.id = select.column_int(0);
    message.session_id = select.column_text(1);
    message.seq = select.column_int(2);
    message.role = select.column_text(3);
    message.content = select.column_text(4);
    message.tool_name = optional_text(select, 5);
    message.tool_call_id = optional_text(select, 6);
    message.tool_calls_json = optional_text(select, 7);
    message.created_at = select.column_text(8);
    result.push_back(std::move(message));
  }
  return result;
}

std::vector<SessionInfo> SessionStore::list_sessions(size_t limit) {
  auto select = m_db.prepare(std::string(kSessionColumns) + "ORDER BY s.updated_at DESC, s.id DESC LIMIT ?");
  select.bind(1, static_cast<int64_t>(limit));
  std::vector<SessionInfo> result;
  while (select.step()) result.push_back(read_session(select));
  return result;
}

std::vector<std::string> SessionStore::search_plan() {
  auto explain = m_db.prepare(std::string("EXPLAIN QUERY PLAN ") + kSearchSql);
  explain.bind(1, "\"x\"").bind(2, int64_t{10}).bind(3, kRankWindow);
  std::vector<std::string> plan;
  while (explain.step()) plan.push_back(explain.column_text(3));
  return plan;
}

std::vector<SessionSearchHit> SessionStore::search(const std::string& query, size_t limit) {
  auto run = [&](const std::string& expression) {
    auto select = m_db.prepare(kSearchSql);
    select.bind(1, expression).bind(2, static_cast<int64_t>(limit)).bind(3, kRankWindow);
    std::vector<SessionSearchHit> hits;
    while (select.step()) {
      SessionSearchHit hit;
      hit.session_id = select.column_text(0);
      hit.session_title = optional_text(select, 1);
      hit.message_id = select.column_int(2);
      hit.role = select.column_text(3);
      hit.created_at = select.column_text(4);
      hit.score = std::strtod(select.column_text(5).c_str(), nullptr);  // Statement reads REALs as text
      hits.push_back(std::move(hit));
    }
    auto snippet = m_db.prepare(kSnippetSql);
    for (auto& hit : hits) {
      snippet.bind(1, expression).bind(2, hit.message_id);
      if (snippet.step()) hit.snippet = snippet.column_text(0);
      snippet.reset();
    }
    return hits;
  };
  if (limit == 0) return {};
  const std::string all = session_match_expression(query, MatchAll::yes);
  if (all.empty()) return {};
  auto hits = run(all);
  if (hits.empty()) {
    const std::string any = session_match_expression(query, MatchAll::no);
    if (any != all) hits = run(any);
  }
  return hits;
}

}  // namespace agntos
