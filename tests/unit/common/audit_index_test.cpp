// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include <fstream>

#include "common/audit.h"
#include "common/audit_index.h"
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
