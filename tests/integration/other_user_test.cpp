// SPDX-License-Identifier: MIT
// The test helper that runs programs as another user (tests/support/other_user.h), checked
// against a checkout that user cannot read: a private dir like a clone in /root (issue 16).
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>

#include "common/text.h"
#include "support/agntctl_runner.h"
#include "support/other_user.h"

namespace agntos::testing {
namespace {

namespace fs = std::filesystem;

class OtherUserTest : public ::testing::Test {
protected:
  void SetUp() override {
    if (auto why = OtherUser::unavailable_reason()) GTEST_SKIP() << *why;
    // A checkout only root can enter (as /root is, 0700), holding the build's agntctl.
    ASSERT_EQ(::chmod(checkout.path().c_str(), 0700), 0);
    fs::copy_file(agntctl_binary(), private_binary);
  }

  TempDir checkout;
  fs::path private_binary = checkout / "agntctl";
};

TEST_F(OtherUserTest, RunsItsOwnCopyOfAProgramFromACheckoutItCannotRead) {
  OtherUser nobody;
  // The failure of issue 16: the build tree is out of the user's reach.
  EXPECT_FALSE(nobody.can_access(private_binary, X_OK));
  EXPECT_NE(nobody.run({private_binary.string(), "--version"}, {}).exit_code, 0);

  const auto copy = nobody.copy_for_user(private_binary);
  EXPECT_EQ(copy.parent_path(), nobody.dir());
  EXPECT_TRUE(nobody.can_access(copy, X_OK));
  const auto result = nobody.run({copy.string(), "--version"}, {});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("agntctl"), std::string::npos) << result.out;
}

TEST_F(OtherUserTest, IsReallyAnotherUserWithNoGroupsOfRoot) {
  OtherUser nobody;
  const auto id = nobody.run({"/usr/bin/id", "-u"}, {});
  EXPECT_EQ(trim(id.out), "65534") << id.err;
  const auto groups = nobody.run({"/usr/bin/id", "-G"}, {});
  EXPECT_EQ(trim(groups.out), "65534") << groups.err;
  const auto home = nobody.run({"/bin/sh", "-c", "echo $HOME; pwd"}, {});
  EXPECT_EQ(home.out, nobody.home().string() + "\n" + nobody.home().string() + "\n");
}

TEST_F(OtherUserTest, OwnsItsHomeButCannotReplaceItsCopies) {
  OtherUser nobody;
  EXPECT_TRUE(nobody.can_access(nobody.home(), W_OK | X_OK));
  EXPECT_FALSE(nobody.can_access(nobody.dir(), W_OK));
  EXPECT_FALSE(nobody.can_access(nobody.copy_for_user(private_binary), W_OK));
}

// agntctl run by the user from its copies, with the shipped data (skills) from its own copy.
TEST_F(OtherUserTest, RunsAgntctlWithItsOwnCopyOfTheShippedData) {
  OtherUser nobody;
  const auto data = nobody.copy_data_dir();
  EXPECT_TRUE(nobody.can_access(data / "nix" / "demo-pkgs" / "default.nix", R_OK));
  const std::map<std::string, std::string> env{{"AGNTOS_DATA_DIR", data.string()},
                                               {"AGNTOS_CONFIG_DIR", (nobody.home() / "config").string()},
                                               {"AGNTOS_STATE_DIR", (nobody.home() / "state").string()}};
  const auto result = nobody.run({nobody.copy_for_user(private_binary).string(), "memory", "show"}, env);
  EXPECT_EQ(result.exit_code, 0) << result.err;
}

TEST_F(OtherUserTest, ProcessesItStartedEndWithIt) {
  pid_t pid = -1;
  {
    OtherUser nobody;
    pid = nobody.spawn({"/bin/sleep", "60"}, {});
    ASSERT_GT(pid, 0);
    EXPECT_EQ(::kill(pid, 0), 0);
  }
  EXPECT_EQ(::kill(pid, 0), -1);
  EXPECT_EQ(errno, ESRCH);
}

}  // namespace
}  // namespace agntos::testing
