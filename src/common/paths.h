// SPDX-License-Identifier: MIT
#pragma once
// Where everything lives (SPEC §2). Every location can be moved by an environment variable so
// that tests and the demo run in temporary directories on any Linux machine.

#include <filesystem>
#include <optional>

namespace agntos {

namespace fs = std::filesystem;

struct Paths {
  fs::path config_dir;       // AGNTOS_CONFIG_DIR or --config-dir, default /etc/agntos
  fs::path state_dir;        // AGNTOS_STATE_DIR, default $XDG_STATE_HOME/agntos
  fs::path socket;           // AGNTOS_SOCKET, default $XDG_RUNTIME_DIR/agntd.sock
  fs::path user_skills_dir;  // $XDG_CONFIG_HOME/agntos/skills
  fs::path data_dir;         // AGNTOS_DATA_DIR: the shipped nix/ and skills/ (source tree or install)

  // Reads the environment; `config_override` (from --config-dir) wins over AGNTOS_CONFIG_DIR.
  static Paths from_environment(const std::optional<fs::path>& config_override = std::nullopt);

  fs::path audit_log() const { return config_dir / "audit.jsonl"; }
  fs::path state_audit_log() const { return state_dir / "audit.jsonl"; }
  // System-change entries that could not be appended to audit_log() (a full disk); the next
  // mutating agntctl run moves them there.
  fs::path deferred_audit_log() const { return state_dir / "audit-deferred.jsonl"; }
  fs::path proposals_dir() const { return config_dir / "proposals"; }
  fs::path settings_file() const { return config_dir / "agntos.toml"; }
  fs::path models_file() const { return config_dir / "models.toml"; }
  fs::path system_skills_dir() const { return config_dir / "skills"; }
  fs::path config_lock() const { return config_dir / ".agntos.lock"; }
  fs::path journal() const { return config_dir / ".agntos-journal.json"; }
  fs::path memory_dir() const { return state_dir / "memory"; }
  fs::path sessions_db() const { return state_dir / "sessions.db"; }
  // (The audit index's file is named with its layout's version: audit_index_file in
  // common/audit_index.h.)
};

// The config dir when neither --config-dir nor AGNTOS_CONFIG_DIR says otherwise.
inline constexpr const char* kDefaultConfigDir = "/etc/agntos";

// The five folders of the config dir that hold Nix modules.
inline constexpr const char* kModuleKinds[] = {"packages", "services", "options", "modules", "home"};

}  // namespace agntos
