// SPDX-License-Identifier: MIT
// The staged copy of the tree (validation and the plan's build) keeps every path inside itself:
// an undo takes its paths from the audit log, so a path that is absolute or climbs out with ".."
// is refused, and nothing is written or removed outside the stage.
#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>

#include "agntctl/pipeline/staged_tree.h"
#include "common/error.h"
#include "common/files.h"
#include "support/temp_dir.h"

namespace agntctl {
namespace {

namespace fs = std::filesystem;
using agntos::testing::TempDir;

FileChange change(const std::string& path, std::optional<std::string> content) {
  FileChange result;
  result.path = path;
  result.content = std::move(content);
  return result;
}

TEST(StagedTree, HoldsTheTreeWithTheChangesApplied) {
  TempDir config;
  agntos::write_file_atomic(config / "packages/htop.nix", "{ }\n", 0644, agntos::MakeParents::yes);
  agntos::write_file_atomic(config / "packages/jq.nix", "{ }\n");
  const StagedTree staged(config.path(), {change("packages/btop.nix", "{ x = 1; }\n"), change("packages/jq.nix", std::nullopt)});
  EXPECT_EQ(agntos::read_file(staged.dir() / "packages/htop.nix"), "{ }\n");
  EXPECT_EQ(agntos::read_file(staged.dir() / "packages/btop.nix"), "{ x = 1; }\n");
  EXPECT_FALSE(fs::exists(staged.dir() / "packages/jq.nix"));
  EXPECT_TRUE(fs::exists(config / "packages/jq.nix"));  // the config dir is never touched
}

// The temporary directory of this test alone, so that stages other tests make meanwhile do not count.
class PrivateTmp {
public:
  PrivateTmp() {
    if (const char* old = std::getenv("TMPDIR")) m_old = old;
    ::setenv("TMPDIR", m_dir.path().c_str(), 1);
  }
  ~PrivateTmp() {
    if (m_old) ::setenv("TMPDIR", m_old->c_str(), 1);
    else ::unsetenv("TMPDIR");
  }
  const fs::path& path() const { return m_dir.path(); }

private:
  TempDir m_dir;
  std::optional<std::string> m_old;
};

TEST(StagedTree, APathOutsideTheStageIsRefusedAndNothingIsLeft) {
  TempDir config;
  TempDir outside;
  PrivateTmp tmp;
  agntos::write_file_atomic(outside / "victim.nix", "kept\n");
  for (const auto& bad : {change("../../" + (outside / "escape.nix").string(), "x"),
                          change((outside / "escape.nix").string(), "x"),
                          change("packages/../../../" + (outside / "victim.nix").relative_path().string(), std::nullopt)}) {
    try {
      StagedTree staged(config.path(), {bad});
      ADD_FAILURE() << "staged " << bad.path;
    } catch (const agntos::Error& e) {
      EXPECT_EQ(e.code(), agntos::Errc::refused) << e.what();
    }
  }
  EXPECT_FALSE(fs::exists(outside / "escape.nix"));
  EXPECT_EQ(agntos::read_file(outside / "victim.nix"), "kept\n");
  EXPECT_TRUE(fs::is_empty(tmp.path()));  // a stage that failed is removed
}

}  // namespace
}  // namespace agntctl
