// SPDX-License-Identifier: MIT
// History reads the changes newest first, from the audit index, only as far back as a question
// goes (issue 14: costs that stay flat as history grows). Before, every History read and parsed
// the whole audit log: at a million entries, `rollback undo --plan`, `proposals list`,
// `inspect agntos` and `audit why` each took 15-17 s.
#include <gtest/gtest.h>

#include <fstream>

#include "agntctl/pipeline/history.h"
#include "common/audit.h"
#include "common/files.h"
#include "common/git_repo.h"
#include "support/temp_dir.h"

namespace agntctl {
namespace {

namespace fs = std::filesystem;
using agntos::AuditActionType;
using agntos::AuditEntry;
using agntos::testing::TempDir;

class HistoryTest : public ::testing::Test {
protected:
  void SetUp() override {
    paths.config_dir = config.path();
    paths.state_dir = state.path() / "state";
  }

  // A successful Apply that committed `files` (relative paths) as they are now.
  AuditEntry commit_change(const std::string& summary, const std::vector<std::string>& files) {
    auto entry = AuditEntry::make(AuditActionType::apply, summary);
    entry.commit = repo.commit_module_tree(summary);
    for (const auto& file : files) entry.files_written.push_back((config / file).string());
    return entry;
  }

  TempDir config;
  TempDir state;
  agntos::Paths paths;
  agntos::GitRepo repo = agntos::GitRepo::open_or_init(config.path());
};

TEST_F(HistoryTest, AQuestionAboutTheRecentPastReadsOnlyTheRecentChanges) {
  agntos::write_file_atomic(config / "packages/old.nix", "{ pkgs, ... }: { }\n", 0644, agntos::MakeParents::yes);
  const auto old = commit_change("Applied: old", {"packages/old.nix"});
  // Three thousand older changes, and Generic entries between them, written as one file.
  std::string lines;
  for (int i = 0; i < 3000; ++i) {
    auto entry = old;
    entry.id = "a-old-" + std::to_string(i);
    lines += agntos::dump_json(entry.to_json()) + "\n";
    auto generic = AuditEntry::make(AuditActionType::generic, "run_bash ls");
    lines += agntos::dump_json(generic.to_json()) + "\n";
  }
  agntos::write_file_atomic(paths.audit_log(), lines);
  agntos::write_file_atomic(config / "packages/htop.nix", "{ pkgs, ... }: { environment.systemPackages = [ pkgs.htop ]; }\n");
  const auto recent = commit_change("Applied: Install package: htop", {"packages/htop.nix"});
  agntos::AuditLog(paths.audit_log()).append(recent);

  const History history(paths);
  EXPECT_EQ(history.changes_read(), 0u);  // making it reads nothing
  const auto choice = history.undo_target(std::nullopt);
  ASSERT_NE(choice.entry, nullptr);
  EXPECT_EQ(choice.entry->id, recent.id);
  const auto why = history.why("htop");
  ASSERT_NE(why.entry, nullptr);
  EXPECT_EQ(why.entry->id, recent.id);
  EXPECT_LE(history.changes_read(), 16u);

  // An explicit id far back is found without reading the changes in between.
  EXPECT_EQ(history.undo_target(std::string("a-old-5")).entry->id, "a-old-5");
  EXPECT_LE(history.changes_read(), 16u);

  // Which change wrote or removed a thing is asked of the index's text first: only the changes
  // that mention it are read. A package AgntOS never managed reads none.
  const auto never = history.why("nginx");
  EXPECT_FALSE(never.present);
  EXPECT_EQ(never.removed_by, nullptr);
  EXPECT_NE(never.message.find("never managed"), std::string::npos) << never.message;
  EXPECT_LE(history.entries_read(), 17u);

  // A question no change answers, and that the text cannot narrow, goes back to the first
  // change, and no further.
  EXPECT_EQ(history.entry_for_generation(12345), nullptr);
  EXPECT_EQ(history.changes_read(), 3001u);
}

// An old change that wrote a file is found through the words it mentions, without reading the
// changes since; a file whose content no change wrote is "edited by hand".
TEST_F(HistoryTest, WhoWroteAFileIsFoundWithoutReadingTheChangesSince) {
  agntos::write_file_atomic(config / "packages/htop.nix", "{ pkgs, ... }: { environment.systemPackages = [ pkgs.htop ]; }\n",
                            0644, agntos::MakeParents::yes);
  const auto htop = commit_change("Applied: Install package: htop", {"packages/htop.nix"});
  std::string lines = agntos::dump_json(htop.to_json()) + "\n";
  agntos::write_file_atomic(config / "packages/jq.nix", "{ pkgs, ... }: { environment.systemPackages = [ pkgs.jq ]; }\n");
  const auto jq = commit_change("Applied: Install package: jq", {"packages/jq.nix"});
  for (int i = 0; i < 2000; ++i) {
    auto entry = jq;
    entry.id = "a-jq-" + std::to_string(i);
    lines += agntos::dump_json(entry.to_json()) + "\n";
  }
  agntos::write_file_atomic(paths.audit_log(), lines);

  const History history(paths);
  const auto why = history.why("htop");
  ASSERT_NE(why.entry, nullptr);
  EXPECT_EQ(why.entry->id, htop.id);
  EXPECT_EQ(history.entries_read(), 1u);
  EXPECT_EQ(history.changes_read(), 0u);

  agntos::write_file_atomic(config / "packages/htop.nix", "{ pkgs, ... }: { environment.systemPackages = [ pkgs.htop pkgs.btop ]; }\n");
  const History after_edit(paths);
  const auto edited = after_edit.why("htop");
  EXPECT_TRUE(edited.present);
  EXPECT_EQ(edited.entry, nullptr);
  EXPECT_NE(edited.message.find("edited by hand"), std::string::npos) << edited.message;
  EXPECT_EQ(after_edit.entries_read(), 1u);
}

// A package whose name FTS cannot tokenize ('_' is a separator to it) is still found: the words
// that have no token are left out of the search, which only widens it.
TEST_F(HistoryTest, AThingWhoseNameHasNoSearchableWordIsStillFound) {
  agntos::write_file_atomic(config / "packages/_.nix", "{ pkgs, ... }: { }\n", 0644, agntos::MakeParents::yes);
  const auto added = commit_change("Applied: Install package: _", {"packages/_.nix"});
  agntos::AuditLog(paths.audit_log()).append(added);
  std::filesystem::remove(config / "packages/_.nix");
  auto removed = commit_change("Applied: Remove package: _", {});
  removed.files_deleted = {(config / "packages/_.nix").string()};
  agntos::AuditLog(paths.audit_log()).append(removed);

  const History history(paths);
  const auto why = history.why("_");
  EXPECT_FALSE(why.present);
  ASSERT_NE(why.removed_by, nullptr) << why.message;
  EXPECT_EQ(why.removed_by->id, removed.id);
}

// A log edited in place (a prompt redacted by hand) moves the lines after the edit; History does
// not lose the changes there: the index is read again or the log itself is.
TEST_F(HistoryTest, ALogEditedInPlaceLosesNoChange) {
  agntos::write_file_atomic(config / "packages/htop.nix", "{ pkgs, ... }: { environment.systemPackages = [ pkgs.htop ]; }\n",
                            0644, agntos::MakeParents::yes);
  auto first = commit_change("Applied: Install package: htop", {"packages/htop.nix"});
  first.origin.prompt = "a long prompt to redact later";
  agntos::AuditLog(paths.audit_log()).append(first);
  agntos::write_file_atomic(config / "packages/jq.nix", "{ pkgs, ... }: { environment.systemPackages = [ pkgs.jq ]; }\n");
  const auto second = commit_change("Applied: Install package: jq", {"packages/jq.nix"});
  agntos::AuditLog(paths.audit_log()).append(second);
  ASSERT_EQ(History(paths).undo_target(std::nullopt).entry->id, second.id);  // indexed

  auto text = agntos::read_file(paths.audit_log());
  text.replace(text.find("a long prompt to redact later"), 29, "[redacted]");
  {
    std::ofstream out(paths.audit_log(), std::ios::binary | std::ios::trunc);
    out << text;
  }
  agntos::AuditLog(paths.audit_log()).append(AuditEntry::make(AuditActionType::generic, "run_bash ls -la /etc/agntos/packages"));
  const History history(paths);
  EXPECT_EQ(history.undo_target(std::nullopt).entry->id, second.id);
  EXPECT_EQ(history.why("htop").entry->id, first.id);
}

// Without a usable state dir (the index cannot be made), History reads the log itself and
// answers the same.
TEST_F(HistoryTest, WithoutTheIndexTheLogIsReadAndTheAnswersAreTheSame) {
  agntos::write_file_atomic(config / "packages/htop.nix", "{ pkgs, ... }: { environment.systemPackages = [ pkgs.htop ]; }\n",
                            0644, agntos::MakeParents::yes);
  const auto first = commit_change("Applied: Install package: htop", {"packages/htop.nix"});
  agntos::AuditLog(paths.audit_log()).append(first);
  agntos::write_file_atomic(config / "packages/jq.nix", "{ pkgs, ... }: { environment.systemPackages = [ pkgs.jq ]; }\n");
  const auto second = commit_change("Applied: Install package: jq", {"packages/jq.nix"});
  agntos::AuditLog(paths.audit_log()).append(second);
  agntos::write_file_atomic(paths.state_dir, "a file where the state dir should be\n", 0644, agntos::MakeParents::yes);

  const History history(paths);
  EXPECT_EQ(history.undo_target(std::nullopt).entry->id, second.id);
  EXPECT_EQ(history.why("htop").entry->id, first.id);
  EXPECT_EQ(history.undo_target(first.id).entry->id, first.id);
  EXPECT_EQ(history.why("nginx").removed_by, nullptr);
  EXPECT_EQ(history.changes_read(), 2u);
}

}  // namespace
}  // namespace agntctl
