// SPDX-License-Identifier: MIT
#pragma once
// Runs programs of the build as another user (tests that run as root and need a second uid:
// a daemon of someone else, a peer without rights, a red-team user).
//
// The checkout may sit where that user cannot go: a clone in /root (mode 0700) or in a home
// dir that others cannot traverse. So the user never runs anything from the build or source
// tree: OtherUser gives it its own copies, in a fresh directory under /tmp (mode 0755, owned
// by root, so the user can run the copies but not replace them), and the directory goes away
// with the object.
//
// Typical use:
//   if (auto why = OtherUser::unavailable_reason()) GTEST_SKIP() << *why;
//   OtherUser nobody;                                   // uid/gid 65534
//   const auto agntd = nobody.copy_for_user(agntd_binary());
//   env["AGNTOS_DATA_DIR"] = nobody.copy_data_dir();    // nix/ and skills/, if it needs them
//   env["AGNTOS_STATE_DIR"] = nobody.home() / "state";  // home(): a dir the user owns
//   const auto result = nobody.run({agntd.string(), "--version"}, env);
//
// Every method throws agntos::Error when the system refuses (copy, chown, fork). Processes
// started with spawn() that still run when the object dies are killed and reaped.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/process.h"

namespace agntos::testing {

class OtherUser {
public:
  // Why no program can be run as another user here (this process is not root, or the kernel
  // refuses the switch), or nullopt when it can. Tests skip with this text.
  static std::optional<std::string> unavailable_reason();

  // A user for the test; the default is nobody/nogroup. Creates dir().
  explicit OtherUser(uid_t uid = 65534, gid_t gid = 65534);
  OtherUser(const OtherUser&) = delete;
  OtherUser& operator=(const OtherUser&) = delete;
  // Removes dir() and everything in it.
  ~OtherUser();

  uid_t uid() const { return m_uid; }
  gid_t gid() const { return m_gid; }
  // The directory of the user's copies: /tmp/agntos-user-XXXXXX (0755, root's).
  const std::filesystem::path& dir() const { return m_dir; }
  // dir()/home: owned by the user, mode 0700, for what it must write (config and state dirs,
  // sockets). Also its HOME when spawn() or run() are not given one.
  std::filesystem::path home() const { return m_dir / "home"; }

  // Copies the program `file` (e.g. agntd_binary()) into dir() as mode 0755 and returns the
  // copy's path: run the copy, never the original.
  std::filesystem::path copy_for_user(const std::filesystem::path& file) const;
  // Copies the shipped data a program loads from the source tree (nix/ and skills/) to
  // dir()/data, readable by everyone, and returns it: the value for AGNTOS_DATA_DIR.
  std::filesystem::path copy_data_dir() const;
  // Makes `path` the user's (chown to uid()/gid(), not recursive), e.g. a dir of a test's env.
  void give(const std::filesystem::path& path) const;
  // True when the user can access `path` with `mode` (R_OK, W_OK, X_OK, F_OK), asked by a
  // child process that really is the user (so every ancestor's mode, groups and ACLs count).
  bool can_access(const std::filesystem::path& path, int mode) const;

  // Starts argv (argv[0] a path) as the user: supplementary groups dropped, gid then uid set,
  // working dir home(). Its environment is `env` plus this process's PATH and HOME=home()
  // unless `env` sets them (nothing else is inherited); stdin is /dev/null; stdout and stderr
  // are appended to `output`. Returns the pid: the caller waits for it (waitpid).
  pid_t spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
              const std::filesystem::path& output = "/dev/null") const;
  // Runs argv as the user (as spawn() does) to its end, killed after `timeout`, and returns
  // exit_code (-1 when killed by a signal), term_signal, timed_out, out and err.
  ProcessResult run(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                    std::chrono::milliseconds timeout = std::chrono::seconds(60)) const;

private:
  uid_t m_uid;
  gid_t m_gid;
  std::filesystem::path m_dir;
  mutable std::vector<pid_t> m_children;
};

}  // namespace agntos::testing
