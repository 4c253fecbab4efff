// SPDX-License-Identifier: MIT
#include "agntctl_rows.h"

#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <iostream>
#include <sstream>

#include "common/files.h"
#include "common/json.h"
#include "common/process.h"
#include "common/session_store.h"
#include "common/text.h"
#include "support/bench_data.h"
#include "support/report.h"
#include "support/spawn_timer.h"

namespace agntos::bench {
namespace {

namespace fs = std::filesystem;

const Command kTrue{"/bin/true", {"/bin/true"}, {}, {0}};

Command agntctl(const Context& context, const std::string& label, std::vector<std::string> args,
                const std::map<std::string, std::string>& env, std::vector<int> exit_codes = {0}) {
  args.insert(args.begin(), context.agntctl.string());
  return Command{label, std::move(args), env, std::move(exit_codes)};
}

// A figure judged on the ratio of wall-time medians to /bin/true's; the note gives CPU times.
void ratio_figure(const std::string& row, const std::string& what, const std::string& size,
                  const std::vector<Sample>& samples, const std::vector<Sample>& baseline, double limit,
                  const std::string& target) {
  Figure figure;
  figure.row = row;
  figure.what = what;
  figure.size = size;
  figure.median = median(walls(samples));
  figure.comparator = "/bin/true";
  figure.comparator_median = median(walls(baseline));
  figure.ratio = median_ratio(walls(samples), walls(baseline));
  figure.target = target;
  if (limit > 0) figure.met = *figure.ratio <= limit;
  figure.runs = static_cast<int>(samples.size());
  std::ostringstream note;
  note.precision(3);
  note << "CPU " << median(cpus(samples)) << " ms vs " << median(cpus(baseline)) << " ms, "
       << median_ratio(cpus(samples), cpus(baseline)) << "×";
  figure.note = note.str();
  print(figure);
}

// An agntos.toml for the profile backend with `pkgs` as the package set.
void write_profile_settings(const fs::path& config, const fs::path& state, const fs::path& pkgs) {
  fs::create_directories(config);
  write_file_atomic(config / "agntos.toml", "[rebuild]\nbackend = \"profile\"\nconfirm_classes = []\n"
                                            "[rebuild.profile]\npath = \"" + (state / "profile" / "system").string() +
                                                "\"\npkgs = \"" + pkgs.string() + "\"\nlib = \"none\"\n");
}

std::string env_path_with_shim(const Context& context) {
  const char* path = std::getenv("PATH");
  return context.nix_shim_dir().string() + ":" + (path ? path : "/usr/bin:/bin");
}

// Total seconds of Nix programs recorded in `log` (then emptied).
double nix_ms(const fs::path& log) {
  std::ifstream in(log);
  std::string name;
  long long nanoseconds = 0;
  double total = 0;
  while (in >> name >> nanoseconds) total += static_cast<double>(nanoseconds) / 1e6;
  in.close();
  std::ofstream(log, std::ios::trunc).close();
  return total;
}

}  // namespace

void startup_row(const Context& context) {
  const fs::path config = audit_config(context.data, 100);
  const fs::path state = context.fresh_dir("startup-state");
  const auto env = context.agntctl_env(config, state);
  const fs::path file = context.data / "read-me.txt";
  if (!fs::exists(file)) {
    std::string text;
    for (int i = 1; i <= 200; ++i) text += "line " + std::to_string(i) + " of a small text file\n";
    write_file_atomic(file, text);
  }
  const std::vector<Command> commands{kTrue,
                                      agntctl(context, "agntctl --version", {"--version"}, env),
                                      agntctl(context, "agntctl inspect system --json", {"inspect", "system", "--json"}, env),
                                      agntctl(context, "agntctl audit list", {"audit", "list"}, env),
                                      agntctl(context, "agntctl read FILE", {"read", file.string()}, env)};
  const auto times = interleaved(commands, context.runs);
  for (size_t i = 1; i < commands.size(); ++i)
    ratio_figure("startup", commands[i].label, i == 3 ? "100 entries" : "", times[i], times[0], 2.0, "≤ 2× /bin/true");
}

namespace {

// The audit index lives in the state dir and is kept between runs, like the data; the list and
// search rows share it.
fs::path audit_state(const Context& context, size_t count) {
  const fs::path state = context.data / ("audit-state-" + short_count(count));
  fs::create_directories(state);
  return state;
}

}  // namespace

void audit_list_row(const Context& context, const std::vector<size_t>& entries) {
  for (const size_t count : entries) {
    const fs::path config = audit_config(context.data, count);
    const auto env = context.agntctl_env(config, audit_state(context, count));
    const std::vector<Command> commands{kTrue, agntctl(context, "agntctl audit list", {"audit", "list"}, env)};
    time_once(commands[1]);  // builds or brings the index up to date
    const auto times = interleaved(commands, context.runs, 1);
    ratio_figure("audit list", "agntctl audit list", short_count(count) + " entries", times[1], times[0], 2.0,
                 "≤ 2× /bin/true");
  }
}

void audit_search_row(const Context& context, const std::vector<size_t>& entries) {
  for (const size_t count : entries) {
    const fs::path config = audit_config(context.data, count);
    const auto env = context.agntctl_env(config, audit_state(context, count));
    const Command search = agntctl(context, "agntctl audit search quasar telescope", {"audit", "search", "quasar", "telescope"}, env);
    const auto build_start = std::chrono::steady_clock::now();
    time_once(search);  // builds or brings the index up to date
    const double build_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - build_start).count();
    const Command grep{"grep -i", {"grep", "-i", "quasar telescope", (config / "audit.jsonl").string()}, {}, {0}};
    const int runs = count >= 1000000 ? std::max(5, context.runs / 2) : context.runs;
    const auto samples = interleaved({kTrue, search, grep}, runs, 1);
    const std::string size = short_count(count) + " entries";
    ratio_figure("audit search", search.label, size, samples[1], samples[0], count >= 1000000 ? 3.0 : 0,
                 count >= 1000000 ? "≤ 3× /bin/true" : "");
    const auto times = std::vector<std::vector<double>>{walls(samples[0]), walls(samples[1]), walls(samples[2])};
    Figure faster;
    faster.row = "audit search";
    faster.what = "grep -i \"quasar telescope\" audit.jsonl";
    faster.size = size;
    faster.median = median(times[2]);
    faster.comparator = "agntctl audit search";
    faster.comparator_median = median(times[1]);
    faster.ratio = median_ratio(times[2], times[1]);
    faster.target = count >= 1000000 ? "search ≥ 40× faster than grep -i" : "";
    if (count >= 1000000) faster.met = *faster.ratio >= 40;
    faster.runs = runs;
    std::ostringstream note;
    note << "index brought up to date in " << build_s << " s before timing";
    faster.note = note.str();
    print(faster);
  }
}

