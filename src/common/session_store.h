// SPDX-License-Identifier: MIT
#pragma once
// Conversation history (SPEC §2, §6.5): sessions.db in the state dir, shared by agntd (which
// writes it) and `agntctl memory search` (which reads it, also before any daemon exists).
//
// Schema (version 1, PRAGMA user_version):
//   sessions(id TEXT PRIMARY KEY, created_at, updated_at, title, profile, model)
//   messages(id INTEGER PRIMARY KEY, session_id, seq, role, content, tool_name, tool_call_id,
//            tool_calls_json, created_at), UNIQUE(session_id, seq)
//   messages_fts: external-content FTS5 over messages.content (tokenize 'porter unicode61'),
//            kept in sync by triggers on insert, update and delete.
// The database uses WAL, so one writer and any number of readers work at once; every write
// is one transaction. Times are ISO 8601 UTC with milliseconds, session ids "s-<hex>".
//
// Search matches every word of the query (stemmed: "installing" finds "install"; question
// words such as "why" and "is" dropped); when no message has them all, it falls back to
// messages with any of them. The newest 1,000 matching messages are ranked by bm25 and the
// best come first, so a search takes a few milliseconds however many messages are stored.
// Query text is never FTS5 syntax: each word is quoted, so "NOT", "*", quotes and
// parentheses are just text.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/sqlite.h"

namespace agntos {

struct SessionInfo {
  std::string id;
  std::string created_at;
  std::string updated_at;
  std::optional<std::string> title;
  std::optional<std::string> profile;
  std::optional<std::string> model;
  int64_t message_count = 0;

  // {"id","created_at","updated_at","title","profile","model","message_count"}
  Json to_json() const;
};

struct NewMessage {
  std::string role;  // "system" | "user" | "assistant" | "tool"
  std::string content;
  std::optional<std::string> tool_name;
  std::optional<std::string> tool_call_id;
  std::optional<std::string> tool_calls_json;  // the assistant's tool calls, as JSON text
};

struct StoredMessage {
  int64_t id = 0;
  std::string session_id;
  int64_t seq = 0;  // 1, 2, 3... within the session
  std::string role;
  std::string content;
  std::optional<std::string> tool_name;
  std::optional<std::string> tool_call_id;
  std::optional<std::string> tool_calls_json;
  std::string created_at;

  // {"id","session_id","seq","role","content","tool_name","tool_call_id","tool_calls_json","created_at"}
  Json to_json() const;
};

struct SessionSearchHit {
  std::string session_id;
  std::optional<std::string> session_title;
  int64_t message_id = 0;
  std::string role;
  std::string snippet;  // the matching part, matched words in [brackets], cut ends marked "…"
  std::string created_at;
  double score = 0;  // bm25: lower is better

  // {"session_id","session_title","message_id","role","snippet","created_at","score"}
  Json to_json() const;
};

class SessionStore {
public:
  // Opens the database, creating it and its schema when needed (the parent dir must exist).
  explicit SessionStore(const std::filesystem::path& db_file);

  // A new session; returns its id.
  std::string create_session(const std::optional<std::string>& title = std::nullopt,
                             const std::optional<std::string>& profile = std::nullopt,
                             const std::optional<std::string>& model = std::nullopt);
  // Appends a message as the session's next seq and bumps its updated_at; returns the
  // message id. Throws Error(Errc::not_found) for an unknown session.
  int64_t add_message(const std::string& session_id, const NewMessage& message);
  void set_title(const std::string& session_id, const std::string& title);

  std::optional<SessionInfo> session(const std::string& session_id);
  // The whole history of a session in order (empty for an unknown session).
  std::vector<StoredMessage> messages(const std::string& session_id);
  // Most recently updated first.
  std::vector<SessionInfo> list_sessions(size_t limit);
  std::vector<SessionSearchHit> search(const std::string& query, size_t limit);
  // EXPLAIN QUERY PLAN of the search query, one detail line per step (tests check that it
  // reads the FTS index and looks messages up by rowid, never scanning a table).
  std::vector<std::string> search_plan();

  Database& database() { return m_db; }

private:
  Database m_db;
};

// The FTS5 MATCH expression for a query: each word quoted, joined by "AND" (all words) or
// "OR" (any word). "" when the query has no words.
enum class MatchAll { no, yes };
std::string session_match_expression(const std::string& query, MatchAll all);

}  // namespace agntos
