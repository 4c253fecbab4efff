// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "common/audit.h"
#include "common/audit_index.h"
#include "common/files.h"
#include "common/paths.h"
#include "common/sqlite.h"
#include "support/temp_dir.h"

namespace agntos {
namespace {

AuditEntry apply_entry(const std::string& package, const std::string& prompt) {
  auto entry = AuditEntry::make(AuditActionType::apply, "Applied: Install package: " + package);
  entry.origin.prompt = prompt;
  entry.packages = {package};
  entry.files_changed = {"/etc/agntos/packages/" + package + ".nix"};
  return entry;
}

TEST(AuditIndex, WhyQuestionFindsTheEntryWithThePrompt) {
  testing::TempDir dir;
  AuditLog log(dir / "audit.jsonl");
  log.append(apply_entry("htop", "I want to see which process eats my CPU"));
  log.append(apply_entry("ripgrep", "give me a faster grep"));
  AuditIndex index(dir / "index.db", {log.path()});
  const auto results = index.search("Why is htop installed?", 10);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].origin.prompt.value_or(""), "I want to see which process eats my CPU");
}

TEST(AuditIndex, MatchesPromptRationaleAndPaths) {
  testing::TempDir dir;
  AuditLog log(dir / "audit.jsonl");
  auto entry = apply_entry("btop", "show me a pretty process viewer");
  entry.origin.rationale = "user wants resource monitoring";
  log.append(entry);
  AuditIndex index(dir / "index.db", {log.path()});
  EXPECT_EQ(index.search("pretty viewer", 10).size(), 1u);
  EXPECT_EQ(index.search("monitoring", 10).size(), 1u);
  EXPECT_EQ(index.search("packages/btop.nix", 10).size(), 1u);
  EXPECT_EQ(index.search("nginx", 10).size(), 0u);
}

TEST(AuditIndex, NewestFirstAndIncremental) {
  testing::TempDir dir;
  AuditLog log(dir / "audit.jsonl");
  AuditIndex index(dir / "index.db", {log.path()});
  log.append(apply_entry("htop", "first"));
  EXPECT_EQ(index.search("htop", 10).size(), 1u);
  log.append(apply_entry("htop", "second"));
  const auto results = index.search("htop", 10);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].origin.prompt.value_or(""), "second");
  EXPECT_EQ(index.refresh(), 0u);  // nothing new
}

TEST(AuditIndex, ReplacedLogIsReindexed) {
  testing::TempDir dir;
  const auto path = dir / "audit.jsonl";
  AuditIndex index(dir / "index.db", {path});
  AuditLog(path).append(apply_entry("htop", "old"));
  EXPECT_EQ(index.search("htop", 10).size(), 1u);
  std::filesystem::remove(path);
  AuditLog(path).append(apply_entry("btop", "new"));
  EXPECT_EQ(index.search("htop", 10).size(), 0u);
  EXPECT_EQ(index.search("btop", 10).size(), 1u);
}

TEST(AuditIndex, QueryTextCannotInjectFtsSyntax) {
  EXPECT_EQ(audit_match_expression("htop"), "\"htop\"");
  EXPECT_EQ(audit_match_expression("why is htop installed?"), "\"htop\" AND \"installed\"");
  testing::TempDir dir;
  AuditLog log(dir / "audit.jsonl");
  log.append(apply_entry("htop", "x"));
  AuditIndex index(dir / "index.db", {log.path()});
  EXPECT_NO_THROW(index.search("\" OR * NEAR( htop", 10));
}

}  // namespace
}  // namespace agntos

namespace agntos {
namespace {

TEST(AuditIndex, RemovedLogIsForgottenAndAbsentLogCostsNothing) {
  testing::TempDir dir;
  const auto kept = dir / "kept.jsonl";
  const auto removed = dir / "removed.jsonl";
  AuditLog(kept).append(apply_entry("htop", "kept"));
  AuditLog(removed).append(apply_entry("htop", "removed"));
  AuditIndex index(dir / "index.db", {kept, removed, dir / "never-existed.jsonl"});
  EXPECT_EQ(index.search("htop", 10).size(), 2u);
  std::filesystem::remove(removed);
  const auto results = index.search("htop", 10);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].origin.prompt.value_or(""), "kept");
}

}  // namespace
}  // namespace agntos

