// SPDX-License-Identifier: MIT
#pragma once
// Runs the real agntctl binary with its config and state dirs in a temporary directory.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/process.h"
#include "support/temp_dir.h"

namespace agntos::testing {

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
  // stdout parsed as JSON (null when it is not JSON).
  Json json() const;
};

class AgntctlEnv {
public:
  AgntctlEnv();
  std::filesystem::path config_dir() const { return m_root / "config"; }
  std::filesystem::path state_dir() const { return m_root / "state"; }
  std::filesystem::path root() const { return m_root.path(); }

  // Writes agntos.toml for the profile backend with the demo package set and no
  // confirm-or-revert timer, and sets NIX_CONFIG so Nix does not try binary caches (the tests
  // run without network).
  void use_profile_backend();
  std::filesystem::path profile() const { return state_dir() / "profile" / "system"; }

  CliResult run(const std::vector<std::string>& args, const std::optional<std::string>& stdin_text = std::nullopt,
                std::chrono::milliseconds timeout = std::chrono::seconds(120)) const;
  // Extra environment for every run (e.g. PATH without nixos-rebuild); an entry here also
  // overrides the dirs above (AGNTOS_CONFIG_DIR, AGNTOS_STATE_DIR, AGNTOS_DATA_DIR, ...).
  std::map<std::string, std::string> env;
  // The variables every run sets: the dirs above, the socket, XDG_CONFIG_HOME, then `env`.
  std::map<std::string, std::string> environment() const;

private:
  TempDir m_root;
};

// The path of the agntctl binary under test, and the source tree (for nix/).
std::filesystem::path agntctl_binary();
std::filesystem::path source_dir();

}  // namespace agntos::testing
