// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "common/error.h"
#include "common/session_store.h"
#include "common/text.h"
#include "support/temp_dir.h"

namespace agntos {
namespace {

NewMessage text_message(const std::string& role, const std::string& content) { return {role, content, {}, {}, {}}; }

TEST(SessionStore, MessagesComeBackInOrderWithTheirToolFields) {
  testing::TempDir dir;
  SessionStore store(dir / "sessions.db");
  const auto id = store.create_session("install htop", "default", "qwen2.5-coder:7b");
  EXPECT_TRUE(id.starts_with("s-"));
  store.add_message(id, text_message("user", "please install htop"));
  store.add_message(
      id, {"assistant", "", std::nullopt, std::nullopt, R"([{"id":"c1","name":"propose","arguments":"{}"}])"});
  store.add_message(id, {"tool", "proposal p-1 staged", std::string("propose"), std::string("c1"), std::nullopt});

  const auto history = store.messages(id);
  ASSERT_EQ(history.size(), 3u);
  for (size_t i = 0; i < history.size(); ++i) EXPECT_EQ(history[i].seq, static_cast<int64_t>(i + 1));
  EXPECT_EQ(history[0].role, "user");
  EXPECT_EQ(history[0].tool_name, std::nullopt);
  EXPECT_EQ(history[1].tool_calls_json.value_or(""), R"([{"id":"c1","name":"propose","arguments":"{}"}])");
  EXPECT_EQ(history[2].tool_name.value_or(""), "propose");
  EXPECT_EQ(history[2].tool_call_id.value_or(""), "c1");
  EXPECT_EQ(history[2].to_json()["tool_calls_json"], nullptr);

  const auto info = store.session(id);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->title.value_or(""), "install htop");
  EXPECT_EQ(info->model.value_or(""), "qwen2.5-coder:7b");
  EXPECT_EQ(info->message_count, 3);
  EXPECT_GE(info->updated_at, info->created_at);
  EXPECT_TRUE(store.messages("s-unknown").empty());
  EXPECT_FALSE(store.session("s-unknown"));
}

TEST(SessionStore, UnknownSessionIsNotFound) {
  testing::TempDir dir;
  SessionStore store(dir / "sessions.db");
  try {
    store.add_message("s-nope", text_message("user", "x"));
    FAIL() << "expected not_found";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::not_found);
  }
}

TEST(SessionStore, ListsMostRecentlyUpdatedFirstAndSurvivesReopening) {
  testing::TempDir dir;
  std::string first;
  std::string second;
  {
    SessionStore store(dir / "sessions.db");
    first = store.create_session();
    second = store.create_session();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // updated_at has millisecond resolution
    store.add_message(first, text_message("user", "later message makes this session the newest"));
    store.set_title(second, "titled");
  }
  SessionStore reopened(dir / "sessions.db");
  const auto sessions = reopened.list_sessions(10);
  ASSERT_EQ(sessions.size(), 2u);
  EXPECT_EQ(sessions[0].id, first);
  EXPECT_EQ(sessions[0].message_count, 1);
  EXPECT_EQ(sessions[1].title.value_or(""), "titled");
  EXPECT_EQ(reopened.list_sessions(1).size(), 1u);
  auto version = reopened.database().prepare("PRAGMA user_version");
  ASSERT_TRUE(version.step());
  EXPECT_EQ(version.column_int(0), 1);
  auto journal = reopened.database().prepare("PRAGMA journal_mode");
  ASSERT_TRUE(journal.step());
  EXPECT_EQ(journal.column_text(0), "wal");
}

TEST(SessionStore, NewerSchemaIsRefusedWithAClearMessage) {
  testing::TempDir dir;
  {
    SessionStore store(dir / "sessions.db");
    store.database().exec("PRAGMA user_version=99");
  }
  try {
    SessionStore again(dir / "sessions.db");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos) << e.what();
  }
}

TEST(SessionStore, SearchRanksByBm25StemsAndMarksTheMatch) {
  testing::TempDir dir;
  SessionStore store(dir / "sessions.db");
  const auto a = store.create_session("editors");
  const auto b = store.create_session();
  store.add_message(a, text_message("user", "I prefer helix as my editor"));
  store.add_message(a, text_message("assistant", "Noted: helix, helix everywhere, helix config in home"));
  store.add_message(b, text_message("user", "installing htop please"));
  store.add_message(b, text_message("assistant", "unrelated answer about the firewall"));

  const auto helix = store.search("helix", 10);
  ASSERT_EQ(helix.size(), 2u);
  EXPECT_EQ(helix[0].role, "assistant");  // three mentions rank above one
  EXPECT_LE(helix[0].score, helix[1].score);
  EXPECT_EQ(helix[0].session_id, a);
  EXPECT_EQ(helix[0].session_title.value_or(""), "editors");
  EXPECT_NE(helix[1].snippet.find("[helix]"), std::string::npos) << helix[1].snippet;

  const auto stemmed = store.search("why did we install htop?", 10);
  ASSERT_EQ(stemmed.size(), 1u);
  EXPECT_EQ(stemmed[0].session_id, b);
  EXPECT_EQ(stemmed[0].session_title, std::nullopt);

  // No message has both words: the search falls back to either.
  EXPECT_EQ(store.search("htop firewall", 10).size(), 2u);
  EXPECT_EQ(store.search("helix", 1).size(), 1u);
  EXPECT_TRUE(store.search("nothing-like-this", 10).empty());
  EXPECT_TRUE(store.search("   ", 10).empty());
}

