// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include "common/files.h"
#include "common/system/os.h"
#include "support/agntctl_runner.h"

namespace agntos::testing {
namespace {

namespace fs = std::filesystem;

TEST(AgntctlInspect, SystemJsonHasEveryKey) {
  AgntctlEnv env;
  const auto result = env.run({"inspect", "system", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto json = result.json();
  for (const char* key : {"hostname", "os", "kernel", "cpu", "memory", "disks", "network", "uptime_seconds"})
    EXPECT_TRUE(json.contains(key)) << key << " missing in " << result.out;
  EXPECT_FALSE(json["hostname"].get<std::string>().empty());
  EXPECT_GT(json["cpu"]["threads"].get<int>(), 0);
  EXPECT_GT(json["memory"]["total_bytes"].get<unsigned long long>(), 0u);
  EXPECT_TRUE(json["disks"].is_array());
  for (const auto& interface : json["network"]) EXPECT_NE(interface["name"], "lo");
}

TEST(AgntctlInspect, SystemIsTheDefaultAndItsTextIsCompact) {
  AgntctlEnv env;
  const auto result = env.run({"inspect"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_LT(result.out.size(), 300u) << result.out;
  EXPECT_EQ(result.out.rfind("host ", 0), 0u) << result.out;
  EXPECT_NE(result.out.find("\ncpu "), std::string::npos) << result.out;
  EXPECT_NE(result.out.find(" · mem "), std::string::npos) << result.out;
  EXPECT_EQ(env.run({"inspect", "system"}).out.substr(0, 5), "host ");
}

TEST(AgntctlInspect, HardwareTargetsAnswerInJson) {
  AgntctlEnv env;
  const std::vector<std::pair<std::string, std::vector<std::string>>> targets{
      {"cpu", {"model", "vendor", "cores", "threads", "mhz", "load_average", "flags_count"}},
      {"memory", {"total_bytes", "available_bytes", "free_bytes", "buffers_bytes", "cached_bytes", "swap_total_bytes",
                  "swap_free_bytes"}},
      {"gpu", {"gpus", "count", "message"}},
      {"disk", {"disks", "count"}},
      {"network", {"interfaces", "default_route"}},
      {"services", {"available", "message", "failed_units", "count"}},
  };
  for (const auto& [target, keys] : targets) {
    const auto result = env.run({"inspect", target, "--json"});
    ASSERT_EQ(result.exit_code, 0) << target << ": " << result.err;
    const auto json = result.json();
    for (const auto& key : keys) EXPECT_TRUE(json.contains(key)) << target << " lacks " << key << ": " << result.out;
    EXPECT_EQ(env.run({"inspect", target}).exit_code, 0) << target;
  }
  const auto gpu = env.run({"inspect", "gpu", "--json"}).json();
  if (gpu["count"] == 0) {
    EXPECT_EQ(gpu["message"].get<std::string>().rfind("no GPU found", 0), 0u);
  }
  const auto network = env.run({"inspect", "network", "--json"}).json();
  bool has_loopback = false;
  for (const auto& interface : network["interfaces"]) has_loopback = has_loopback || interface["loopback"].get<bool>();
  EXPECT_TRUE(has_loopback) << network.dump();
}

TEST(AgntctlInspect, NixosOnAnotherDistributionSaysSoAndExitsZero) {
  if (read_os_release().is_nixos()) GTEST_SKIP() << "this machine runs NixOS";
  AgntctlEnv env;
  const auto result = env.run({"inspect", "nixos", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto json = result.json();
  EXPECT_EQ(json["nixos"], false);
  EXPECT_EQ(json["message"].get<std::string>().rfind("not NixOS: ", 0), 0u) << result.out;
  EXPECT_EQ(json["rebuild_backend"], "nixos");
  EXPECT_TRUE(json["profile"].is_null());
  const auto text = env.run({"inspect", "nixos"});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_EQ(text.out.rfind("not NixOS (", 0), 0u) << text.out;
  EXPECT_NE(text.out.find("rebuild backend: nixos"), std::string::npos) << text.out;
}

TEST(AgntctlInspect, NixosListsTheProfileGenerationsOfTheProfileBackend) {
  if (read_os_release().is_nixos()) GTEST_SKIP() << "this machine runs NixOS";
  AgntctlEnv env;
  const auto profile_dir = env.state_dir() / "profile";
  fs::create_directories(profile_dir);
  for (const char* link : {"system-1-link", "system-2-link", "system-3-link"})
    fs::create_symlink("/nix/store/xxx-agntos-system", profile_dir / link);
  fs::create_symlink("system-2-link", profile_dir / "system");
  write_file_atomic(env.config_dir() / "agntos.toml", "[rebuild]\nbackend = \"profile\"\n");
  write_file_atomic(env.config_dir() / "flake-info", "  /etc/agntos#demo\n");

  const auto result = env.run({"inspect", "nixos", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto json = result.json();
  EXPECT_EQ(json["nixos"], false);
  EXPECT_EQ(json["rebuild_backend"], "profile");
  EXPECT_EQ(json["flake"], "/etc/agntos#demo");
  EXPECT_EQ(json["flake_source"], "flake-info");
  EXPECT_EQ(json["profile"]["current_generation"], 2);
  ASSERT_EQ(json["profile"]["generations"].size(), 3u);
  EXPECT_EQ(json["profile"]["generations"][1]["number"], 2);
  EXPECT_EQ(json["profile"]["generations"][1]["current"], true);
  const auto text = env.run({"inspect", "nixos"}).out;
  EXPECT_NE(text.find("rebuild backend: profile"), std::string::npos) << text;
  EXPECT_NE(text.find("generation 2 current"), std::string::npos) << text;
}

TEST(AgntctlInspect, NixosReportsAMalformedSettingsFileBesideTheFacts) {
  AgntctlEnv env;
  write_file_atomic(env.config_dir() / "agntos.toml", "[rebuild\n");
  const auto result = env.run({"inspect", "nixos", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto json = result.json();
  EXPECT_TRUE(json["settings_error"].is_string()) << result.out;
  EXPECT_TRUE(json["rebuild_backend"].is_null());
  EXPECT_FALSE(json["os"].get<std::string>().empty());
}

TEST(AgntctlInspect, AgntosListsModulesAndProposalsAndSurvivesAMalformedOne) {
  AgntctlEnv env;
  write_file_atomic(env.config_dir() / "packages/htop.nix", "{ pkgs, ... }: { environment.systemPackages = [ pkgs.htop ]; }\n",
                    0644, MakeParents::yes);
  write_file_atomic(env.config_dir() / "services/openssh.nix", "{ services.openssh.enable = true; }\n", 0644,
                    MakeParents::yes);
  write_file_atomic(env.config_dir() / "packages/README", "not a module\n");
  write_file_atomic(env.config_dir() / "proposals/p-1a2b.json",
                    R"({"id":"p-1a2b","created_at":"2026-11-24T10:00:00.123Z","summary":"Install package: btop",)"
                    R"("changes":[{"path":"packages/btop.nix","action":"write","content":"{ }","expected_hash":null}]})",
                    0644, MakeParents::yes);
  write_file_atomic(env.config_dir() / "proposals/p-broken.json", "{\"id\": ");
  write_file_atomic(env.config_dir() / "models.toml", "[default]\nprovider = \"offline\"\n");

  const auto result = env.run({"inspect", "agntos", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto json = result.json();
  EXPECT_EQ(json["exists"], true);
  EXPECT_EQ(json["modules"]["packages"], Json::array({"htop"}));
  EXPECT_EQ(json["modules"]["services"], Json::array({"openssh"}));
  EXPECT_EQ(json["modules"]["home"], Json::array());
  ASSERT_EQ(json["proposals"].size(), 2u);
  EXPECT_EQ(json["proposals"][0]["id"], "p-1a2b");
  EXPECT_EQ(json["proposals"][0]["summary"], "Install package: btop");
  EXPECT_TRUE(json["proposals"][0]["error"].is_null());
  EXPECT_EQ(json["proposals"][1]["id"], "p-broken");
  EXPECT_TRUE(json["proposals"][1]["error"].is_string());
  EXPECT_EQ(json["files"]["models.toml"], true);
  EXPECT_EQ(json["files"]["agntos.toml"], false);
  EXPECT_EQ(json["audit_entries"], 0);
  EXPECT_EQ(json["git"], false);

  const auto text = env.run({"inspect", "agntos"});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("htop"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("p-broken  error:"), std::string::npos) << text.out;
}

TEST(AgntctlInspect, AgntosWithoutAConfigDirSaysNothingIsManaged) {
  AgntctlEnv env;
  const auto missing = env.root() / "no-such-config";
  const auto result = env.run({"inspect", "agntos", "--json", "--config-dir", missing.string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.json()["exists"], false);
  EXPECT_EQ(result.json()["message"], "config dir " + missing.string() + " does not exist; nothing managed yet");
  EXPECT_FALSE(fs::exists(missing));
}

TEST(AgntctlInspect, UnknownTargetIsAUsageErrorListingTheTargets) {
  AgntctlEnv env;
  const auto result = env.run({"inspect", "toaster", "--json"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.json()["error"]["code"], "usage");
  for (const char* target : {"system", "cpu", "nixos", "agntos", "services"})
    EXPECT_NE(result.err.find(target), std::string::npos) << result.err;
}

}  // namespace
}  // namespace agntos::testing
