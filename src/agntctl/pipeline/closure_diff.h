// SPDX-License-Identifier: MIT
#pragma once
// What a change does to the system, package by package (SPEC §3.1 step 6): the difference
// between the closure of the running system and that of the built one, like nvd or
// `nix store diff-closures`: packages added, removed and changed (old -> new version), and
// the closure size delta. Read from the store with `nix-store -qR` and `nix-store -q --size`
// (Nix 2.8's stable commands); names and versions are split the way builtins.parseDrvName
// does (the version starts at the first '-' followed by a digit).

#include <optional>
#include <string>
#include <vector>

#include "common/json.h"

namespace agntctl {

struct PackageVersion {
  std::string name;
  std::string version;  // may be empty
};

struct VersionChange {
  std::string name;
  std::string from;
  std::string to;
};

struct ClosureDiff {
  std::vector<PackageVersion> added;
  std::vector<PackageVersion> removed;
  std::vector<VersionChange> changed;
  long long size_delta = 0;  // bytes (NAR size of the closure)

  bool empty() const { return added.empty() && removed.empty() && changed.empty(); }
  agntos::Json to_json() const;
  // "added: btop 1.3.0; removed: -; changed: -; closure +12.3 KiB", or "builds nothing new".
  std::string to_text() const;
};

// `before` is the running system (nullopt: none yet). Throws Error(Errc::failed) when the store
// cannot be queried.
ClosureDiff closure_diff(const std::optional<std::string>& before, const std::string& after);

// parseDrvName: "htop-3.3.0" -> {htop, 3.3.0}; "agntos-system" -> {agntos-system, ""}.
PackageVersion parse_store_name(const std::string& store_path);

}  // namespace agntctl
