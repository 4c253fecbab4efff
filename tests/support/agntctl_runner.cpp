// SPDX-License-Identifier: MIT
#include "support/agntctl_runner.h"

#include "common/files.h"

namespace agntos::testing {

Json CliResult::json() const {
  try {
    return Json::parse(out);
  } catch (const std::exception&) {
    return nullptr;
  }
}

std::filesystem::path agntctl_binary() { return AGNTCTL_BINARY; }
std::filesystem::path source_dir() { return AGNTOS_SOURCE_DIR; }

AgntctlEnv::AgntctlEnv() {
  make_directories(config_dir());
  make_directories(state_dir());
}

void AgntctlEnv::use_profile_backend() {
  // The confirm-or-revert timer is off here; agntctl_confirm_test.cpp turns it on. lib = "none":
  // the builtin evaluator, whatever NIX_PATH holds; agntctl_options_test.cpp sets a nixpkgs lib.
  write_file_atomic(config_dir() / "agntos.toml", "[rebuild]\nbackend = \"profile\"\nconfirm_classes = []\n[rebuild.profile]\npath = \"" +
                                                      profile().string() + "\"\npkgs = \"" +
                                                      (source_dir() / "nix" / "demo-pkgs").string() + "\"\nlib = \"none\"\n");
  env["NIX_CONFIG"] = "substituters =";
}

std::map<std::string, std::string> AgntctlEnv::environment() const {
  auto variables = env;
  // Defaults for the dirs; a test's own `env` entry wins.
  variables.try_emplace("AGNTOS_CONFIG_DIR", config_dir().string());
  variables.try_emplace("AGNTOS_STATE_DIR", state_dir().string());
  variables.try_emplace("AGNTOS_DATA_DIR", source_dir().string());
  variables.try_emplace("AGNTOS_SOCKET", (m_root / "agntd.sock").string());
  variables.try_emplace("XDG_CONFIG_HOME", (m_root / "xdg-config").string());
  return variables;
}

CliResult AgntctlEnv::run(const std::vector<std::string>& args, const std::optional<std::string>& stdin_text,
                          std::chrono::milliseconds timeout) const {
  std::vector<std::string> argv{agntctl_binary().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  ProcessOptions options;
  options.env_set = environment();
  options.env_unset = {"CI_NO_SUCH_VARIABLE"};
  options.stdin_text = stdin_text;
  options.timeout = timeout;
  const auto result = run_process(argv, options);
  return CliResult{result.exit_code, result.out, result.err};
}

}  // namespace agntos::testing
