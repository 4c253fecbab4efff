// SPDX-License-Identifier: MIT
#include "agntctl/pipeline/closure_diff.h"

#include <cctype>
#include <map>

#include "common/error.h"
#include "common/nix_environment.h"
#include "common/process.h"
#include "common/text.h"

namespace agntctl {
namespace {

using agntos::Errc;
using agntos::Error;
using agntos::Json;

std::vector<std::string> query_lines(const std::vector<std::string>& argv) {
  agntos::ProcessOptions options;
  options.timeout = std::chrono::minutes(2);
  const auto nix = agntos::restricted_nix({});
  nix.apply(options);
  const auto result = agntos::run_process(nix.command(argv), options);
  if (!result.ok()) throw Error(Errc::failed, agntos::join(argv, " ") + " failed: " + agntos::trim(result.err));
  std::vector<std::string> lines;
  for (auto& line : agntos::split_lines(result.out))
    if (!line.empty()) lines.push_back(std::move(line));
  return lines;
}

// name -> versions, and the total size, of a closure.
struct Closure {
  std::map<std::string, std::vector<std::string>> versions;
  long long size = 0;
};

Closure read_closure(const std::string& path) {
  Closure closure;
  const auto paths = query_lines({"nix-store", "--query", "--requisites", path});
  std::vector<std::string> size_query{"nix-store", "--query", "--size"};
  size_query.insert(size_query.end(), paths.begin(), paths.end());
  for (const auto& size : query_lines(size_query)) closure.size += std::stoll(size);
  for (const auto& member : paths) {
    if (member == path) continue;  // the system itself: its own name says nothing
    const auto package = parse_store_name(member);
    closure.versions[package.name].push_back(package.version);
  }
  return closure;
}

std::string human_size(long long bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB"};
  double value = static_cast<double>(bytes < 0 ? -bytes : bytes);
  int unit = 0;
  while (value >= 1024 && unit < 3) {
    value /= 1024;
    ++unit;
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, unit == 0 ? "%s%.0f %s" : "%s%.1f %s", bytes < 0 ? "-" : "+", value, units[unit]);
  return buffer;
}

}  // namespace

PackageVersion parse_store_name(const std::string& store_path) {
  std::string name = store_path.substr(store_path.rfind('/') + 1);
  if (name.size() > 33 && name[32] == '-') name = name.substr(33);  // the hash
  for (size_t at = name.find('-'); at != std::string::npos; at = name.find('-', at + 1))
    if (at + 1 < name.size() && std::isdigit(static_cast<unsigned char>(name[at + 1])))
      return PackageVersion{name.substr(0, at), name.substr(at + 1)};
  return PackageVersion{name, ""};
}

ClosureDiff closure_diff(const std::optional<std::string>& before, const std::string& after) {
  const Closure old_closure = before ? read_closure(*before) : Closure{};
  const Closure new_closure = read_closure(after);
  auto joined = [](const std::vector<std::string>& versions) { return agntos::join(versions, ", "); };
  ClosureDiff diff;
  for (const auto& [name, versions] : new_closure.versions) {
    const auto old = old_closure.versions.find(name);
    if (old == old_closure.versions.end()) diff.added.push_back(PackageVersion{name, joined(versions)});
    else if (old->second != versions) diff.changed.push_back(VersionChange{name, joined(old->second), joined(versions)});
  }
  for (const auto& [name, versions] : old_closure.versions)
    if (!new_closure.versions.count(name)) diff.removed.push_back(PackageVersion{name, joined(versions)});
  diff.size_delta = new_closure.size - old_closure.size;
  return diff;
}

Json ClosureDiff::to_json() const {
  Json added_json = Json::array();
  for (const auto& package : added) added_json.push_back(Json{{"name", package.name}, {"version", package.version}});
  Json removed_json = Json::array();
  for (const auto& package : removed) removed_json.push_back(Json{{"name", package.name}, {"version", package.version}});
  Json changed_json = Json::array();
  for (const auto& change : changed) changed_json.push_back(Json{{"name", change.name}, {"from", change.from}, {"to", change.to}});
  return Json{{"added", added_json}, {"removed", removed_json}, {"changed", changed_json}, {"size_delta", size_delta},
              {"text", to_text()}};
}

std::string ClosureDiff::to_text() const {
  if (empty()) return "builds nothing new: no package is added, removed or changed (closure " + human_size(size_delta) + ")";
  std::string text;
  auto with_version = [](const PackageVersion& package) {
    return package.version.empty() ? package.name : package.name + " " + package.version;
  };
  for (const auto& package : added) text += "  + " + with_version(package) + "\n";
  for (const auto& package : removed) text += "  - " + with_version(package) + "\n";
  for (const auto& change : changed) text += "  ~ " + change.name + " " + change.from + " -> " + change.to + "\n";
  return "packages:\n" + text + "closure " + human_size(size_delta);
}

}  // namespace agntctl
