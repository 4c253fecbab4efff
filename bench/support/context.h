// SPDX-License-Identifier: MIT
#pragma once
// What every row of the benchmark needs: the binaries, the cached data dir, a scratch dir
// for this run, the number of timed runs, and the Nix timing shim (nix_timer.cpp).

#include <filesystem>
#include <map>
#include <string>

namespace agntos::bench {

struct Context {
  std::filesystem::path agntctl;
  std::filesystem::path agntd;
  std::filesystem::path nix_timer;
  std::filesystem::path source_dir;  // the repository (nix/demo-pkgs)
  std::filesystem::path data;        // cached generated data
  std::filesystem::path scratch;     // this run's temporary dirs (removed at the end)
  int runs = 30;
  bool quick = false;  // smaller sizes and fewer runs (a smoke test of the script)

  // A fresh directory under `scratch`.
  std::filesystem::path fresh_dir(const std::string& name) const;
  // A directory of symlinks to nix_timer named like Nix's programs (created once).
  std::filesystem::path nix_shim_dir() const;
  // The environment agntctl runs in for a config and a state dir.
  std::map<std::string, std::string> agntctl_env(const std::filesystem::path& config,
                                                 const std::filesystem::path& state) const;
};

}  // namespace agntos::bench