namespace agntos {
namespace {

// What `audit list` showed before it had an index: every entry of both logs, read and filtered.
AuditPage<AuditEntry> list_by_reading(const std::vector<std::filesystem::path>& logs, const AuditFilter& filter, size_t limit) {
  auto entries = read_audit_logs(logs);
  std::reverse(entries.begin(), entries.end());
  AuditPage<AuditEntry> page;
  page.total = entries.size();
  for (auto& entry : entries) {
    if (!filter.matches(entry)) {
      ++page.hidden;
      if (entry.action.type == AuditActionType::generic) ++page.generic_hidden;
    } else if (page.entries.size() < limit) {
      page.entries.push_back(std::move(entry));
    }
  }
  return page;
}

std::vector<std::string> ids(const AuditPage<AuditEntry>& page) {
  std::vector<std::string> result;
  for (const auto& entry : page.entries) result.push_back(entry.id);
  return result;
}

// Issue 14: audit list reads the index, not every line. Whatever the filter, it answers what
// reading every entry of both logs answers: the same entries in the same order, the same counts,
// also after appends, a malformed line and a replaced log.
TEST(AuditIndex, ListAnswersWhatReadingEveryEntryAnswers) {
  testing::TempDir dir;
  const std::vector<std::filesystem::path> logs{dir / "config.jsonl", dir / "state.jsonl"};
  AuditIndex index(dir / "index.db", logs);
  const auto types = enum_values<AuditActionType>();
  auto add = [&](int i) {
    auto entry = AuditEntry::make(types[static_cast<size_t>(i * 7) % types.size()], "entry " + std::to_string(i));
    // Times out of file order, as two logs and a clock that was set back give, and ties within
    // a log (the logs' seconds differ, so no two logs tie).
    const bool state = i % 3 == 0;
    entry.timestamp = "2026-11-" + std::to_string(10 + (i * 13) % 17) + (state ? "T10:00:01.000Z" : "T10:00:00.000Z");
    AuditLog(logs[state ? 1 : 0]).append(entry);
  };
  std::vector<AuditFilter> filters(5);
  filters[1].include_generic = true;
  filters[2].types = {AuditActionType::undo, AuditActionType::generic};
  filters[3].since = "2026-11-20T00:00:00.000Z";
  filters[4].types = {AuditActionType::apply};
  filters[4].since = "2026-11-15";
  auto check = [&](const char* when) {
    for (const auto& filter : filters) {
      for (const size_t limit : {size_t{3}, size_t{100}}) {
        const auto expected = list_by_reading(logs, filter, limit);
        const auto page = index.list(filter, limit);
        EXPECT_EQ(ids(page), ids(expected)) << when;
        EXPECT_EQ(page.total, expected.total) << when;
        EXPECT_EQ(page.hidden, expected.hidden) << when;
        EXPECT_EQ(page.generic_hidden, expected.generic_hidden) << when;
        // What a list line shows comes from the index's own columns, and is what the entry says.
        std::vector<AuditSummary> summaries;
        for (const auto& entry : expected.entries) summaries.push_back(AuditSummary::of(entry));
        EXPECT_EQ(index.list<AuditSummary>(filter, limit).entries, summaries) << when;
      }
    }
  };
  for (int i = 0; i < 40; ++i) add(i);
  check("first index");
  for (int i = 40; i < 60; ++i) add(i);
  // Lines this version cannot read are skipped, as reading the log skips them: not JSON, not an
  // entry, and an entry of a type a newer agntctl wrote.
  std::ofstream(logs[0], std::ios::app)
      << "{not an entry\n{}\n[]\n"
      << R"({"id":"a-1","timestamp":"2026-11-12T10:00:00.000Z","action":{"type":"FutureThing"},"summary":"x"})" << "\n";
  check("after appends and a malformed line");
  std::filesystem::remove(logs[1]);
  for (int i = 60; i < 66; ++i) add(i);
  check("after the state log was replaced");
  const auto some = index.list(filters[1], 100).entries.at(5);
  ASSERT_TRUE(index.find(some.id).has_value());
  EXPECT_EQ(index.find(some.id)->summary, some.summary);
  EXPECT_FALSE(index.find("a-00000000").has_value());
}

// A log larger than one indexing batch (8 MB) is indexed in several transactions, and a line
// larger than a batch is indexed whole: every entry is found, in order, counted once.
TEST(AuditIndex, ALogLargerThanABatchIsIndexedWhole) {
  testing::TempDir dir;
  const auto path = dir / "audit.jsonl";
  {
    std::ofstream out(path, std::ios::binary);
    const std::string padding(600, 'x');
    for (int i = 0; i < 20000; ++i) {
      auto entry = AuditEntry::make(i % 2 ? AuditActionType::apply : AuditActionType::generic,
                                    "entry " + std::to_string(i) + " " + padding);
      entry.timestamp = "2026-11-01T00:00:00.000Z";
      if (i == 10000) entry.summary = "huge " + std::string(9 << 20, 'y');
      out << entry.to_json().dump() << "\n";
    }
  }
  ASSERT_GT(std::filesystem::file_size(path), size_t{16} << 20);
  AuditIndex index(dir / "index.db", {path});
  AuditFilter all;
  all.include_generic = true;
  const auto page = index.list(all, 3);
  EXPECT_EQ(page.total, 20000u);
  ASSERT_EQ(page.entries.size(), 3u);
  EXPECT_EQ(page.entries[0].summary.substr(0, 12), "entry 19999 ");
  EXPECT_EQ(index.list(AuditFilter{}, 1).hidden, 10000u);
  EXPECT_EQ(index.search("huge", 5).size(), 1u);
  EXPECT_EQ(index.refresh(), 0u);
}

// Several config dirs can share one state dir and so one index file: each index answers only
// for its own logs, and a row whose line no longer holds its entry is not shown.
TEST(AuditIndex, AnIndexAnswersOnlyForItsOwnLogsAndTheLinesItsRowsName) {
  testing::TempDir dir;
  const auto mine = dir / "mine.jsonl";
  const auto other = dir / "other.jsonl";
  AuditLog(other).append(apply_entry("htop", "another config dir"));
  AuditIndex(dir / "index.db", {other}).refresh();
  const auto kept = apply_entry("btop", "this config dir");
  AuditLog(mine).append(kept);
  AuditIndex index(dir / "index.db", {mine});
  const auto page = index.list(AuditFilter{}, 10);
  ASSERT_EQ(page.entries.size(), 1u);
  EXPECT_EQ(page.entries[0].id, kept.id);
  EXPECT_EQ(page.total, 1u);
  EXPECT_TRUE(index.search("htop", 10).empty());
  EXPECT_EQ(index.search("btop", 10).size(), 1u);

  // The other log rewritten in place (same inode, size and first bytes), another entry where its
  // second one was: an index that still names that line does not show it under the old id.
  const auto second = apply_entry("nmap", "second");
  AuditLog(other).append(second);
  AuditIndex both(dir / "index.db", {other});
  ASSERT_TRUE(both.find(second.id).has_value());
  const auto text = read_file(other);
  const auto at = text.find(second.id);
  ASSERT_NE(at, std::string::npos);
  ASSERT_GT(at, 128u);
  {
    std::fstream out(other, std::ios::in | std::ios::out | std::ios::binary);
    out.seekp(static_cast<std::streamoff>(at));
    out << "a-" << std::string(second.id.size() - 2, '0');
  }
  // The query that meets that line fails (its caller then reads the log itself, AuditIndex users
  // all do) and the log is indexed again: the next query answers from the line as it is.
  EXPECT_THROW(both.find(second.id), Error);
  EXPECT_FALSE(both.find(second.id).has_value());
  const auto after = both.list(AuditFilter{}, 10);
  ASSERT_EQ(after.entries.size(), 2u);
  EXPECT_EQ(after.entries[0].id, "a-" + std::string(second.id.size() - 2, '0'));
}

// A log edited in place so that the lines after the edit moved (a prompt redacted in an editor:
// the inode and the first bytes kept, the size grown by a later append) is not read through the
// old offsets: the entries after the edit were silently left out.
TEST(AuditIndex, ALogEditedInPlaceIsIndexedAgain) {
  testing::TempDir dir;
  const auto path = dir / "audit.jsonl";
  AuditLog log(path);
  const auto first = apply_entry("htop", "first");
  const auto second = apply_entry("btop", "a long prompt that the user redacts later by hand");
  const auto third = apply_entry("jq", "third");
  for (const auto& entry : {first, second, third}) log.append(entry);
  AuditIndex index(dir / "index.db", {path});
  ASSERT_EQ(index.list(AuditFilter{}, 10).entries.size(), 3u);
  auto text = read_file(path);
  const std::string long_prompt = "a long prompt that the user redacts later by hand";
  text.replace(text.find(long_prompt), long_prompt.size(), "[redacted]");
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);  // the same inode
    out << text;
  }
  log.append(apply_entry("ripgrep", "fourth"));
  std::vector<AuditEntry> entries;
  try {
    entries = index.list(AuditFilter{}, 10).entries;
  } catch (const Error&) {
    entries = index.list(AuditFilter{}, 10).entries;  // what a caller does: the next use is indexed again
  }
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[2].origin.prompt.value_or(""), "[redacted]");
  EXPECT_EQ(entries[1].id, third.id);
}

