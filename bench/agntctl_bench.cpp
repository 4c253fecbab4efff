// SPDX-License-Identifier: MIT
// Benchmarks for the SPEC §10 targets that concern agntctl:
//   - `inspect system --json` and `audit list` within 3x the cost of starting /bin/true;
//   - `audit search` over 1,000,000 entries at least 10x faster than `grep -i` over the JSONL.
// Each benchmark runs a real process; the ratios are computed from medians of one run.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "common/audit.h"
#include "common/audit_index.h"
#include "common/files.h"
#include "common/process.h"

namespace {

namespace fs = std::filesystem;

fs::path bench_root() {
  static const fs::path root = [] {
    const char* base = std::getenv("AGNTOS_BENCH_DIR");
    fs::path dir = base ? base : "/tmp/agntos-bench";
    fs::create_directories(dir / "config");
    fs::create_directories(dir / "state");
    return dir;
  }();
  return root;
}

size_t audit_entries() {
  const char* value = std::getenv("AGNTOS_BENCH_ENTRIES");
  return value ? std::strtoull(value, nullptr, 10) : 1000000;
}

agntos::ProcessOptions agntctl_options(const fs::path& config) {
  agntos::ProcessOptions options;
  options.env_set["AGNTOS_CONFIG_DIR"] = config.string();
  options.env_set["AGNTOS_STATE_DIR"] = (bench_root() / "state").string();
  return options;
}

void run_or_fail(benchmark::State& state, const std::vector<std::string>& argv, const agntos::ProcessOptions& options) {
  const auto result = agntos::run_process(argv, options);
  if (result.exit_code != 0 && !(argv[0] == "grep" && result.exit_code == 1)) state.SkipWithError(result.err.c_str());
}

// A log of `count` realistic entries (a few packages recur; one prompt is unique).
fs::path big_log(size_t count) {
  const fs::path dir = bench_root() / ("big-" + std::to_string(count));
  const fs::path log = dir / "audit.jsonl";
  if (fs::exists(log)) return dir;
  fs::create_directories(dir);
  const char* packages[] = {"htop", "btop", "ripgrep", "fd", "bat", "jq", "git", "curl", "tmux", "neovim"};
  std::ofstream out(log);
  for (size_t i = 0; i < count; ++i) {
    auto entry = agntos::AuditEntry::make("Apply", std::string("Applied: Install package: ") + packages[i % 10]);
    entry.prompt = i == count / 2 ? "please install the quasar telescope viewer" : "install " + std::string(packages[i % 10]) + " number " + std::to_string(i);
    entry.packages = {packages[i % 10]};
    entry.files_changed = {"/etc/agntos/packages/" + std::string(packages[i % 10]) + ".nix"};
    out << entry.to_json().dump() << "\n";
  }
  return dir;
}

void BM_spawn_true(benchmark::State& state) {
  for (auto _ : state) run_or_fail(state, {"/bin/true"}, {});
}
BENCHMARK(BM_spawn_true)->Unit(benchmark::kMillisecond)->Repetitions(15)->ReportAggregatesOnly(true);

void BM_inspect_system_json(benchmark::State& state) {
  const auto options = agntctl_options(bench_root() / "config");
  for (auto _ : state) run_or_fail(state, {AGNTCTL_BINARY, "inspect", "system", "--json"}, options);
}
BENCHMARK(BM_inspect_system_json)->Unit(benchmark::kMillisecond)->Repetitions(15)->ReportAggregatesOnly(true);

void BM_audit_list(benchmark::State& state) {
  const fs::path config = bench_root() / "config";
  if (!fs::exists(config / "audit.jsonl")) {
    agntos::AuditLog log(config / "audit.jsonl");
    for (int i = 0; i < 100; ++i) log.append(agntos::AuditEntry::make("Generic", "entry " + std::to_string(i)));
  }
  const auto options = agntctl_options(config);
  for (auto _ : state) run_or_fail(state, {AGNTCTL_BINARY, "audit", "list", "--limit", "20"}, options);
}
BENCHMARK(BM_audit_list)->Unit(benchmark::kMillisecond)->Repetitions(15)->ReportAggregatesOnly(true);

void BM_audit_search_1m(benchmark::State& state) {
  const fs::path config = big_log(audit_entries());
  const auto options = agntctl_options(config);
  // Warm the index once (it is built incrementally and kept in the state dir).
  agntos::run_process({AGNTCTL_BINARY, "audit", "search", "quasar", "telescope"}, options);
  for (auto _ : state) run_or_fail(state, {AGNTCTL_BINARY, "audit", "search", "quasar", "telescope"}, options);
}
BENCHMARK(BM_audit_search_1m)->Unit(benchmark::kMillisecond)->Repetitions(9)->ReportAggregatesOnly(true);

void BM_grep_i_1m(benchmark::State& state) {
  const fs::path log = big_log(audit_entries()) / "audit.jsonl";
  for (auto _ : state) run_or_fail(state, {"grep", "-i", "quasar telescope", log.string()}, {});
}
BENCHMARK(BM_grep_i_1m)->Unit(benchmark::kMillisecond)->Repetitions(9)->ReportAggregatesOnly(true);

}  // namespace

BENCHMARK_MAIN();
