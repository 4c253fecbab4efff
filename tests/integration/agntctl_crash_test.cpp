// SPDX-License-Identifier: MIT
// Kills `agntctl apply` with SIGKILL at random moments and checks that the config dir ends up
// exactly as before or exactly as after, the audit log never shows a torn entry to readers,
// and the next agntctl run recovers (SPEC §3.2, last paragraph).
#include <gtest/gtest.h>

#include <fstream>

#include "common/audit.h"
#include "common/files.h"
#include "common/process.h"
#include "common/text.h"
#include "support/agntctl_runner.h"
#include "support/killed_run.h"

namespace agntos::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::map<std::string, std::string> module_tree(const fs::path& config_dir) {
  std::map<std::string, std::string> files;
  for (const char* kind : {"packages", "services", "options", "modules", "home"}) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(config_dir / kind, ec))
      if (!entry.path().filename().string().starts_with(".")) files[std::string(kind) + "/" + entry.path().filename().string()] = read_file(entry.path());
  }
  return files;
}

// The module files of the config dir's git HEAD.
std::map<std::string, std::string> head_tree(const fs::path& config_dir) {
  std::map<std::string, std::string> files;
  const auto listing = run_process({"git", "-C", config_dir.string(), "ls-tree", "-r", "--name-only", "HEAD"});
  for (const auto& path : split_lines(listing.out)) {
    if (path.empty() || path.find('/') == std::string::npos) continue;
    files[path] = run_process({"git", "-C", config_dir.string(), "show", "HEAD:" + path}).out;
  }
  return files;
}

int crash_runs() { return std::getenv("AGNTOS_CRASH_RUNS") ? std::atoi(std::getenv("AGNTOS_CRASH_RUNS")) : 100; }

// The first apply on a profile with no generation yet: recovery cannot switch back to an
// earlier generation, so it must remove the one the interrupted apply made.
TEST(CrashTest, KilledFirstApplyOnAFreshProfileLeavesNoGenerationAhead) {
  std::chrono::microseconds duration{};
  {
    AgntctlEnv env;
    env.use_profile_backend();
    const auto timed = env.run({"propose", "install", "htop", "--json"});
    ASSERT_EQ(timed.exit_code, 0) << timed.err;
    const auto started = std::chrono::steady_clock::now();
    ASSERT_EQ(env.run({"apply", timed.json()["id"], "--yes"}).exit_code, 0);
    duration = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
  }
  KillWindow kill_at(duration, 6789);
  const int runs = crash_runs();
  int finished = 0;
  int reverted = 0;
  for (int run = 0; run < runs; ++run) {
    AgntctlEnv env;
    env.use_profile_backend();
    const auto proposed = env.run({"propose", "install", "htop", "--json"});
    ASSERT_EQ(proposed.exit_code, 0) << proposed.err;
    run_and_kill(env, {"apply", proposed.json()["id"], "--yes", "--json"}, kill_at.next());
    const auto poke = env.run({"write", (env.root() / "poke").string(), "--content", "x"});
    ASSERT_EQ(poke.exit_code, 0) << poke.err;
    ASSERT_FALSE(fs::exists(env.config_dir() / ".agntos-journal.json")) << "run " << run;
    const auto tree = module_tree(env.config_dir());
    const bool has_htop = tree.count("packages/htop.nix") > 0;
    (has_htop ? finished : reverted) += 1;
    if (!has_htop) kill_at.killed_before_the_end();
    ASSERT_EQ(fs::exists(env.profile() / "sw/bin/htop"), has_htop) << "run " << run;
    if (!has_htop) {
      ASSERT_FALSE(fs::exists(env.profile())) << "run " << run << ": a generation is running for an empty tree";
    }
    std::error_code ec;
    if (fs::exists(env.config_dir() / ".git", ec)) {
      ASSERT_EQ(head_tree(env.config_dir()), tree) << "run " << run;
    }
  }
  std::cout << "[ crash    ] fresh profile, " << runs << " runs: " << finished << " finished, " << reverted
            << " reverted (kill window " << kill_at.window_ms() << " ms)\n";
  EXPECT_GT(finished, 0);
  EXPECT_GT(reverted, 0);
}

