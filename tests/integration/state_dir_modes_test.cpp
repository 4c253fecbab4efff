// SPDX-License-Identifier: MIT
// The agent state dir holds conversations (prompts, tool output, memory): the dir is 0700 and
// every file in it 0600, whoever creates them and whatever the umask (issue 8, obs. 8:
// sessions.db was created 0644).
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "common/audit_index.h"
#include "common/files.h"
#include "common/paths.h"
#include "integration/agntd_daemon.h"
#include "support/other_user.h"

namespace agntd::testing {
namespace {

namespace fs = std::filesystem;
using agntos::testing::AgntctlEnv;

mode_t mode_of(const fs::path& path) {
  struct stat st {};
  EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

// Sets the umask for the life of the object (the children of the test inherit it).
class Umask {
public:
  explicit Umask(mode_t mask) : m_old(::umask(mask)) {}
  ~Umask() { ::umask(m_old); }

private:
  mode_t m_old;
};

// A state dir that does not exist yet, under a parent others can enter: whoever creates it
// decides its mode.
fs::path fresh_state_dir(const AgntctlEnv& env) {
  const auto parent = env.root() / "home";
  agntos::make_directories(parent, 0755);
  return parent / "agntos-state";
}

TEST(StateDirModes, TheDaemonAndAgntctlKeepConversationsPrivateUnderTheUsualUmask) {
  AgntctlEnv env;
  env.use_profile_backend();
  const auto state = fresh_state_dir(env);
  env.env["AGNTOS_STATE_DIR"] = state.string();
  const Umask usual(022);
  {
    DaemonProcess daemon(env, {{"AGNTOS_STATE_DIR", state.string()}});
    ASSERT_TRUE(daemon.wait_ready()) << daemon.output();
    SocketClient client(daemon.socket());
    client.send(Json{{"type", "init"}});
    client.expect("session_ready");
    client.send(Json{{"type", "chat"}, {"prompt", "install htop"}});
    const auto approval = client.expect("approval_request");
    client.send(Json{{"type", "approve"}, {"request_id", approval["request_id"]}});
    client.expect("turn_complete");
    // While the daemon runs, the WAL files exist too.
    for (const char* file : {"sessions.db", "sessions.db-wal", "sessions.db-shm"}) {
      if (fs::exists(state / file)) {
        EXPECT_EQ(mode_of(state / file), 0600u) << file;
      }
    }
  }
  ASSERT_EQ(env.run({"memory", "add", "user", "--section", "Editor", "--content", "prefers helix"}).exit_code, 0);
  ASSERT_EQ(env.run({"audit", "search", "htop"}).exit_code, 0);

  EXPECT_EQ(mode_of(state), 0700u);
  EXPECT_EQ(mode_of(state / "sessions.db"), 0600u);
  EXPECT_EQ(mode_of(state / "agntd.log"), 0600u);
  agntos::Paths paths;
  paths.state_dir = state;
  EXPECT_EQ(mode_of(agntos::audit_index_file(paths)), 0600u);
  EXPECT_EQ(mode_of(state / "memory"), 0700u);
  EXPECT_EQ(mode_of(state / "memory" / "USER.md"), 0600u);
  // Nothing in the state dir is open to others, whatever else was made there (lock files are
  // empty: only their lock matters).
  for (const auto& item : fs::recursive_directory_iterator(state)) {
    if (item.is_symlink() || item.is_socket() || item.path().filename().string().ends_with(".lock")) continue;
    EXPECT_EQ(mode_of(item.path()) & 077, 0u) << item.path();
  }
}

// A sessions.db an earlier version made 0644 is made private when it is next opened.
TEST(StateDirModes, AnOpenSessionsDatabaseIsMadePrivate) {
  AgntctlEnv env;
  const auto db = env.state_dir() / "sessions.db";
  agntos::write_file_atomic(db, "", 0644);
  ASSERT_EQ(env.run({"memory", "search", "anything"}).exit_code, 0);
  EXPECT_EQ(mode_of(db), 0600u);
}

// A user who cannot write the config dir gets its Generic entries in the state dir's log: that
// log is private, and so is the state dir it creates for it.
TEST(StateDirModes, TheStateDirAuditLogOfAnotherUserIsPrivate) {
  if (auto why = agntos::testing::OtherUser::unavailable_reason()) GTEST_SKIP() << *why;
  agntos::testing::OtherUser nobody;
  const Umask usual(022);
  const auto config = nobody.dir() / "config";  // root's: read-only for nobody
  agntos::make_directories(config, 0755);
  const auto state = nobody.home() / "state";
  const auto target = nobody.home() / "notes.txt";
  const auto result = nobody.run({nobody.copy_for_user(agntos::testing::agntctl_binary()).string(), "write",
                                  target.string(), "--content", "hello"},
                                 {{"AGNTOS_CONFIG_DIR", config.string()},
                                  {"AGNTOS_STATE_DIR", state.string()},
                                  {"AGNTOS_DATA_DIR", nobody.copy_data_dir().string()}});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_FALSE(fs::exists(config / "audit.jsonl"));
  EXPECT_EQ(mode_of(state), 0700u);
  EXPECT_EQ(mode_of(state / "audit.jsonl"), 0600u);
}

}  // namespace
}  // namespace agntd::testing
