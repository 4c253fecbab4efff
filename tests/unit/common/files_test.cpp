// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "common/error.h"
#include "common/files.h"
#include "support/temp_dir.h"

namespace agntos {
namespace {

using testing::TempDir;

TEST(AtomicFile, UncommittedWriteLeavesTargetUntouched) {
  TempDir dir;
  const auto target = dir / "file.nix";
  write_file_atomic(target, "old\n");
  {
    AtomicFile file(target);
    file.write("new content that is never committed\n");
    EXPECT_TRUE(std::filesystem::exists(file.temp_path()));
  }
  EXPECT_EQ(read_file(target), "old\n");
  // The temporary file is gone too.
  size_t count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) ++count;
  EXPECT_EQ(count, 1u);
}

TEST(AtomicFile, CommitReplacesContentAndKeepsMode) {
  TempDir dir;
  const auto target = dir / "script";
  write_file_atomic(target, "one", 0750);
  write_file_atomic(target, "two");
  EXPECT_EQ(read_file(target), "two");
  struct stat st {};
  ASSERT_EQ(::stat(target.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0750u);
}

TEST(AtomicFile, MissingParentFailsUnlessAsked) {
  TempDir dir;
  EXPECT_THROW(write_file_atomic(dir / "a/b/c", "x"), Error);
  write_file_atomic(dir / "a/b/c", "x", 0644, MakeParents::yes);
  EXPECT_EQ(read_file(dir / "a/b/c"), "x");
}

TEST(Files, ReadMissingFileIsNotFound) {
  TempDir dir;
  try {
    read_file(dir / "absent");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::not_found);
  }
  EXPECT_FALSE(read_file_if_exists(dir / "absent").has_value());
}

TEST(Files, PathIsWithinSeesThroughSymlinks) {
  TempDir dir;
  std::filesystem::create_directories(dir / "root/inner");
  std::filesystem::create_directory_symlink(dir / "root", dir / "link");
  EXPECT_TRUE(path_is_within(dir / "root/inner/x", dir / "root"));
  EXPECT_TRUE(path_is_within(dir / "link/inner/new-file", dir / "root"));
  EXPECT_TRUE(path_is_within(dir / "root", dir / "root"));
  EXPECT_FALSE(path_is_within(dir / "rootless", dir / "root"));
  EXPECT_FALSE(path_is_within(dir / "root/../other", dir / "root"));
}

}  // namespace
}  // namespace agntos
