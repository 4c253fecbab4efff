// SPDX-License-Identifier: MIT
#pragma once
// The attribute names of a package set (validation step 5: does `pkgs.<name>` exist, and if not,
// which names are close).
//
// Listing them means evaluating the whole set (nix/lib/attr-names.nix): about a quarter of a
// second for nixpkgs' 120,000 attributes. A set in the Nix store never changes, so its sorted
// names are kept in <state>/package-names/<sha256 of the store path and the listing's version>
// and a later propose reads that file instead (docs/BENCHMARKS.md, "propose"). A set outside the
// store (a checkout, the demo set) is evaluated every time, since its files can change. A cache
// file that cannot be read or written is only a slower propose, never an error.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/nix_environment.h"
#include "common/paths.h"

namespace agntctl {

class PackageNames {
public:
  // `package_set` as [rebuild.profile] pkgs or "nixpkgs"; `nix` is the restricted environment
  // that resolves it (its package_set_path). Throws Error(Errc::validation) when Nix cannot
  // list the set.
  static PackageNames load(const agntos::Paths& paths, const std::string& package_set, const agntos::NixEnvironment& nix);

  bool contains(std::string_view name) const;
  // Up to three names closest to `name` (edit distance, then substring).
  std::vector<std::string> closest(std::string_view name) const;
  size_t size() const { return m_names.size(); }
  bool from_cache() const { return m_from_cache; }

private:
  std::string m_text;                   // the names, one per line, sorted
  std::vector<std::string_view> m_names;  // views into m_text
  bool m_from_cache = false;
};

// Up to three of `candidates` closest to `name` (edit distance, then substring).
std::vector<std::string> closest_names(std::string_view name, const std::vector<std::string_view>& candidates);

}  // namespace agntctl