// A list line's fields come from the index, but only while the log's line is the one they were
// taken from: a prompt redacted in place to the same length (the same inode, size and first bytes,
// so the index has no other sign of it) is never shown as it was.
TEST(AuditIndex, ASummaryIsShownOnlyFromTheLineItWasTakenFrom) {
  testing::TempDir dir;
  const auto path = dir / "audit.jsonl";
  AuditLog log(path);
  log.append(apply_entry("htop", "first"));
  const auto second = apply_entry("btop", "my password is hunter2");
  log.append(second);
  AuditIndex index(dir / "index.db", {path});
  ASSERT_EQ(index.list<AuditSummary>(AuditFilter{}, 10).entries.at(0).prompt, "my password is hunter2");
  ASSERT_EQ(index.search<AuditSummary>("btop", 10).size(), 1u);
  auto text = read_file(path);
  const auto at = text.find("hunter2");
  ASSERT_GT(at, 128u);
  text.replace(at, 7, "*******");
  {
    std::fstream out(path, std::ios::in | std::ios::out | std::ios::binary);  // in place: same inode, same size
    out << text;
  }
  // The query that meets the line fails (its caller reads the log), and the next one shows it as it is.
  EXPECT_THROW(index.list<AuditSummary>(AuditFilter{}, 10), Error);
  const auto page = index.list<AuditSummary>(AuditFilter{}, 10);
  ASSERT_EQ(page.entries.size(), 2u);
  EXPECT_EQ(page.entries[0].id, second.id);
  EXPECT_EQ(page.entries[0].prompt, "my password is *******");
  EXPECT_EQ(index.search<AuditSummary>("hunter2", 10).size(), 0u);
  EXPECT_EQ(index.search<AuditSummary>("btop", 10).at(0).prompt, "my password is *******");
}

