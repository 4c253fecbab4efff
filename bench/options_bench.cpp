// SPDX-License-Identifier: MIT
// The option-path check of propose against an options index the size of NixOS's (issue 12:
// 25,000 options, a check within 20 ms). The index is synthetic but shaped like NixOS's:
// services.<name>.{enable,package,settings,...}, programs.*, users.users.<name>.*,
// systemd.services.<name>.*, type descriptions from lib.types, a sentence of description each,
// and the handful of real options the checks name (virtualisation.docker.enable, time.timeZone,
// networking.firewall.allowedTCPPorts). Run:
//   build/bench/options_bench --benchmark_repetitions=15 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include "common/json.h"
#include "common/option_type.h"
#include "common/options_index.h"

namespace {

using agntos::Json;

constexpr size_t kOptions = 25000;

Json synthetic_index() {
  static const char* const kTypes[] = {
      "boolean",
      "string",
      "null or string",
      "signed integer",
      "16 bit unsigned integer; between 0 and 65535 (both inclusive)",
      "list of string",
      "list of package",
      "attribute set of string",
      "package",
      "strings concatenated with \"\\n\"",
      "one of \"debug\", \"info\", \"warning\", \"error\"",
      "open submodule of attribute set of (JSON value)",
  };
  static const char* const kLeaves[] = {"enable", "package", "settings", "port", "openFirewall", "user", "group",
                                        "extraConfig", "dataDir", "logLevel", "extraArgs", "environment"};
  Json list = Json::array();
  const auto add = [&](std::string name, const char* type) {
    list.push_back(Json{{"name", std::move(name)},
                        {"type", type},
                        {"default", "null"},
                        {"description", "What this option does, in a sentence or two, as NixOS's option "
                                        "descriptions usually are; it mentions the service and its files."},
                        {"declarations", Json::array({"/nix/store/xxxxxxxx-source/nixos/modules/services/x.nix"})},
                        {"readOnly", false}});
  };
  add("virtualisation.docker.enable", "boolean");
  add("time.timeZone", "null or string without spaces");
  add("networking.firewall.allowedTCPPorts", "list of 16 bit unsigned integer; between 0 and 65535 (both inclusive)");
  add("users.users", "attribute set of (submodule)");
  add("users.users.<name>.isNormalUser", "boolean");
  add("users.users.<name>.extraGroups", "list of string");
  for (size_t i = 0; list.size() < kOptions; ++i) {
    const size_t group = i % 10;
    const std::string leaf = kLeaves[i % 12];
    const char* type = kTypes[(i / 3) % 12];
    const std::string name = "svc" + std::to_string(i / 12);
    if (group < 7) add("services." + name + "." + leaf, type);
    else if (group == 7) add("programs." + name + "." + leaf, type);
    else if (group == 8) add("systemd.services.<name>." + leaf + std::to_string(i / 12), type);
    else add("hardware." + name + ".sub" + std::to_string(i % 7) + "." + leaf, type);
  }
  return list;
}

const agntos::OptionsIndex& index() {
  static const agntos::OptionsIndex built = agntos::OptionsIndex::from_json(synthetic_index(), "synthetic");
  return built;
}

// What propose does for `set networking.firewall.allowedTCPPorts 8080`: match, parse the type,
// check the value.
void BM_check_known_path_and_type(benchmark::State& state) {
  const auto& options = index();
  const auto path = agntos::option_path_segments("networking.firewall.allowedTCPPorts");
  for (auto _ : state) {
    const auto match = options.match(path);
    const auto type = agntos::OptionType::parse(match.option->type);
    benchmark::DoNotOptimize(agntos::check_value(*type.list_type(), Json(8080)));
  }
  state.counters["options"] = static_cast<double>(options.size());
}
BENCHMARK(BM_check_known_path_and_type)->Unit(benchmark::kMicrosecond);

// An unknown path and its "did you mean" (services.docker.enable -> virtualisation.docker.enable).
void BM_check_unknown_path_with_suggestions(benchmark::State& state) {
  const auto& options = index();
  const auto path = agntos::option_path_segments("services.docker.enable");
  if (const auto near = options.suggestions(path); near.empty() || near.front() != "virtualisation.docker.enable")
    state.SkipWithError("the suggestion is not virtualisation.docker.enable");
  for (auto _ : state) {
    const auto match = options.match(path);
    benchmark::DoNotOptimize(match);
    benchmark::DoNotOptimize(options.suggestions(path));
  }
}
BENCHMARK(BM_check_unknown_path_with_suggestions)->Unit(benchmark::kMicrosecond);

// A typo below a service with many siblings: the trie repair compares with every service name.
void BM_check_typo_with_suggestions(benchmark::State& state) {
  const auto& options = index();
  const auto path = agntos::option_path_segments("services.svc1000.openFirewal");
  for (auto _ : state) benchmark::DoNotOptimize(options.suggestions(path));
}
BENCHMARK(BM_check_typo_with_suggestions)->Unit(benchmark::kMicrosecond);

// All the paths of an agent-written module (the validation step for modules).
void BM_check_module_of_20_paths(benchmark::State& state) {
  const auto& options = index();
  std::vector<std::vector<std::string>> paths;
  for (int i = 0; i < 20; ++i)
    paths.push_back(agntos::option_path_segments("services.svc" + std::to_string(i * 97) + ".enable"));
  paths.push_back(agntos::option_path_segments("users.users.ada.isNormalUser"));
  for (auto _ : state)
    for (const auto& path : paths) benchmark::DoNotOptimize(options.match(path));
}
BENCHMARK(BM_check_module_of_20_paths)->Unit(benchmark::kMicrosecond);

// inspect option <words>: one scan of every name and description.
void BM_search_words(benchmark::State& state) {
  const auto& options = index();
  for (auto _ : state) benchmark::DoNotOptimize(options.search("time zone"));
}
BENCHMARK(BM_search_words)->Unit(benchmark::kMillisecond);

// Loading: parse the JSON text and build the index (once per agntctl process).
void BM_load_index_from_json_text(benchmark::State& state) {
  const std::string text = synthetic_index().dump();
  for (auto _ : state)
    benchmark::DoNotOptimize(agntos::OptionsIndex::from_json(Json::parse(text), "synthetic"));
  state.counters["json_bytes"] = static_cast<double>(text.size());
}
BENCHMARK(BM_load_index_from_json_text)->Unit(benchmark::kMillisecond);

// Of which: the JSON parse alone.
void BM_parse_json_text_only(benchmark::State& state) {
  const std::string text = synthetic_index().dump();
  for (auto _ : state) benchmark::DoNotOptimize(Json::parse(text));
}
BENCHMARK(BM_parse_json_text_only)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