namespace {

// nixpkgs is always a store path on a machine AgntOS manages (a channel, a flake input, NixOS's
// own): the generated set is added to the store to stand for it, as propose caches the names of
// a set in the store only (src/agntctl/pipeline/package_names.h). Without a usable store the
// set is used where it is, and every propose evaluates it.
fs::path in_store(const fs::path& pkgs) {
  const auto added = run_process({"nix-store", "--add", pkgs.string()});
  if (added.ok() && trim(added.out).starts_with("/nix/store/")) return trim(added.out);
  std::cerr << "bench: nix-store --add " << pkgs.string() << " failed; proposing against the set outside the store\n";
  return pkgs;
}

}  // namespace

void propose_row(const Context& context, const std::vector<size_t>& attributes) {
  for (const size_t count : attributes) {
    const fs::path pkgs = in_store(package_set(context.data, count));
    const fs::path config = context.fresh_dir("propose-config");
    const fs::path state = context.fresh_dir("propose-state");
    write_profile_settings(config, state, pkgs);
    auto env = context.agntctl_env(config, state);
    env["PATH"] = env_path_with_shim(context);
    const fs::path nix_log = state / "nix-times.log";
    env["AGNTOS_BENCH_NIX_LOG"] = nix_log.string();
    const std::vector<Command> commands{
        kTrue, agntctl(context, "agntctl propose install ripgrep --no-build", {"propose", "install", "ripgrep", "--no-build"}, env),
        agntctl(context, "agntctl propose install firefx --no-build (did you mean)", {"propose", "install", "firefx", "--no-build"},
                env, {3})};
    const int runs = std::max(5, context.runs / 3);
    // Not interleaved with a Nix log in between: time each run and read the log after it.
    for (int warm = 0; warm < 2; ++warm)
      for (const auto& command : commands) time_once(command);
    nix_ms(nix_log);
    std::vector<std::vector<double>> times(commands.size());
    std::vector<std::vector<double>> nix(commands.size());
    for (int round = 0; round < runs; ++round)
      for (size_t i = 0; i < commands.size(); ++i) {
        times[i].push_back(time_once(commands[i]));
        nix[i].push_back(nix_ms(nix_log));
      }
    for (size_t i = 1; i < commands.size(); ++i) {
      Figure figure;
      figure.row = "propose";
      figure.what = commands[i].label;
      figure.size = short_count(count) + " packages";
      figure.median = median(times[i]);
      figure.comparator = "/bin/true";
      figure.comparator_median = median(times[0]);
      figure.ratio = median_ratio(times[i], times[0]);
      figure.target = "≤ 200 ms";
      figure.met = figure.median <= 200;
      figure.runs = runs;
      std::ostringstream note;
      note << "of which Nix programs " << median(nix[i]) << " ms";
      figure.note = note.str();
      print(figure);
    }
  }
}

