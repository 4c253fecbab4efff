// SPDX-License-Identifier: MIT
#include "agntctl/elevation.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "common/error.h"
#include "common/process.h"
#include "common/text.h"

namespace agntctl {
namespace {

namespace fs = std::filesystem;
using agntos::Errc;
using agntos::Error;

}  // namespace

bool needs_elevation(const agntos::Paths& paths, const agntos::Settings& settings) {
  if (::geteuid() == 0 || settings.rebuild.privilege != agntos::RebuildPrivilege::sudo) return false;
  if (settings.rebuild.backend == agntos::RebuildBackend::nixos) return true;
  // A missing folder is made in the config dir, so that is what must be writable then.
  for (const char* kind : agntos::kModuleKinds) {
    const auto dir = paths.config_dir / kind;
    std::error_code ec;
    const auto& written = fs::exists(dir, ec) ? dir : paths.config_dir;
    if (::access(written.c_str(), W_OK) != 0) return true;
  }
  return false;
}

std::vector<std::string> elevated_argv(std::string_view command, const std::vector<std::string>& args, bool json,
                                       const fs::path& config_dir, bool terminal) {
  std::vector<std::string> argv{"sudo"};
  if (!terminal) argv.emplace_back("-n");
  argv.push_back(agntos::current_executable().string());
  argv.emplace_back(command);
  const auto given = [&](std::string_view option) {
    return std::any_of(args.begin(), args.end(), [&](const std::string& arg) {
      return arg == option || (arg.starts_with(option) && arg.size() > option.size() && arg[option.size()] == '=');
    });
  };
  if (json && !given("--json")) argv.emplace_back("--json");
  const bool named = given("--config-dir");
  if (!named && config_dir != fs::path(agntos::kDefaultConfigDir))
    argv.insert(argv.end(), {"--config-dir", fs::absolute(config_dir).string()});
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

void run_elevated(std::string_view command, const std::vector<std::string>& args, bool json,
                  const fs::path& config_dir) {
  const bool terminal = ::isatty(STDIN_FILENO) && ::isatty(STDERR_FILENO);
  const auto argv = elevated_argv(command, args, json, config_dir, terminal);
  const auto sudo = agntos::find_program("sudo");
  const std::string fix =
      "On NixOS add the user to services.agntos.users (the group agntos may run agntctl apply, rollback and confirm "
      "through sudo); elsewhere run the command as root ('sudo agntctl " + std::string(command) +
      " …'), or set [rebuild] privilege = \"none\" in agntos.toml when this user may write the config dir";
  if (!sudo) throw Error(Errc::permission, "this change needs root and sudo is not installed. " + fix);
  if (!terminal) {
    // Asked first, so a missing rule is a clear refusal rather than sudo's one line on stderr.
    std::vector<std::string> check{sudo->string(), "-n", "-l"};
    check.insert(check.end(), argv.begin() + 2, argv.end());
    agntos::ProcessOptions options;
    options.timeout = std::chrono::seconds(30);
    const auto result = agntos::run_process(check, options);
    if (result.exit_code != 0)
      throw Error(Errc::permission, "this change needs root, and sudo does not allow '" + agntos::visible_text(agntos::join({argv.begin() + 2, argv.end()}, " ")) +
                                        "' for this user without a password. " + fix);
  }
  std::vector<char*> raw;
  std::vector<std::string> owned = argv;
  owned.front() = sudo->string();
  for (auto& arg : owned) raw.push_back(arg.data());
  raw.push_back(nullptr);
  ::execv(raw.front(), raw.data());
  throw Error(Errc::permission, "cannot run " + owned.front() + ": " + std::strerror(errno) + ". " + fix);
}

}  // namespace agntctl
