// SPDX-License-Identifier: MIT
#include "agntctl/pipeline/package_names.h"

#include <algorithm>
#include <system_error>

#include "agntctl/pipeline/backend.h"
#include "agntctl/pipeline/nix_run.h"
#include "common/error.h"
#include "common/files.h"
#include "common/json.h"
#include "common/sha256.h"
#include "common/text.h"

namespace agntctl {
namespace {

namespace fs = std::filesystem;

// Bump with any change to what nix/lib/attr-names.nix lists: the cached lists become unused.
constexpr const char* kListingVersion = "attr-names 1";
// Cached lists kept: one per nixpkgs revision recently used (a channel update adds one).
constexpr size_t kCachedLists = 3;

// The store path `package_set` resolves to, or "" when it is not in the Nix store (and so may
// change under the same name).
std::string store_path_of(const fs::path& package_set) {
  std::error_code ec;
  const fs::path resolved = fs::canonical(package_set, ec);
  if (ec) return "";
  const std::string text = resolved.string();
  return text.starts_with("/nix/store/") ? text : "";
}

fs::path cache_file(const agntos::Paths& paths, const std::string& store_path) {
  return paths.state_dir / "package-names" / (agntos::sha256_hex(std::string(kListingVersion) + "\n" + store_path) + ".txt");
}

// Keeps the newest kCachedLists files of the cache dir.
void prune(const fs::path& dir) {
  std::error_code ec;
  std::vector<std::pair<fs::file_time_type, fs::path>> files;
  for (const auto& file : fs::directory_iterator(dir, ec)) files.emplace_back(file.last_write_time(ec), file.path());
  if (files.size() <= kCachedLists) return;
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t i = kCachedLists; i < files.size(); ++i) fs::remove(files[i].second, ec);
}

std::string evaluate_names(const agntos::Paths& paths, const std::string& package_set, const agntos::NixEnvironment& nix) {
  const auto result = run_nix(nix, {"nix-instantiate", "--eval", "--strict", "--json",
                                    (nix_data_dir(paths) / "lib" / "attr-names.nix").string(), "--argstr", "pkgs", package_set});
  if (!result.ok())
    throw agntos::Error(agntos::Errc::validation, "cannot list the package set " + package_set + ":\n" + agntos::trim(result.err));
  auto names = agntos::parse_json(result.out, "package list").get<std::vector<std::string>>();
  std::sort(names.begin(), names.end());
  return agntos::join(names, "\n") + "\n";
}

}  // namespace

PackageNames PackageNames::load(const agntos::Paths& paths, const std::string& package_set, const agntos::NixEnvironment& nix) {
  PackageNames names;
  const std::string store_path = store_path_of(nix.package_set_path);
  const fs::path cached = store_path.empty() ? fs::path() : cache_file(paths, store_path);
  if (!cached.empty()) {
    try {
      if (auto text = agntos::read_file_if_exists(cached); text && (text->empty() || text->back() == '\n')) {
        names.m_text = std::move(*text);
        names.m_from_cache = true;
      }
    } catch (const agntos::Error&) {
      // Unreadable: evaluate instead.
    }
  }
  if (!names.m_from_cache) {
    names.m_text = evaluate_names(paths, package_set, nix);
    if (!cached.empty()) {
      try {
        agntos::make_directories(cached.parent_path(), 0700);
        agntos::write_file_atomic(cached, names.m_text, 0600);
        prune(cached.parent_path());
      } catch (const std::exception&) {
        // No usable state dir: the next propose evaluates again.
      }
    }
  }
  for (size_t start = 0; start < names.m_text.size();) {
    const size_t end = names.m_text.find('\n', start);
    if (end == std::string::npos) break;
    if (end > start) names.m_names.emplace_back(names.m_text.data() + start, end - start);
    start = end + 1;
  }
  return names;
}

bool PackageNames::contains(std::string_view name) const {
  return std::binary_search(m_names.begin(), m_names.end(), name);
}

std::vector<std::string> PackageNames::closest(std::string_view name) const { return closest_names(name, m_names); }

std::vector<std::string> closest_names(std::string_view name, const std::vector<std::string_view>& candidates) {
  std::vector<std::pair<size_t, std::string_view>> scored;
  const std::string lower = agntos::to_lower(name);
  for (const auto candidate : candidates) {
    const std::string other = agntos::to_lower(candidate);
    size_t distance = agntos::edit_distance(lower, other);
    if (other.find(lower) != std::string::npos || lower.find(other) != std::string::npos) distance = std::min<size_t>(distance, 2);
    if (distance <= std::max<size_t>(2, lower.size() / 3)) scored.emplace_back(distance, candidate);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> names;
  for (size_t i = 0; i < scored.size() && i < 3; ++i) names.emplace_back(scored[i].second);
  return names;
}

}  // namespace agntctl
