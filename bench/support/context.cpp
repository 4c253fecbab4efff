// SPDX-License-Identifier: MIT
#include "support/context.h"

#include <atomic>

namespace agntos::bench {

namespace fs = std::filesystem;

fs::path Context::fresh_dir(const std::string& name) const {
  static std::atomic<int> counter{0};
  const fs::path dir = scratch / (name + "-" + std::to_string(counter++));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

fs::path Context::nix_shim_dir() const {
  const fs::path dir = scratch / "nix-shim";
  if (!fs::exists(dir)) {
    fs::create_directories(dir);
    for (const char* name : {"nix-build", "nix-instantiate", "nix-env", "nix-store", "nix"})
      fs::create_symlink(nix_timer, dir / name);
  }
  return dir;
}

std::map<std::string, std::string> Context::agntctl_env(const fs::path& config, const fs::path& state) const {
  return {{"AGNTOS_CONFIG_DIR", config.string()},
          {"AGNTOS_STATE_DIR", state.string()},
          {"AGNTOS_DATA_DIR", source_dir.string()},
          {"XDG_CONFIG_HOME", (state / "xdg").string()}};
}

}  // namespace agntos::bench
