// SPDX-License-Identifier: MIT
#include "common/paths.h"

#include <unistd.h>

#include <cstdlib>
#include <string>

#ifndef AGNTOS_SOURCE_DATA_DIR
#define AGNTOS_SOURCE_DATA_DIR ""
#endif
#ifndef AGNTOS_INSTALL_DATA_DIR
#define AGNTOS_INSTALL_DATA_DIR "/usr/share/agntos"
#endif

namespace agntos {
namespace {

std::optional<fs::path> env_path(const char* name) {
  const char* value = std::getenv(name);
  if (!value || !*value) return std::nullopt;
  return fs::path(value);
}

fs::path home_dir() {
  if (auto home = env_path("HOME")) return *home;
  return fs::path("/root");
}

fs::path default_data_dir() {
  if (auto dir = env_path("AGNTOS_DATA_DIR")) return *dir;
  std::error_code ec;
  // Prefer the installed copy; fall back to the source tree a build directory came from.
  if (fs::exists(fs::path(AGNTOS_INSTALL_DATA_DIR) / "nix", ec)) return AGNTOS_INSTALL_DATA_DIR;
  if (*AGNTOS_SOURCE_DATA_DIR && fs::exists(fs::path(AGNTOS_SOURCE_DATA_DIR) / "nix", ec))
    return AGNTOS_SOURCE_DATA_DIR;
  return AGNTOS_INSTALL_DATA_DIR;
}

}  // namespace

Paths Paths::from_environment(const std::optional<fs::path>& config_override) {
  Paths paths;
  paths.config_dir = config_override ? *config_override : env_path("AGNTOS_CONFIG_DIR").value_or(kDefaultConfigDir);
  if (auto state = env_path("AGNTOS_STATE_DIR")) {
    paths.state_dir = *state;
  } else {
    paths.state_dir = env_path("XDG_STATE_HOME").value_or(home_dir() / ".local/state") / "agntos";
  }
  if (auto socket = env_path("AGNTOS_SOCKET")) {
    paths.socket = *socket;
  } else if (auto runtime = env_path("XDG_RUNTIME_DIR")) {
    paths.socket = *runtime / "agntd.sock";
  } else {
    paths.socket = paths.state_dir / "agntd.sock";
  }
  paths.user_skills_dir = env_path("XDG_CONFIG_HOME").value_or(home_dir() / ".config") / "agntos" / "skills";
  paths.data_dir = default_data_dir();
  paths.config_dir = fs::absolute(paths.config_dir).lexically_normal();
  paths.state_dir = fs::absolute(paths.state_dir).lexically_normal();
  return paths;
}

}  // namespace agntos
