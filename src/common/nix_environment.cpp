// SPDX-License-Identifier: MIT
#include "common/nix_environment.h"

#include "common/text.h"

namespace agntos {
namespace {

// /dev/null is not a directory, so "$NIX_CONF_DIR/nix.conf" and "$NIX_CONF_DIR/machines" can
// never exist, whoever can write where. builders is set empty so Nix does not look for the
// machines file at all.
constexpr const char* kNoConfDir = "/dev/null";

// sandbox = false follows Debian's nix.conf: the build sandbox does not work there, and
// validation never builds (import-from-derivation is off); builds happen only after approval.
constexpr const char* kRestrictedSettings =
    "allow-unsafe-native-code-during-evaluation = false\n"
    "restrict-eval = true\n"
    "allowed-uris =\n"
    "allow-import-from-derivation = false\n"
    "substituters =\n"
    "trusted-substituters =\n"
    "builders =\n"
    "sandbox = false\n"
    "nix-path =\n";

// Variables of the caller that would add to or replace what we set.
const std::vector<std::string> kUserVariables = {"NIX_PATH", "NIX_CONFIG", "NIX_USER_CONF_FILES", "NIX_CONF_DIR"};

bool is_absolute(const std::string& spec) { return !spec.empty() && spec[0] == '/'; }

}  // namespace

void NixEnvironment::apply(ProcessOptions& options) const {
  for (const auto& name : env_unset) {
    options.env_set.erase(name);
    options.env_unset.push_back(name);
  }
  for (const auto& [name, value] : env_set) options.env_set[name] = value;
}

std::vector<std::string> NixEnvironment::command(std::vector<std::string> argv) const {
  if (argv.empty()) return argv;
  argv.insert(argv.begin() + 1, args.begin(), args.end());
  return argv;
}

const char* restricted_nix_settings() { return kRestrictedSettings; }

NixEnvironment restricted_nix(const std::vector<std::filesystem::path>& allowed, const std::string& package_set) {
  NixEnvironment nix;
  nix.env_unset = kUserVariables;
  nix.env_set["NIX_CONF_DIR"] = kNoConfDir;
  nix.env_set["NIX_USER_CONF_FILES"] = "";
  nix.env_set["NIX_CONFIG"] = kRestrictedSettings;
  std::error_code ec;
  for (const auto& path : allowed)
    if (!path.empty() && std::filesystem::exists(path, ec)) nix.args.insert(nix.args.end(), {"-I", path.string()});
  if (is_absolute(package_set)) {
    nix.args.insert(nix.args.end(), {"-I", package_set});
    nix.package_set_path = package_set;
  } else if (!package_set.empty()) {
    // A NIX_PATH entry of the caller (the human who started agntd), looked up without any
    // user nix.conf, whose nix-path setting the model could have written.
    std::string name = package_set;
    if (name.size() > 2 && name.front() == '<' && name.back() == '>') name = name.substr(1, name.size() - 2);
    ProcessOptions options;
    options.timeout = std::chrono::seconds(30);
    options.env_set["NIX_USER_CONF_FILES"] = "";
    options.env_unset = {"NIX_CONFIG"};
    try {
      const auto found = run_process({"nix-instantiate", "--find-file", name}, options);
      const auto path = trim(found.out);
      if (found.ok() && is_absolute(path)) {
        nix.args.insert(nix.args.end(), {"-I", name + "=" + path});
        nix.package_set_path = path;
      }
    } catch (const std::exception&) {
      // No Nix: the evaluation itself reports it.
    }
  }
  return nix;
}

NixEnvironment system_nix() {
  NixEnvironment nix;
  nix.env_unset = {"NIX_CONFIG", "NIX_USER_CONF_FILES"};
  nix.env_set["NIX_USER_CONF_FILES"] = "";
  nix.env_set["NIX_CONFIG"] = "allow-unsafe-native-code-during-evaluation = false\n";
  return nix;
}

}  // namespace agntos