TEST(CrashTest, KilledApplyLeavesOldOrNewTreeAndRecovers) {
  AgntctlEnv env;
  env.use_profile_backend();
  const int runs = crash_runs();

  // Measure uninterrupted applies like the ones the loop kills (one with a generation running
  // already) to spread the kill points over their whole duration.
  std::chrono::microseconds duration{};
  for (const char* verb : {"install", "install", "remove"}) {
    const auto timed = env.run({"propose", verb, duration.count() == 0 ? "hello" : "htop", "--json"});
    ASSERT_EQ(timed.exit_code, 0) << timed.err;
    const auto started = std::chrono::steady_clock::now();
    ASSERT_EQ(env.run({"apply", timed.json()["id"], "--yes"}).exit_code, 0);
    duration = std::max(duration, std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started));
  }
  KillWindow kill_at(duration, 12345);
  int finished = 0;
  int reverted = 0;
  for (int run = 0; run < runs; ++run) {
    const bool have_htop = fs::exists(env.config_dir() / "packages/htop.nix");
    const auto proposed = env.run({"propose", have_htop ? "remove" : "install", "htop", "--json"});
    ASSERT_EQ(proposed.exit_code, 0) << proposed.err;
    const std::string id = proposed.json()["id"];
    const auto before = module_tree(env.config_dir());

    run_and_kill(env, {"apply", id, "--yes", "--json"}, kill_at.next());

    // Readers never see a torn entry: every complete line is whole JSON.
    {
      std::ifstream in(env.config_dir() / "audit.jsonl");
      std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      size_t start = 0;
      for (size_t end = content.find('\n'); end != std::string::npos; end = content.find('\n', start)) {
        ASSERT_TRUE(Json::accept(content.substr(start, end - start))) << "run " << run;
        start = end + 1;
      }
    }
    // The next mutating run recovers.
    const auto doctor = env.run({"write", (env.root() / "poke").string(), "--content", "x"});
    ASSERT_EQ(doctor.exit_code, 0) << doctor.err;
    ASSERT_FALSE(fs::exists(env.config_dir() / ".agntos-journal.json")) << "run " << run;

    const auto after = module_tree(env.config_dir());
    const bool now_htop = after.count("packages/htop.nix") > 0;
    if (after == before) {
      ++reverted;
      kill_at.killed_before_the_end();
      EXPECT_TRUE(fs::exists(env.config_dir() / "proposals" / (id + ".json"))) << "run " << run;
      env.run({"bash", "true"});  // keep the audit busy too
      fs::remove(env.config_dir() / "proposals" / (id + ".json"));
    } else {
      ++finished;
      ASSERT_NE(now_htop, have_htop) << "run " << run << ": tree is neither the old nor the new one";
      ASSERT_FALSE(fs::exists(env.config_dir() / "proposals" / (id + ".json"))) << "run " << run;
    }
    // The running generation and git HEAD agree with the tree.
    ASSERT_EQ(fs::exists(env.profile() / "sw/bin/htop"), now_htop) << "run " << run;
    ASSERT_EQ(head_tree(env.config_dir()), after) << "run " << run;
    ASSERT_EQ(AuditLog(env.config_dir() / "audit.jsonl").read_all().empty(), false);
  }
  std::cout << "[ crash    ] " << runs << " runs: " << finished << " finished, " << reverted << " reverted ("
            << duration.count() / 1000 << " ms per apply, kill window " << kill_at.window_ms() << " ms)\n";
  EXPECT_GT(finished, 0);
  EXPECT_GT(reverted, 0);
}

}  // namespace
}  // namespace agntos::testing