// A last line not yet ended (an append under way, a full disk) waits, and does not make every
// reader take the write lock to index nothing.
TEST(AuditIndex, AnUnendedLastLineIsNotIndexedAndCostsReadersNothing) {
  testing::TempDir dir;
  const auto path = dir / "audit.jsonl";
  AuditLog(path).append(apply_entry("htop", "first"));
  {
    std::ofstream out(path, std::ios::binary | std::ios::app);
    out << R"({"id":"a-torn","timestamp":)";
  }
  AuditIndex index(dir / "index.db", {path});
  ASSERT_EQ(index.list(AuditFilter{}, 10).entries.size(), 1u);
  const auto written = std::filesystem::last_write_time(dir / "index.db");
  {
    Database writer(dir / "index.db", Journal::rollback);
    Transaction held(writer);
    EXPECT_EQ(index.list(AuditFilter{}, 10).entries.size(), 1u);
  }
  EXPECT_EQ(std::filesystem::last_write_time(dir / "index.db"), written);
}

// Reading an index that is up to date takes no write lock and writes nothing, so list, search
// and show go on while another process is writing the index. Before, each of them took the write
// lock (and waited for the writer, up to the busy timeout, then failed) and, in WAL mode, made
// and removed the -wal and -shm files: most of a list's system time.
TEST(AuditIndex, AnUpToDateIndexIsReadWithoutTheWriteLockAndWritesNothing) {
  testing::TempDir dir;
  AuditLog log(dir / "audit.jsonl");
  const auto entry = apply_entry("htop", "first");
  log.append(entry);
  AuditIndex index(dir / "index.db", {log.path()});
  ASSERT_EQ(index.refresh(), 1u);
  const auto written = std::filesystem::last_write_time(dir / "index.db");
  {
    Database writer(dir / "index.db", Journal::rollback);
    Transaction held(writer);  // another agntctl indexing
    EXPECT_EQ(index.list(AuditFilter{}, 10).entries.size(), 1u);
    EXPECT_EQ(index.search("htop", 10).size(), 1u);
    EXPECT_TRUE(index.find(entry.id).has_value());
  }
  EXPECT_EQ(std::filesystem::last_write_time(dir / "index.db"), written);
  for (const char* file : {"index.db-wal", "index.db-shm", "index.db-journal"})
    EXPECT_FALSE(std::filesystem::exists(dir / file)) << file;
  // A log that grew is indexed again, under the write lock.
  log.append(apply_entry("ripgrep", "second"));
  EXPECT_EQ(index.list(AuditFilter{}, 10).entries.size(), 2u);
  EXPECT_EQ(index.refresh(), 0u);
}

