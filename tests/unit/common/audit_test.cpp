// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include <fstream>

#include "common/audit.h"
#include "common/files.h"
#include "support/temp_dir.h"

namespace agntos {
namespace {

TEST(Audit, AppendedEntryRoundTripsWithEveryKey) {
  testing::TempDir dir;
  AuditLog log(dir / "audit.jsonl");
  auto entry = AuditEntry::make("Apply", "Applied: Install package: htop");
  entry.action["proposal_id"] = "p-1";
  entry.prompt = "can you install htop for me";
  entry.files_changed = {"/etc/agntos/packages/htop.nix"};
  entry.generation_before = 41;
  entry.generation_after = 42;
  log.append(entry);
  const auto entries = log.read_all();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].to_json(), entry.to_json());
  // No keys that come and go: nulls are written out.
  const auto line = Json::parse(read_file(dir / "audit.jsonl"));
  EXPECT_TRUE(line.contains("rationale"));
  EXPECT_TRUE(line["rationale"].is_null());
  EXPECT_EQ(line["result"]["status"], "Success");
}

TEST(Audit, TornLastLineIsSkippedOnReadAndRepairedOnAppend) {
  testing::TempDir dir;
  const auto path = dir / "audit.jsonl";
  AuditLog log(path);
  log.append(AuditEntry::make("Generic", "first"));
  {
    std::ofstream out(path, std::ios::app);
    out << R"({"id":"a-torn","timestamp":"2026-)";  // a crash mid-write
  }
  ASSERT_EQ(log.read_all().size(), 1u);
  log.append(AuditEntry::make("Generic", "second"));
  const auto entries = log.read_all();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[1].summary, "second");
  // Every line of the file is now whole JSON.
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) EXPECT_TRUE(Json::accept(line)) << line;
}

TEST(Audit, PrototypeSchemaLinesParse) {
  testing::TempDir dir;
  const auto path = dir / "audit.jsonl";
  write_file_atomic(path,
                    R"({"id":"a-17f0","timestamp":"2026-01-02T03:04:05.123456789Z","action":{"type":"Apply","proposal_id":"p-1"},"actor":"agent","summary":"Applied: Install package: btop","files_changed":["/etc/agntos/packages/btop.nix"],"rollback_hint":"agntctl rollback","result":{"status":"Success","message":null}})"
                    "\n"
                    R"({"id":"a-17f1","timestamp":"2026-01-02T03:04:06Z","action":{"type":"Rollback","generation_id":"41"},"actor":"user","summary":"Rolled back","files_changed":[],"rollback_hint":null,"result":{"status":"Pending","reason":"waiting"}})"
                    "\n"
                    R"({"id":"a-17f2","timestamp":"2026-01-02T03:04:07Z","action":{"type":"Generic","description":"x"},"actor":"user","summary":"x","files_changed":[],"rollback_hint":null,"result":{"status":"Failed","error":"boom"}})"
                    "\n");
  const auto entries = AuditLog(path).read_all();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].action_type(), "Apply");
  EXPECT_EQ(entries[0].files_changed.at(0), "/etc/agntos/packages/btop.nix");
  EXPECT_FALSE(entries[0].prompt.has_value());
  EXPECT_EQ(entries[1].status, "Pending");
  EXPECT_EQ(entries[1].message.value_or(""), "waiting");
  EXPECT_EQ(entries[2].error.value_or(""), "boom");
}

TEST(Audit, MalformedMiddleLineIsSkipped) {
  testing::TempDir dir;
  const auto path = dir / "audit.jsonl";
  AuditLog log(path);
  log.append(AuditEntry::make("Generic", "one"));
  { std::ofstream(path, std::ios::app) << "not json at all\n"; }
  log.append(AuditEntry::make("Generic", "two"));
  EXPECT_EQ(log.read_all().size(), 2u);
}

TEST(Audit, LogsAreMergedByTime) {
  testing::TempDir dir;
  AuditLog a(dir / "a.jsonl");
  AuditLog b(dir / "b.jsonl");
  auto first = AuditEntry::make("Generic", "first");
  first.timestamp = "2026-01-01T00:00:00.000Z";
  auto second = AuditEntry::make("Generic", "second");
  second.timestamp = "2026-01-02T00:00:00.000Z";
  auto third = AuditEntry::make("Generic", "third");
  third.timestamp = "2026-01-03T00:00:00.000Z";
  a.append(first);
  b.append(second);
  a.append(third);
  const auto merged = read_audit_logs({a.path(), b.path(), a.path()});
  ASSERT_EQ(merged.size(), 3u);
  EXPECT_EQ(merged[0].summary, "first");
  EXPECT_EQ(merged[1].summary, "second");
  EXPECT_EQ(merged[2].summary, "third");
}

// Found by fuzz/audit_fuzzer: a generation of 1e300 in a hand-edited log was undefined behaviour.
TEST(Audit, OutOfRangeGenerationReadsAsNull) {
  const auto entry = AuditEntry::from_json(
      Json::parse(R"({"id":"a-1","generation_before":1e300,"generation_after":18446744073709551615})"));
  EXPECT_EQ(entry.generation_before, std::nullopt);
  EXPECT_EQ(entry.generation_after, std::nullopt);
}

}  // namespace
}  // namespace agntos
