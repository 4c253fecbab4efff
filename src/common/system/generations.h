// SPDX-License-Identifier: MIT
#pragma once
// The generations of a Nix profile: the "<profile>-<N>-link" symlinks beside the profile link
// (/nix/var/nix/profiles/system-42-link beside .../system), and the one the profile points at.
// The one reader of them: `agntctl inspect nixos` and both rebuild backends use it. Nothing here
// throws: a missing profile has no generations.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agntos {

namespace fs = std::filesystem;

struct Generation {
  long number = 0;
  int64_t mtime = 0;  // seconds since the epoch, from lstat of the link; 0 when it cannot be read
  bool current = false;
};

struct ProfileGenerations {
  fs::path profile;
  std::optional<long> current;          // from readlink(profile): "system-42-link" -> 42
  std::vector<Generation> generations;  // oldest first
};

// 42 for ("system", "system-42-link"); nullopt when the link name has another shape.
std::optional<long> parse_generation_link(std::string_view profile_name, std::string_view link_name);
// The generation the profile link points at; nullopt when there is no link or it points elsewhere.
std::optional<long> read_current_generation(const fs::path& profile);
// The <profile>-<N>-link symlinks beside `profile`, with the current one marked.
ProfileGenerations read_profile_generations(const fs::path& profile);

}  // namespace agntos