// An index written by an earlier version (no table of lines) is rebuilt, not trusted.
TEST(AuditIndex, AnIndexOfAnEarlierSchemaIsRebuilt) {
  testing::TempDir dir;
  AuditLog log(dir / "audit.jsonl");
  log.append(apply_entry("htop", "x"));
  {
    Database old(dir / "index.db");
    old.exec("CREATE TABLE sources(path TEXT PRIMARY KEY, inode INTEGER NOT NULL, indexed_bytes INTEGER NOT NULL,"
             " head BLOB NOT NULL);"
             "CREATE VIRTUAL TABLE entries USING fts5(text, source UNINDEXED, offset UNINDEXED, length UNINDEXED);");
    auto known = old.prepare("INSERT INTO sources VALUES (?, 0, ?, '')");
    known.bind(1, resolve_path(log.path()).string()).bind(2, static_cast<int64_t>(std::filesystem::file_size(log.path()))).run();
  }
  AuditIndex index(dir / "index.db", {log.path()});
  EXPECT_EQ(index.list(AuditFilter{}, 10).entries.size(), 1u);
  EXPECT_EQ(index.search("htop", 10).size(), 1u);
  // The earlier index journaled in WAL mode; the cache now uses a rollback journal.
  EXPECT_FALSE(std::filesystem::exists(dir / "index.db-wal"));
}

// The index is only a cache: one SQLite finds damaged (a power cut under synchronous=NORMAL, a
// bad disk block, a file overwritten) is built again from the logs, not left to make every call
// fall back to indexing the whole log in memory (22 s at a million entries). A journal left
// beside it is not rolled into the new index.
TEST(AuditIndex, ADamagedIndexIsBuiltAgainFromTheLogs) {
  testing::TempDir dir;
  AuditLog log(dir / "audit.jsonl");
  for (int i = 0; i < 300; ++i) log.append(apply_entry("pkg" + std::to_string(i), "install number " + std::to_string(i)));
  const auto index_file = dir / "index.db";
  const auto damage = [&](const std::string& how) {
    AuditIndex(index_file, {log.path()}).refresh();
    const auto size = std::filesystem::file_size(index_file);
    ASSERT_GT(size, 8192u);
    if (how == "overwritten") {
      write_file_atomic(index_file, std::string(size, 'x'));
    } else if (how == "truncated") {
      std::filesystem::resize_file(index_file, size / 2);
    } else {  // the pages after the first overwritten in place
      std::fstream out(index_file, std::ios::in | std::ios::out | std::ios::binary);
      out.seekp(4096);
      out << std::string(size - 4096, '\xff');
    }
    write_file_atomic(dir / "index.db-journal", std::string(4096, '\x07'));
  };
  for (const std::string how : {"overwritten", "truncated", "scribbled"}) {
    SCOPED_TRACE(how);
    damage(how);
    AuditIndex index(index_file, {log.path()});
    const auto page = index.list(AuditFilter{}, 5);
    EXPECT_EQ(page.total, 300u);
    ASSERT_EQ(page.entries.size(), 5u);
    EXPECT_EQ(page.entries[0].packages, std::vector<std::string>{"pkg299"});
    EXPECT_EQ(index.search("number 42", 10).size(), 1u);
    EXPECT_EQ(index.refresh(), 0u);  // built again in the file, not in memory for one call
    EXPECT_FALSE(std::filesystem::exists(dir / "index.db-journal"));
  }
}

