// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include "common/error.h"
#include "common/files.h"
#include "common/git_repo.h"
#include "common/process.h"
#include "common/text.h"
#include "support/temp_dir.h"

namespace agntos {
namespace {

// Runs the real git CLI, isolated from the user's and the system's configuration.
std::string git(const fs::path& dir, std::vector<std::string> args) {
  std::vector<std::string> argv = {"git", "-C", dir.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  ProcessOptions options;
  options.env_set = {{"GIT_CONFIG_NOSYSTEM", "1"}, {"HOME", dir.string()}, {"GIT_CONFIG_GLOBAL", "/dev/null"}};
  options.timeout = std::chrono::seconds(30);
  const auto result = run_process(argv, options);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return result.out;
}

void write(const fs::path& path, const std::string& content) {
  write_file_atomic(path, content, 0644, MakeParents::yes);
}

TEST(GitRepo, InitCreatesRepositoryWithInitialCommit) {
  testing::TempDir dir;
  const auto repo = GitRepo::open_or_init(dir.path());
  const auto head = repo.head();
  ASSERT_TRUE(head);
  EXPECT_EQ(head->size(), 40u);
  EXPECT_TRUE(fs::is_directory(dir / ".git"));
  const auto log = repo.log(10);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].message, "AgntOS: initial commit");
  EXPECT_GT(log[0].time, 0);
  EXPECT_FALSE(repo.parent_of(*head));
  EXPECT_TRUE(repo.files_at(*head).empty());
  EXPECT_FALSE(repo.module_tree_dirty());
  EXPECT_EQ(git(dir.path(), {"log", "--format=%s|%an|%ae"}), "AgntOS: initial commit|AgntOS|agntos@localhost\n");
}

TEST(GitRepo, ReopeningKeepsHistory) {
  testing::TempDir dir;
  std::string first;
  {
    auto repo = GitRepo::open_or_init(dir.path());
    write(dir / "packages/htop.nix", "{ pkgs, ... }: { }\n");
    first = repo.commit_module_tree("Install htop");
  }
  const auto again = GitRepo::open_or_init(dir.path());
  EXPECT_EQ(again.head(), first);
  EXPECT_EQ(again.log(10).size(), 2u);
}

TEST(GitRepo, NeverAdoptsARepositoryInAParentDirectory) {
  testing::TempDir dir;
  git(dir.path(), {"init", "-q"});
  const auto config = dir / "etc/agntos";
  auto repo = GitRepo::open_or_init(config);
  EXPECT_TRUE(fs::is_directory(config / ".git"));
  write(config / "packages/htop.nix", "htop\n");
  repo.commit_module_tree("Install htop");
  EXPECT_EQ(git(config, {"log", "--format=%s"}), "Install htop\nAgntOS: initial commit\n");
}

TEST(GitRepo, CommitsOnlyTheModuleFolders) {
  testing::TempDir dir;
  auto repo = GitRepo::open_or_init(dir.path());
  write(dir / "packages/htop.nix", "htop\n");
  write(dir / "services/ssh/openssh.nix", "ssh\n");
  write(dir / "home/git.nix", "git\n");
  write(dir / "packages/.htop.nix.tmp123", "half-written\n");
  write(dir / "packages/.cache/x.nix", "hidden dir\n");
  write(dir / "audit.jsonl", "{}\n");
  write(dir / "proposals/p-1.json", "{}\n");
  write(dir / "models.toml", "[default]\n");
  fs::create_symlink(dir / "audit.jsonl", dir / "packages/link.nix");
  EXPECT_TRUE(repo.module_tree_dirty());

  const auto id = repo.commit_module_tree("Install htop\n\nPrompt: install htop");
  EXPECT_EQ(repo.head(), id);
  const std::map<std::string, std::string> expected = {
      {"home/git.nix", "git\n"}, {"packages/htop.nix", "htop\n"}, {"services/ssh/openssh.nix", "ssh\n"}};
  EXPECT_EQ(repo.files_at(id), expected);
  EXPECT_FALSE(repo.module_tree_dirty());

  // The git CLI agrees: the commit is there and the module folders are clean.
  EXPECT_EQ(git(dir.path(), {"log", "--format=%s"}), "Install htop\nAgntOS: initial commit\n");
  EXPECT_EQ(git(dir.path(), {"ls-tree", "-r", "--name-only", "HEAD"}),
            "home/git.nix\npackages/htop.nix\nservices/ssh/openssh.nix\n");
  EXPECT_EQ(git(dir.path(), {"status", "--porcelain", "--", "packages", "services", "home"}),
            "?? packages/.cache/\n?? packages/.htop.nix.tmp123\n?? packages/link.nix\n");
  EXPECT_EQ(git(dir.path(), {"diff", "--stat", "HEAD", "--", "packages/htop.nix"}), "");
  EXPECT_EQ(repo.log(1)[0].message, "Install htop\n\nPrompt: install htop");
}

TEST(GitRepo, DeletionsAndEditsAreCommitted) {
  testing::TempDir dir;
  auto repo = GitRepo::open_or_init(dir.path());
  write(dir / "packages/htop.nix", "htop\n");
  write(dir / "packages/btop.nix", "btop\n");
  const auto first = repo.commit_module_tree("first");
  fs::remove(dir / "packages/htop.nix");
  write(dir / "packages/btop.nix", "btop 2\n");
  EXPECT_TRUE(repo.module_tree_dirty());
  const auto second = repo.commit_module_tree("second");
  EXPECT_FALSE(repo.module_tree_dirty());
  EXPECT_EQ(repo.files_at(second), (std::map<std::string, std::string>{{"packages/btop.nix", "btop 2\n"}}));
  EXPECT_EQ(repo.files_at(first).size(), 2u);
  EXPECT_EQ(git(dir.path(), {"status", "--porcelain", "--", "packages"}), "");
  // Abbreviated ids are accepted too.
  EXPECT_EQ(repo.files_at(second.substr(0, 10)), repo.files_at(second));
}

TEST(GitRepo, EmptyCommitsAreAllowedAndLogIsNewestFirst) {
  testing::TempDir dir;
  auto repo = GitRepo::open_or_init(dir.path());
  const auto root = *repo.head();
  const auto a = repo.commit_module_tree("a");
  const auto b = repo.commit_module_tree("b");
  const auto c = repo.commit_module_tree("c");
  EXPECT_NE(a, b);
  EXPECT_EQ(repo.parent_of(c), b);
  EXPECT_EQ(repo.parent_of(b), a);
  EXPECT_EQ(repo.parent_of(a), root);
  EXPECT_FALSE(repo.parent_of(root));
  const auto log = repo.log(3);
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0].id, c);
  EXPECT_EQ(log[0].message, "c");
  EXPECT_EQ(log[1].id, b);
  EXPECT_EQ(log[2].id, a);
  EXPECT_EQ(repo.log(100).size(), 4u);
  EXPECT_TRUE(repo.log(0).empty());
}