void apply_row(const Context& context, const std::vector<size_t>& commits, size_t audit_entries) {
  std::vector<size_t> sizes{0};
  sizes.insert(sizes.end(), commits.begin(), commits.end());
  // One setup per history size; the rounds then go through the sizes in turn (empty, 100,
  // 10k, empty, ...), as the whole-process rows interleave a command with its comparator, so
  // that every size meets the same machine and the ratios are measured side by side.
  struct Setup {
    size_t count;
    fs::path config;
    fs::path nix_log;
    std::map<std::string, std::string> env;
    std::vector<double> totals, overheads, nix_times;
  };
  std::vector<Setup> setups;
  for (const size_t count : sizes) {
    Setup setup{count, count == 0 ? context.fresh_dir("apply-empty") : history_config(context.data, count, audit_entries), {}, {}, {}, {}, {}};
    const fs::path state = count == 0 ? context.fresh_dir("apply-empty-state") : context.data / ("apply-state-" + short_count(count));
    fs::create_directories(state);
    write_profile_settings(setup.config, state, context.source_dir / "nix" / "demo-pkgs");
    setup.env = context.agntctl_env(setup.config, state);
    setup.env["PATH"] = env_path_with_shim(context);
    setup.nix_log = state / "nix-times.log";
    setup.env["AGNTOS_BENCH_NIX_LOG"] = setup.nix_log.string();
    setups.push_back(std::move(setup));
  }
  const int runs = std::max(9, context.runs / 3);
  // Alternately install and remove one package; the first two rounds warm the Nix store.
  for (int round = -2; round < runs; ++round) {
    for (auto& setup : setups) {
      ProcessOptions options;
      options.env_set = setup.env;
      const bool installed = fs::exists(setup.config / "packages" / "ncdu.nix");
      const auto proposed = run_process({context.agntctl.string(), "propose", installed ? "remove" : "install", "ncdu",
                                         "--no-build", "--json"}, options);
      if (!proposed.ok()) throw std::runtime_error("propose failed: " + proposed.err);
      const std::string id = parse_json(proposed.out, "propose output").at("id").get<std::string>();
      nix_ms(setup.nix_log);
      const double total = time_once(agntctl(context, "apply", {"apply", id, "--yes"}, setup.env));
      const double in_nix = nix_ms(setup.nix_log);
      if (round < 0) continue;
      setup.totals.push_back(total);
      setup.nix_times.push_back(in_nix);
      setup.overheads.push_back(total - in_nix);
    }
  }
  const auto& empty = setups.front();
  for (const auto& setup : setups) {
    Figure figure;
    figure.row = "apply overhead";
    figure.what = "agntctl apply --yes minus its Nix programs";
    figure.size = setup.count == 0 ? "empty history"
                                   : short_count(setup.count) + " commits, " + short_count(audit_entries) + " entries";
    figure.median = median(setup.overheads);
    if (setup.count == 0) {
      figure.target = "≤ 50 ms";
      figure.met = figure.median <= 50;
    } else {
      figure.comparator = "empty history";
      figure.comparator_median = median(empty.overheads);
      figure.ratio = median_ratio(setup.overheads, empty.overheads);
      figure.target = "≤ 50 ms, ≤ 1.5× empty history";
      figure.met = figure.median <= 50 && *figure.ratio <= 1.5;
    }
    figure.runs = runs;
    std::ostringstream note;
    note << "whole apply " << median(setup.totals) << " ms, of which Nix programs " << median(setup.nix_times) << " ms";
    figure.note = note.str();
    print(figure);
  }
}