// The index is trusted for where an entry is and what a list shows of it only while those match
// the log: a row whose shown fields were changed (a damaged page, an edit of the file), that
// points at another entry's line, or at no line at all, is not shown; the query fails (its caller
// reads the log) and the log is indexed again.
TEST(AuditIndex, ARowThatNoLongerMatchesTheLogIsNotShown) {
  testing::TempDir dir;
  AuditLog log(dir / "audit.jsonl");
  const auto failed = [] {
    auto entry = apply_entry("nmap", "scan my network");
    entry.result.status = AuditStatus::failed;
    return entry;
  }();
  const auto other = apply_entry("htop", "show processes");
  log.append(failed);
  log.append(other);
  const auto index_file = dir / "index.db";
  AuditIndex index(index_file, {log.path()});
  ASSERT_EQ(index.list<AuditSummary>(AuditFilter{}, 10).entries.size(), 2u);
  const auto edit = [&](const std::string& sql) {
    Database db(index_file.string(), Journal::rollback);
    db.exec(sql);
  };
  const auto shown_after_the_edit = [&](auto query) {
    EXPECT_THROW(query(), Error);
    return query();  // what every caller does: read again, now from a log indexed again
  };

  edit("UPDATE lines SET summary = 'Applied: Install package: cowsay', status = 'Success' WHERE entry_id = '" + failed.id + "'");
  const auto page = shown_after_the_edit([&] { return index.list<AuditSummary>(AuditFilter{}, 10); });
  ASSERT_EQ(page.entries.size(), 2u);
  EXPECT_EQ(page.entries[1].summary, failed.summary);
  EXPECT_EQ(page.entries[1].status, AuditStatus::failed);

  // The row of one entry made to point at the other's line, with that line's hash.
  edit("UPDATE lines SET (offset, length, hash) = (SELECT offset, length, hash FROM lines WHERE entry_id = '" + other.id +
       "') WHERE entry_id = '" + failed.id + "'");
  const auto found = shown_after_the_edit([&] { return index.find(failed.id); });
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, failed.id);
  EXPECT_EQ(found->packages, std::vector<std::string>{"nmap"});

  // A row whose line would be outside the log, or of no length.
  for (const char* where : {"length = -1", "offset = -5", "length = 1 << 40"}) {
    SCOPED_TRACE(where);
    edit(std::string("UPDATE lines SET ") + where + " WHERE entry_id = '" + other.id + "'");
    const auto again = shown_after_the_edit([&] { return index.list(AuditFilter{}, 10); });
    ASSERT_EQ(again.entries.size(), 2u);
    EXPECT_EQ(again.entries[0].id, other.id);
  }
}

// The index file is named with its layout's version, so that an agntctl of another version (after
// a generation rollback) keeps its own file instead of rebuilding this one on every call; the
// files of earlier layouts are removed when this one is made, and only then.
TEST(AuditIndex, TheIndexFileIsNamedWithItsLayoutsVersion) {
  testing::TempDir dir;
  Paths paths;
  paths.state_dir = dir / "state";
  std::filesystem::create_directories(paths.state_dir);
  const auto file = audit_index_file(paths);
  EXPECT_EQ(file.parent_path(), paths.state_dir);
  const std::vector<std::string> earlier{"audit-index.db", "audit-index.db-wal", "audit-index-2.db", "audit-index-2.db-journal"};
  for (const auto& name : earlier) write_file_atomic(paths.state_dir / name, "an earlier layout's index");
  ASSERT_EQ(std::find(earlier.begin(), earlier.end(), file.filename().string()), earlier.end());
  AuditLog log(dir / "audit.jsonl");
  log.append(apply_entry("htop", "x"));
  EXPECT_EQ(state_audit_index(paths, {log.path()}).list(AuditFilter{}, 10).entries.size(), 1u);
  EXPECT_TRUE(std::filesystem::exists(file));
  for (const auto& name : earlier) EXPECT_FALSE(std::filesystem::exists(paths.state_dir / name)) << name;
  // An earlier agntctl run again makes its file again; this one leaves it alone from then on.
  write_file_atomic(paths.state_dir / "audit-index-2.db", "an earlier layout's index");
  EXPECT_EQ(state_audit_index(paths, {log.path()}).list(AuditFilter{}, 10).entries.size(), 1u);
  EXPECT_TRUE(std::filesystem::exists(paths.state_dir / "audit-index-2.db"));
}

}  // namespace
}  // namespace agntos
