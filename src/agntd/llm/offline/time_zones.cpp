// SPDX-License-Identifier: MIT
#include "agntd/llm/offline/time_zones.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "agntd/llm/offline/words.h"
#include "common/text.h"

namespace agntd::offline {
namespace {

namespace fs = std::filesystem;

std::optional<fs::path> tzdata_dir() {
  std::vector<fs::path> candidates;
  if (const char* dir = std::getenv("TZDIR"); dir && *dir) candidates.emplace_back(dir);
  for (const char* dir : {"/usr/share/zoneinfo", "/etc/zoneinfo", "/run/current-system/sw/share/zoneinfo"})
    candidates.emplace_back(dir);
  for (const auto& dir : candidates) {
    std::error_code ec;
    if (fs::is_directory(dir, ec)) return dir;
  }
  return std::nullopt;
}

bool is_tzif(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  char magic[4] = {};
  return in.read(magic, 4) && std::string_view(magic, 4) == "TZif";
}

std::vector<std::string> zone_names(const fs::path& root) {
  std::vector<std::string> names;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const auto relative = it->path().lexically_relative(root).string();
    if (it->is_directory(ec)) {
      if (relative == "posix" || relative == "right" || relative == "Etc/posix") it.disable_recursion_pending();
      continue;
    }
    if (it.depth() > 2 || !it->is_regular_file(ec)) continue;
    const auto name = it->path().filename().string();
    if (name.empty() || !std::isupper(static_cast<unsigned char>(name[0]))) continue;
    if (is_tzif(it->path())) names.push_back(relative);
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string last_part(const std::string& zone) {
  const auto slash = zone.rfind('/');
  return slash == std::string::npos ? zone : zone.substr(slash + 1);
}

}  // namespace

TimeZoneMatch find_time_zone(std::string_view words) {
  TimeZoneMatch match;
  std::string wanted = agntos::to_lower(agntos::trim(words));
  std::replace(wanted.begin(), wanted.end(), ' ', '_');
  if (wanted == "utc" || wanted == "gmt" || wanted == "zulu" || wanted == "universal") wanted = "utc";
  const auto root = tzdata_dir();
  if (!root) {
    match.have_tzdata = false;
    return match;
  }
  const auto names = zone_names(*root);
  for (const auto& name : names)
    if (agntos::to_lower(name) == wanted) {
      match.zone = name;
      return match;
    }
  std::vector<std::string> by_city;
  for (const auto& name : names)
    if (name.find('/') != std::string::npos && agntos::to_lower(last_part(name)) == wanted) by_city.push_back(name);
  // A city listed under several regions (US/Eastern style aliases) is taken from the
  // region-first names, which are the canonical ones.
  std::erase_if(by_city, [&](const std::string& name) {
    return by_city.size() > 1 && (name.starts_with("US/") || name.starts_with("Canada/") || name.starts_with("Etc/"));
  });
  if (by_city.size() == 1) {
    match.zone = by_city.front();
    return match;
  }
  std::vector<std::pair<size_t, std::string>> scored;
  for (const auto& name : names) {
    const auto distance = std::min(typo_distance(wanted, agntos::to_lower(name)),
                                   typo_distance(wanted, agntos::to_lower(last_part(name))));
    if (distance <= std::max<size_t>(2, wanted.size() / 4)) scored.emplace_back(distance, name);
  }
  for (const auto& name : by_city) scored.emplace_back(0, name);
  std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [distance, name] : scored) {
    if (match.suggestions.size() == 3) break;
    if (std::find(match.suggestions.begin(), match.suggestions.end(), name) == match.suggestions.end())
      match.suggestions.push_back(name);
  }
  return match;
}

}  // namespace agntd::offline
