// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <signal.h>

#include "common/error.h"
#include "common/files.h"
#include "common/process.h"
#include "support/temp_dir.h"

namespace agntos {
namespace {

using namespace std::chrono_literals;

// Alive and not a zombie (a killed orphan may wait for a reaper that a container lacks).
bool process_alive(pid_t pid) {
  const auto stat = read_file_if_exists("/proc/" + std::to_string(pid) + "/stat");
  if (!stat) return false;
  const auto close = stat->rfind(')');
  return close != std::string::npos && close + 2 < stat->size() && (*stat)[close + 2] != 'Z';
}

TEST(Process, CapturesBothStreamsAndExitCode) {
  const auto result = run_process({"sh", "-c", "echo out; echo err >&2; exit 3"});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.out, "out\n");
  EXPECT_EQ(result.err, "err\n");
  EXPECT_FALSE(result.ok());
}

TEST(Process, PassesStdinEnvAndCwd) {
  testing::TempDir dir;
  ProcessOptions options;
  options.stdin_text = "from stdin";
  options.env_set["AGNTOS_TEST_VALUE"] = "42";
  options.cwd = dir.path();
  const auto result = run_process({"sh", "-c", "cat; echo \" $AGNTOS_TEST_VALUE $(pwd)\""}, options);
  EXPECT_EQ(result.out, "from stdin 42 " + dir.path().string() + "\n");
}

TEST(Process, ArgvIsNotInterpretedByAShell) {
  const auto result = run_process({"echo", "$(id)", ";", "rm", "-rf", "/"});
  EXPECT_EQ(result.out, "$(id) ; rm -rf /\n");
}

TEST(Process, TimeoutKillsGrandchildren) {
  testing::TempDir dir;
  const auto pid_file = dir / "pid";
  ProcessOptions options;
  options.timeout = 300ms;
  const auto started = std::chrono::steady_clock::now();
  const auto result =
      run_process({"bash", "-c", "sleep 100 & echo $! > " + pid_file.string() + "; sleep 100"}, options);
  EXPECT_TRUE(result.timed_out);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  const pid_t grandchild = std::stoi(read_file(pid_file));
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(process_alive(grandchild));
}

TEST(Process, BackgroundChildrenDoNotOutliveTheCall) {
  testing::TempDir dir;
  const auto pid_file = dir / "pid";
  ProcessOptions options;
  options.timeout = 10s;
  const auto started = std::chrono::steady_clock::now();
  const auto result = run_process({"bash", "-c", "sleep 100 & echo $! > " + pid_file.string()}, options);
  EXPECT_TRUE(result.ok());
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  const pid_t grandchild = std::stoi(read_file(pid_file));
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(process_alive(grandchild));
}

TEST(Process, OutputIsCappedButCounted) {
  ProcessOptions options;
  options.output_cap = 1000;
  const auto result = run_process({"sh", "-c", "head -c 100000 /dev/zero | tr '\\0' x"}, options);
  EXPECT_EQ(result.out.size(), 1000u);
  EXPECT_EQ(result.out_total, 100000u);
  EXPECT_TRUE(result.out_truncated());
}

TEST(Process, LargeOutputOnBothStreamsDoesNotDeadlock) {
  ProcessOptions options;
  options.timeout = 20s;
  const auto result =
      run_process({"sh", "-c", "head -c 1000000 /dev/zero >&2; head -c 1000000 /dev/zero"}, options);
  EXPECT_TRUE(result.ok());
  EXPECT_EQ(result.out_total, 1000000u);
  EXPECT_EQ(result.err_total, 1000000u);
}

TEST(Process, StreamsOutputAsItArrives) {
  std::string seen;
  ProcessOptions options;
  options.on_output = [&](OutputStream stream, std::string_view chunk) {
    if (stream == OutputStream::out) seen += chunk;
  };
  run_process({"sh", "-c", "echo one; echo two"}, options);
  EXPECT_EQ(seen, "one\ntwo\n");
}

TEST(Process, CancelFlagKillsTheGroup) {
  std::atomic<bool> cancel{false};
  ProcessOptions options;
  options.cancel = &cancel;
  std::thread canceller([&] {
    std::this_thread::sleep_for(200ms);
    cancel = true;
  });
  const auto result = run_process({"sleep", "100"}, options);
  canceller.join();
  EXPECT_TRUE(result.cancelled);
  EXPECT_EQ(result.term_signal, SIGKILL);
}

TEST(Process, MissingProgramIsNotFound) {
  try {
    run_process({"agntos-no-such-program"});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::not_found);
  }
}

}  // namespace
}  // namespace agntos
