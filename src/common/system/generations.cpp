// SPDX-License-Identifier: MIT
#include "common/system/generations.h"

#include <sys/stat.h>

#include <algorithm>
#include <system_error>

#include "common/system/fact_files.h"
#include "common/text.h"

namespace agntos {

using namespace facts;

std::optional<long> parse_generation_link(std::string_view profile_name, std::string_view link_name) {
  constexpr std::string_view kSuffix = "-link";
  if (link_name.size() <= profile_name.size() + 1 + kSuffix.size()) return std::nullopt;
  if (!starts_with(link_name, profile_name) || link_name[profile_name.size()] != '-') return std::nullopt;
  if (link_name.substr(link_name.size() - kSuffix.size()) != kSuffix) return std::nullopt;
  const auto number = link_name.substr(profile_name.size() + 1, link_name.size() - profile_name.size() - 1 - kSuffix.size());
  if (!all_digits(number)) return std::nullopt;
  return to_number<long>(number);
}

std::optional<long> read_current_generation(const fs::path& profile) {
  std::error_code ec;
  const auto target = fs::read_symlink(profile, ec);
  if (ec) return std::nullopt;
  return parse_generation_link(profile.filename().string(), target.filename().string());
}

ProfileGenerations read_profile_generations(const fs::path& profile) {
  ProfileGenerations result;
  result.profile = profile;
  result.current = read_current_generation(profile);
  const std::string name = profile.filename().string();
  std::error_code ec;
  const fs::path dir = profile.parent_path().empty() ? fs::path(".") : profile.parent_path();
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const auto number = parse_generation_link(name, it->path().filename().string());
    if (!number) continue;
    struct stat st {};
    Generation generation;
    generation.number = *number;
    if (::lstat(it->path().c_str(), &st) == 0) generation.mtime = st.st_mtime;
    generation.current = result.current == *number;
    result.generations.push_back(generation);
  }
  std::sort(result.generations.begin(), result.generations.end(),
            [](const Generation& a, const Generation& b) { return a.number < b.number; });
  return result;
}

}  // namespace agntos