TEST(SessionStore, QueryTextIsNeverFts5Syntax) {
  testing::TempDir dir;
  SessionStore store(dir / "sessions.db");
  const auto id = store.create_session();
  store.add_message(id, text_message("user", "NOT a problem: content near the AND OR words"));
  for (const char* query : {"NOT", "AND OR", "\"unbalanced", "content:near", "near(", "*", "a* OR b", "-x", "^start",
                            "'quote'", "(((", "NEAR(a b)", "\"\""}) {
    SCOPED_TRACE(query);
    EXPECT_NO_THROW(store.search(query, 10));
  }
  EXPECT_EQ(store.search("NOT", 10).size(), 1u);
  EXPECT_EQ(session_match_expression("why is \"htop\" installed?", MatchAll::yes), "\"htop\" AND \"installed\"");
  EXPECT_EQ(session_match_expression("helix the editor", MatchAll::no), "\"helix\" OR \"editor\"");
  EXPECT_EQ(session_match_expression("the a", MatchAll::yes), "\"the\" AND \"a\"");  // only stop words: kept
  EXPECT_EQ(session_match_expression("?!", MatchAll::yes), "");
}

TEST(SessionStore, FtsIndexFollowsUpdatesAndDeletes) {
  testing::TempDir dir;
  SessionStore store(dir / "sessions.db");
  const auto id = store.create_session();
  const auto message = store.add_message(id, text_message("user", "original words"));
  store.database().prepare("UPDATE messages SET content = 'replacement text' WHERE id = ?").bind(1, message).run();
  EXPECT_TRUE(store.search("original", 10).empty());
  EXPECT_EQ(store.search("replacement", 10).size(), 1u);
  store.database().prepare("DELETE FROM sessions WHERE id = ?").bind(1, id).run();  // cascades to messages
  EXPECT_TRUE(store.search("replacement", 10).empty());
  EXPECT_TRUE(store.messages(id).empty());
}

TEST(SessionStore, SearchReadsTheFtsIndexAndSortsOnlyTheReturnedRows) {
  testing::TempDir dir;
  SessionStore store(dir / "sessions.db");
  const auto steps = store.search_plan();
  const auto plan = join(steps, "\n");
  EXPECT_NE(plan.find("SCAN messages_fts VIRTUAL TABLE INDEX"), std::string::npos) << plan;  // MATCH in FTS5
  EXPECT_NE(plan.find("SEARCH m USING INTEGER PRIMARY KEY"), std::string::npos) << plan;     // then by rowid
  size_t sorts = 0;
  for (const auto& step : steps) {
    // The only scans are the FTS5 index and the few rows it returned; no table is read whole.
    if (step.starts_with("SCAN ")) {
      EXPECT_TRUE(step.starts_with("SCAN messages_fts ") || step == "SCAN f") << plan;
    }
    if (step.find("TEMP B-TREE") != std::string::npos) ++sorts;
  }
  EXPECT_EQ(sorts, 1u) << plan;  // by score, of the window; FTS5 gives the newest matches in rowid order
}

TEST(SessionStore, ManyMessagesStaySearchable) {
  testing::TempDir dir;
  SessionStore store(dir / "sessions.db");
  const char* words[] = {"nix", "flake", "helix", "firewall", "nginx", "ssh", "rollback", "generation", "audit"};
  for (int s = 0; s < 20; ++s) {
    const auto id = store.create_session();
    for (int m = 0; m < 100; ++m)
      store.add_message(
          id, text_message(m % 2 ? "assistant" : "user", std::string("message about ") + words[(s + m) % 9] + " and " +
                                                             words[(s * m) % 9] + " number " + std::to_string(m)));
  }
  const auto hits = store.search("firewall", 5);
  EXPECT_EQ(hits.size(), 5u);
  for (const auto& hit : hits) EXPECT_NE(hit.snippet.find("[firewall]"), std::string::npos);
}

}  // namespace
}  // namespace agntos