// log() walks first parents when the history is linear; a merge made by hand with git falls
// back to libgit2's topological walk, which lists both branches, every child before its parents.
TEST(GitRepo, LogOfAHistoryWithAMergeListsBothBranchesChildrenFirst) {
  testing::TempDir dir;
  auto repo = GitRepo::open_or_init(dir.path());
  const auto base = repo.commit_module_tree("base");
  git(dir.path(), {"checkout", "-q", "-b", "side"});
  git(dir.path(), {"-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "side"});
  const auto side = git(dir.path(), {"rev-parse", "HEAD"}).substr(0, 40);
  git(dir.path(), {"checkout", "-q", "-"});
  const auto main_commit = repo.commit_module_tree("main");
  git(dir.path(), {"-c", "user.name=t", "-c", "user.email=t@t", "merge", "-q", "--no-ff", "-m", "merge", "side"});
  const auto merge = *repo.head();
  const auto log = repo.log(10);
  ASSERT_EQ(log.size(), 5u);  // merge, main, side, base, the initial commit
  EXPECT_EQ(log[0].id, merge);
  auto position = [&](const std::string& id) {
    for (size_t i = 0; i < log.size(); ++i)
      if (log[i].id == id) return i;
    return log.size();
  };
  EXPECT_LT(position(main_commit), position(base));
  EXPECT_LT(position(side), position(base));
  EXPECT_LT(position(base), log.size());
  EXPECT_EQ(repo.log(1).front().id, merge);
}

TEST(GitRepo, DirtyTracksEditsAdditionsAndDeletions) {
  testing::TempDir dir;
  auto repo = GitRepo::open_or_init(dir.path());
  write(dir / "options/x.nix", "1\n");
  repo.commit_module_tree("x");
  EXPECT_FALSE(repo.module_tree_dirty());
  write(dir / "options/x.nix", "2\n");
  EXPECT_TRUE(repo.module_tree_dirty());
  write(dir / "options/x.nix", "1\n");
  EXPECT_FALSE(repo.module_tree_dirty());
  write(dir / "modules/new.nix", "{ }\n");
  EXPECT_TRUE(repo.module_tree_dirty());
  fs::remove(dir / "modules/new.nix");
  EXPECT_FALSE(repo.module_tree_dirty());
  fs::remove(dir / "options/x.nix");
  EXPECT_TRUE(repo.module_tree_dirty());
  // Files outside the module folders never make the tree dirty.
  write(dir / "options/x.nix", "1\n");
  write(dir / "audit.jsonl", "{}\n");
  write(dir / "packages/.tmp", "x");
  EXPECT_FALSE(repo.module_tree_dirty());
}

TEST(GitRepo, UnknownCommitIsAnError) {
  testing::TempDir dir;
  const auto repo = GitRepo::open_or_init(dir.path());
  try {
    repo.files_at("0123456789012345678901234567890123456789");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::failed);
    EXPECT_NE(std::string(e.what()).find("cannot find commit"), std::string::npos) << e.what();
  }
}

TEST(GitBlobHash, MatchesGitHashObject) {
  EXPECT_EQ(git_blob_hash("hello\n"), "ce013625030ba8dba906f756967f9e9ca394464a");
  EXPECT_EQ(git_blob_hash(""), "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
  testing::TempDir dir;
  const std::string content = "{ pkgs, ... }:\n{\n  environment.systemPackages = [ pkgs.htop ];\n}\n";
  write(dir / "f", content);
  EXPECT_EQ(git(dir.path(), {"hash-object", "f"}), git_blob_hash(content) + "\n");
}

TEST(GitDiff, EqualContentGivesNoDiff) {
  EXPECT_EQ(unified_diff("packages/htop.nix", std::string("a\n"), std::string("a\n")), "");
  EXPECT_EQ(unified_diff("packages/htop.nix", std::nullopt, std::nullopt), "");
}

TEST(GitDiff, AddedFile) {
  EXPECT_EQ(unified_diff("packages/htop.nix", std::nullopt, std::string("hello\n")),
            "diff --git a/packages/htop.nix b/packages/htop.nix\n"
            "new file mode 100644\n"
            "index 0000000..ce01362\n"
            "--- /dev/null\n"
            "+++ b/packages/htop.nix\n"
            "@@ -0,0 +1 @@\n"
            "+hello\n");
}

TEST(GitDiff, DeletedFile) {
  EXPECT_EQ(unified_diff("packages/htop.nix", std::string("hello\nworld\n"), std::nullopt),
            "diff --git a/packages/htop.nix b/packages/htop.nix\n"
            "deleted file mode 100644\n"
            "index 94954ab..0000000\n"
            "--- a/packages/htop.nix\n"
            "+++ /dev/null\n"
            "@@ -1,2 +0,0 @@\n"
            "-hello\n"
            "-world\n");
}

TEST(GitDiff, ModifiedFileHasThreeLinesOfContext) {
  const std::string before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";
  const std::string after = "1\n2\n3\n4\n5\nsix\n7\n8\n9\n10\n";
  EXPECT_EQ(unified_diff("options/x.nix", before, after),
            "diff --git a/options/x.nix b/options/x.nix\n"
            "index " + git_blob_hash(before).substr(0, 7) + ".." + git_blob_hash(after).substr(0, 7) +
                " 100644\n"
                "--- a/options/x.nix\n"
                "+++ b/options/x.nix\n"
                "@@ -3,7 +3,7 @@\n"
                " 3\n"
                " 4\n"
                " 5\n"
                "-6\n"
                "+six\n"
                " 7\n"
                " 8\n"
                " 9\n");
}

// The same change through the real git CLI (index vs working tree of a scratch repository).
std::string git_cli_diff(const std::string& path, const std::optional<std::string>& before,
                         const std::optional<std::string>& after) {
  testing::TempDir dir;
  git(dir.path(), {"init", "-q"});
  const auto file = dir / path;
  if (before) {
    write(file, *before);
    git(dir.path(), {"add", "--", path});
  }
  if (after) {
    write(file, *after);
    if (!before) git(dir.path(), {"add", "-N", "--", path});
  } else {
    fs::remove(file);
  }
  return git(dir.path(), {"-c", "core.abbrev=7", "diff", "--no-color", "--no-ext-diff", "--", path});
}

TEST(GitDiff, MatchesTheGitCli) {
  const std::string long_text = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn\no\np\n";
  const std::vector<std::pair<std::optional<std::string>, std::optional<std::string>>> cases = {
      {std::nullopt, std::string("x = 1;\n")},
      {std::string("x = 1;\n"), std::nullopt},
      {std::string("x = 1;\n"), std::string("x = 2;\n")},
      {std::string("no newline"), std::string("no newline\nnow\n")},
      {std::string("a\n"), std::string("a\nb")},
      {long_text, "A\n" + long_text.substr(2, long_text.size() - 4) + "P\n"},
      {long_text, long_text.substr(0, 14) + "inserted\n" + long_text.substr(14)},
      {std::string(""), std::string("now text\n")},
      {std::nullopt, std::string("")},
      {std::string(""), std::nullopt},
      {std::string("a\0b\n", 4), std::string("a\0c\n", 4)},
  };
  for (const auto& [before, after] : cases) {
    EXPECT_EQ(unified_diff("modules/m.nix", before, after), git_cli_diff("modules/m.nix", before, after))
        << "before: " << before.value_or("<absent>") << "\nafter: " << after.value_or("<absent>");
  }
}

}  // namespace
}  // namespace agntos

namespace agntos {
namespace {

// A commit killed while it updated the branch (SIGKILL of agntctl apply, as the crash test does)
// leaves refs/heads/master.lock behind, and every later commit failed on it.
TEST(GitRepo, LockFilesOfAKilledCommitAreRemovedAndCommitsWorkAgain) {
  testing::TempDir dir;
  auto repo = GitRepo::open_or_init(dir.path());
  const auto head = *repo.head();
  const auto branch = git(dir.path(), {"symbolic-ref", "HEAD"});
  const auto lock = dir / ".git" / (trim(branch) + ".lock");
  write_file_atomic(lock, head + "\n");
  write_file_atomic(dir / ".git/index.lock", "");
  EXPECT_THROW(repo.commit_module_tree("blocked"), Error);
  remove_stale_git_locks(dir.path());
  EXPECT_FALSE(fs::exists(lock));
  EXPECT_FALSE(fs::exists(dir / ".git/index.lock"));
  EXPECT_NO_THROW(repo.commit_module_tree("after the crash"));
  EXPECT_NE(*repo.head(), head);
}

}  // namespace
}  // namespace agntos
