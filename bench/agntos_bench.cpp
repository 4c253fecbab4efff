// SPDX-License-Identifier: MIT
// The benchmark table of issue 14 and docs/BENCHMARKS.md: every row measured side by side
// with its comparator in one run, one JSON object per figure on stdout (scripts/bench prints
// the table). Generated data is cached under --data between runs.
//
//   agntos_bench --data DIR [--runs N] [--quick] [ROW...]
//   ROW: startup audit-list audit-search propose apply session-search agntd-memory agntd-round
//        (default: all)
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "agntctl_rows.h"
#include "agntd_rows.h"
#include "support/context.h"

namespace {

namespace fs = std::filesystem;

int usage() {
  std::cerr << "usage: agntos_bench --data DIR [--runs N] [--quick] [ROW...]\n"
               "rows: startup audit-list audit-search propose apply history session-search agntd-memory agntd-round\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  agntos::bench::Context context;
  context.agntctl = AGNTCTL_BINARY;
  context.agntd = AGNTD_BINARY;
  context.nix_timer = NIX_TIMER_BINARY;
  context.source_dir = AGNTOS_SOURCE_DIR;
  std::set<std::string> rows;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--data" && i + 1 < argc) {
      context.data = fs::absolute(argv[++i]);
    } else if (arg == "--runs" && i + 1 < argc) {
      context.runs = std::max(3, std::atoi(argv[++i]));
    } else if (arg == "--quick") {
      context.quick = true;
    } else if (arg.starts_with("-")) {
      return usage();
    } else {
      rows.insert(arg);
    }
  }
  if (context.data.empty()) return usage();
  fs::create_directories(context.data);
  context.scratch = context.data / ("run-" + std::to_string(::getpid()));
  fs::create_directories(context.scratch);
  const auto wanted = [&](const std::string& row) { return rows.empty() || rows.count(row); };
  using Sizes = std::vector<size_t>;
  const bool quick = context.quick;
  int status = 0;
  try {
    if (wanted("startup")) agntos::bench::startup_row(context);
    if (wanted("audit-list")) agntos::bench::audit_list_row(context, quick ? Sizes{10000} : Sizes{10000, 100000, 1000000});
    if (wanted("audit-search"))
      agntos::bench::audit_search_row(context, quick ? Sizes{10000} : Sizes{10000, 100000, 1000000});
    if (wanted("propose")) agntos::bench::propose_row(context, quick ? Sizes{1000} : Sizes{1000, 10000, 120000});
    if (wanted("apply")) agntos::bench::apply_row(context, quick ? Sizes{100} : Sizes{100, 10000}, quick ? 10000 : 1000000);
    if (wanted("history")) agntos::bench::history_row(context, quick ? Sizes{100} : Sizes{100, 10000}, quick ? 10000 : 1000000);
    if (wanted("session-search"))
      agntos::bench::session_search_row(context, quick ? Sizes{10000} : Sizes{10000, 100000, 1000000});
    if (wanted("agntd-memory")) agntos::bench::daemon_memory_row(context);
    if (wanted("agntd-round")) agntos::bench::daemon_round_row(context);
  } catch (const std::exception& e) {
    std::cerr << "agntos_bench: " << e.what() << "\n";
    status = 1;
  }
  std::error_code ec;
  fs::remove_all(context.scratch, ec);
  return status;
}
