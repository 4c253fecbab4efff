// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "common/error.h"
#include "common/file_lock.h"
#include "common/process.h"
#include "support/temp_dir.h"

namespace agntos {
namespace {

using namespace std::chrono_literals;

TEST(FileLock, SecondHolderTimesOutWithConflictCode) {
  testing::TempDir dir;
  const auto lock_file = dir / "lock";
  FileLock first(lock_file, 1s, "config dir");
  try {
    FileLock second(lock_file, 50ms, "config dir");
    FAIL() << "second lock should time out";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::lock_timeout);
    EXPECT_EQ(e.exit_status(), 4);
    EXPECT_NE(std::string(e.what()).find("config dir"), std::string::npos);
  }
}

TEST(FileLock, ReleasedLockCanBeTakenAgain) {
  testing::TempDir dir;
  { FileLock first(dir / "lock", 1s, "x"); }
  EXPECT_NO_THROW(FileLock(dir / "lock", 50ms, "x"));
}

TEST(FileLock, LockHeldByAnotherProcessBlocks) {
  testing::TempDir dir;
  const auto lock_file = dir / "lock";
  // Another process (flock(1) from util-linux) holds the lock for a second.
  if (!find_program("flock")) GTEST_SKIP() << "flock(1) not installed";
  ProcessOptions options;
  options.timeout = 10s;
  std::thread holder([&] {
    run_process({"flock", lock_file.string(), "sleep", "1"}, options);
  });
  std::this_thread::sleep_for(300ms);
  EXPECT_THROW(FileLock(lock_file, 100ms, "x"), Error);
  holder.join();
  EXPECT_NO_THROW(FileLock(lock_file, 100ms, "x"));
}

}  // namespace
}  // namespace agntos

namespace agntos {
namespace {

TEST(FileLock, SharedLockIsHeldUntilChildrenExit) {
  testing::TempDir dir;
  const auto lock_file = dir / "lock";
  {
    FileLock lock(lock_file, std::chrono::seconds(1), "x");
    lock.share_with_children();
    // A child in its own session outlives both the call and the lock object (like a rebuild
    // left running when agntctl is killed).
    // (the shell lingers briefly so setsid has left the group before the call cleans it up)
    run_process({"sh", "-c", "setsid sleep 1 < /dev/null > /dev/null 2>&1 & sleep 0.3"});
  }
  EXPECT_THROW(FileLock(lock_file, std::chrono::milliseconds(50), "x"), Error);
  EXPECT_NO_THROW(FileLock(lock_file, std::chrono::seconds(5), "x"));
}

}  // namespace
}  // namespace agntos
