// SPDX-License-Identifier: MIT
#pragma once
// NixOS itself: its version and the generations of the system profile.
//
// Readers take a `root` (default "/") and read <root>/proc/..., <root>/sys/..., <root>/etc/...,
// so tests can feed a fake tree; they never throw for a missing or odd file (an unknown fact is
// empty, zero, nullopt or an empty list). The parse_* functions take the file's text and are pure.

#include <filesystem>
#include <optional>
#include <string>

#include "common/system/generations.h"
#include "common/system/os.h"

namespace agntos {

namespace fs = std::filesystem;

struct NixosInfo {
  OsRelease os;
  std::optional<std::string> version;  // VERSION_ID, else <root>/run/current-system/nixos-version
  ProfileGenerations system;           // <root>/nix/var/nix/profiles/system
};
// Meaningful when os.is_nixos(); elsewhere version and generations are usually empty.
NixosInfo read_nixos_info(const fs::path& root = "/");

}  // namespace agntos
