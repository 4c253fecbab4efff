// SPDX-License-Identifier: MIT
// A full disk at any point of apply (issue 9): the config dir lives on a small tmpfs that is
// filled up to leave a little less room each run, so apply runs out of space at a different
// step each time (proposal read, journal, module write, git commit, audit append). Every time,
// apply must end without a crash and leave the old state or the complete new one; once space
// is back, the next agntctl run must bring tree, git HEAD and generation into agreement and
// the audit log must say what happened.
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <fstream>

#include "common/audit.h"
#include "common/files.h"
#include "common/process.h"
#include "common/text.h"
#include "support/agntctl_runner.h"

namespace agntos::testing {
namespace {

namespace fs = std::filesystem;

// A tmpfs mounted over `dir` for the lifetime of the object.
class SmallTmpfs {
public:
  SmallTmpfs(const fs::path& dir, const std::string& size) : m_dir(dir) {
    fs::create_directories(dir);
    m_mounted = ::mount("tmpfs", dir.c_str(), "tmpfs", 0, ("size=" + size + ",mode=0755").c_str()) == 0;
  }
  ~SmallTmpfs() {
    if (m_mounted) ::umount2(m_dir.c_str(), MNT_DETACH);
  }
  SmallTmpfs(const SmallTmpfs&) = delete;
  SmallTmpfs& operator=(const SmallTmpfs&) = delete;
  bool mounted() const { return m_mounted; }
  unsigned long long free_bytes() const {
    struct statvfs st {};
    ::statvfs(m_dir.c_str(), &st);
    return static_cast<unsigned long long>(st.f_bavail) * st.f_frsize;
  }

private:
  fs::path m_dir;
  bool m_mounted = false;
};

std::map<std::string, std::string> module_tree(const fs::path& config_dir) {
  std::map<std::string, std::string> files;
  for (const char* kind : {"packages", "services", "options", "modules", "home"}) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(config_dir / kind, ec))
      files[std::string(kind) + "/" + entry.path().filename().string()] = read_file(entry.path());
  }
  return files;
}

std::map<std::string, std::string> head_tree(const fs::path& config_dir) {
  std::map<std::string, std::string> files;
  const auto listing = run_process({"git", "-C", config_dir.string(), "ls-tree", "-r", "--name-only", "HEAD"});
  for (const auto& path : split_lines(listing.out))
    if (!path.empty() && path.find('/') != std::string::npos)
      files[path] = run_process({"git", "-C", config_dir.string(), "show", "HEAD:" + path}).out;
  return files;
}

// Fills `dir` with one file until only `leave` bytes are free (as far as the filesystem's
// granularity allows).
void fill(const fs::path& file, const SmallTmpfs& fs_, unsigned long long leave) {
  const auto free = fs_.free_bytes();
  if (free <= leave) return;
  std::ofstream out(file, std::ios::binary);
  const std::string block(4096, 'x');
  for (unsigned long long written = 0; written + leave < free; written += block.size()) out.write(block.data(), block.size());
}

TEST(FullDisk, ApplyOnAFullDiskLeavesOldOrNewStateAndIsAuditedWhenSpaceReturns) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to mount a small tmpfs over the config dir";
  int failed = 0;
  int succeeded = 0;
  for (unsigned long long leave = 0; leave <= 64 * 1024; leave += 4096) {
    SCOPED_TRACE("free bytes left: " + std::to_string(leave));
    AgntctlEnv env;
    SmallTmpfs disk(env.config_dir(), "2m");
    if (!disk.mounted()) GTEST_SKIP() << "mount(tmpfs) is not permitted here";
    env.use_profile_backend();
    const auto first = env.run({"propose", "install", "htop", "--json"});
    ASSERT_EQ(first.exit_code, 0) << first.err;
    ASSERT_EQ(env.run({"apply", first.json()["id"], "--yes"}).exit_code, 0);
    const auto second = env.run({"propose", "install", "btop", "--json"});
    ASSERT_EQ(second.exit_code, 0) << second.err;
    const auto before = module_tree(env.config_dir());

    const auto filler = env.config_dir() / "filler";
    fill(filler, disk, leave);
    const auto applied = env.run({"apply", second.json()["id"], "--yes"});
    ASSERT_TRUE(applied.exit_code == 0 || applied.exit_code == 1) << applied.exit_code << applied.err;
    (applied.exit_code == 0 ? succeeded : failed) += 1;

    // Right away, without more space: the old tree or the complete new one, and the
    // generation that goes with it.
    const auto now = module_tree(env.config_dir());
    const bool has_btop = now.count("packages/btop.nix") > 0;
    EXPECT_TRUE(now == before || (has_btop && now.size() == before.size() + 1)) << applied.err;
    EXPECT_EQ(fs::exists(env.profile() / "sw/bin/btop"), has_btop) << applied.err;

    // Space comes back; the next run settles everything and the log says what happened.
    fs::remove(filler);
    const auto poke = env.run({"write", (env.root() / "poke").string(), "--content", "x"});
    ASSERT_EQ(poke.exit_code, 0) << poke.err;
    EXPECT_FALSE(fs::exists(env.config_dir() / ".agntos-journal.json"));
    const auto settled = module_tree(env.config_dir());
    const bool settled_btop = settled.count("packages/btop.nix") > 0;
    EXPECT_EQ(fs::exists(env.profile() / "sw/bin/btop"), settled_btop);
    EXPECT_EQ(head_tree(env.config_dir()), settled);
    const auto entries = AuditLog(env.config_dir() / "audit.jsonl").read_all();
    bool accounted = settled_btop;  // a finished apply has its Apply (or Recover) entry
    for (const auto& entry : entries)
      if (entry.result.status == AuditStatus::failed || entry.action.type == AuditActionType::recover) accounted = true;
    if (!settled_btop && applied.exit_code == 0) accounted = false;
    EXPECT_TRUE(accounted) << "apply " << applied.exit_code << ": " << applied.err;
    if (settled_btop) {
      bool recorded = false;
      for (const auto& entry : entries) recorded |= entry.action.type == AuditActionType::apply && entry.summary.find("btop") != std::string::npos;
      for (const auto& entry : entries) recorded |= entry.action.type == AuditActionType::recover;
      EXPECT_TRUE(recorded);
    }
  }
  std::cout << "[ full disk] " << succeeded << " applies fit, " << failed << " ran out of space\n";
  EXPECT_GT(failed, 0);
}

}  // namespace
}  // namespace agntos::testing
