// SPDX-License-Identifier: MIT
#pragma once
// Generated inputs of the benchmarks, cached under a data dir between runs (scripts/bench:
// build-perf/bench-data). Each generator builds its output in a temporary sibling and renames
// it into place when complete, so an interrupted run leaves nothing half-made behind; a
// generator whose output exists returns at once. The data is deterministic: the same sizes
// give the same files on every machine.

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace agntos::bench {

// A config dir whose audit.jsonl holds `entries` realistic entries (applies, undos, generic
// tool entries; prompts in plain words, a few thousand distinct packages). Exactly one entry,
// in the middle, says "quasar telescope".
std::filesystem::path audit_config(const std::filesystem::path& data, size_t entries);

// A package set of `attributes` attributes, shaped like nixpkgs' top level (real names among
// generated ones such as "python3-fooBar", "libqux"), as a directory with default.nix.
// firefox, htop and ripgrep are in it; "firefx" is not.
std::filesystem::path package_set(const std::filesystem::path& data, size_t attributes);

// A config dir with a git history of `commits` commits (packages added and removed one at a
// time, as applies make them) and an audit.jsonl of `entries` entries.
std::filesystem::path history_config(const std::filesystem::path& data, size_t commits, size_t entries);

// A state dir whose sessions.db holds `messages` messages in sessions of 40, in plain words.
std::filesystem::path session_state(const std::filesystem::path& data, size_t messages);

// "1k", "10k", "1M" for 1000, 10000, 1000000.
std::string short_count(size_t count);

}  // namespace agntos::bench