void history_row(const Context& context, const std::vector<size_t>& commits, size_t audit_entries) {
  for (const size_t count : commits) {
    // The apply row's config dirs: a history of commits and audit entries, and its own changes.
    const fs::path config = history_config(context.data, count, audit_entries);
    const fs::path state = context.data / ("apply-state-" + short_count(count));
    write_profile_settings(config, state, context.source_dir / "nix" / "demo-pkgs");
    const auto env = context.agntctl_env(config, state);
    const std::string size = short_count(count) + " commits, " + short_count(audit_entries) + " entries";
    const std::vector<Command> commands{
        kTrue,
        agntctl(context, "agntctl inspect agntos --json", {"inspect", "agntos", "--json"}, env),
        agntctl(context, "agntctl proposals list", {"proposals", "list"}, env),
        agntctl(context, "agntctl rollback list", {"rollback", "list"}, env),
        agntctl(context, "agntctl audit why ncdu (the newest change wrote it)", {"audit", "why", "ncdu"}, env)};
    time_once(commands[1]);  // brings the index up to date
    const auto times = interleaved(commands, context.runs, 1);
    for (size_t i = 1; i < commands.size(); ++i) ratio_figure("history", commands[i].label, size, times[i], times[0], 0, "");
    // The question that has to go back to the first change: a package AgntOS never managed.
    const std::vector<Command> never{kTrue, agntctl(context, "agntctl audit why nginx (never managed: every change read)",
                                                    {"audit", "why", "nginx"}, env)};
    const auto slow = interleaved(never, std::min(context.runs, 3), 0);
    ratio_figure("history", never[1].label, size, slow[1], slow[0], 0, "");
  }
}

void session_search_row(const Context& context, const std::vector<size_t>& messages) {
  for (const size_t count : messages) {
    const fs::path state = session_state(context.data, count);
    SessionStore store(state / "sessions.db");
    const int iterations = 200;
    for (const std::string query : {"install firefox", "quasar telescope"}) {
      store.search(query, 10);
      std::vector<double> times;
      for (int i = 0; i < iterations; ++i) {
        const auto start = std::chrono::steady_clock::now();
        const auto hits = store.search(query, 10);
        times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
        if (hits.empty()) throw std::runtime_error("session search found nothing for " + query);
      }
      Figure figure;
      figure.row = "session search";
      figure.what = "SessionStore::search(\"" + query + "\", 10) in process";
      figure.size = short_count(count) + " messages";
      figure.median = median(times);
      if (count == 100000 || count == 1000000) {
        figure.target = count == 100000 ? "≤ 10 ms" : "≤ 30 ms";
        figure.met = figure.median <= (count == 100000 ? 10 : 30);
      }
      figure.runs = iterations;
      print(figure);
    }
    const auto env = context.agntctl_env(context.fresh_dir("session-config"), state);
    const std::vector<Command> commands{kTrue, agntctl(context, "agntctl memory search install firefox",
                                                       {"memory", "search", "install", "firefox"}, env)};
    const auto times = interleaved(commands, context.runs, 1);
    ratio_figure("session search", commands[1].label, short_count(count) + " messages", times[1], times[0], 0, "");
  }
}

}  // namespace agntos::bench
