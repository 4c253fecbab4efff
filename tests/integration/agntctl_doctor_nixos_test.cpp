// SPDX-License-Identifier: MIT
// agntctl doctor's NixOS checks (the services.agntos module): skipped, and said so, on a machine
// that is not NixOS; on a fake NixOS root (AGNTOS_DOCTOR_ROOT) each check passes when the
// module's work is there and names the problem and its fix when it is not. Runs as root, so
// the sudo rule is read from the fake root's etc/sudoers.
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "common/files.h"
#include "support/agntctl_runner.h"
#include "support/temp_dir.h"

namespace agntos::testing {
namespace {

namespace fs = std::filesystem;

constexpr gid_t kAgntosGid = 990;

// write_file_atomic with the parent directories created first.
void write(const fs::path& path, std::string_view text, mode_t mode = 0644) {
  make_directories(path.parent_path());
  write_file_atomic(path, text, mode);
}


class DoctorNixos : public ::testing::Test {
protected:
  void SetUp() override {
    env.use_profile_backend();
    ASSERT_EQ(::chmod(env.state_dir().c_str(), 0700), 0);
    env.env["AGNTOS_DOCTOR_ROOT"] = root.path().string();
  }

  // A fake NixOS root with what services.agntos produces, and the config dir as its tmpfiles
  // rules leave it.
  void install_module() {
    write(root / "etc/NIXOS", "");
    write(root / "etc/group", "root:x:0:\nwheel:x:1:alice\nagntos:x:990:alice,bob\n");
    write(root / "etc/sudoers",
                      "root        ALL=(ALL:ALL) SETENV: ALL\n"
                      "%agntos\tALL=(root)\tNOPASSWD: /nix/store/x-agntos/bin/agntctl apply *, NOPASSWD: "
                      "/nix/store/x-agntos/bin/agntctl rollback *, NOPASSWD: /nix/store/x-agntos/bin/agntctl confirm, "
                      "NOPASSWD: /nix/store/x-agntos/bin/agntctl confirm *, !/nix/store/x-agntos/bin/agntctl *--config-dir*\n",
                      0440);
    write(root / "etc/systemd/user/agntd.service", "[Unit]\nDescription=AgntOS agent daemon\n");
    write(root / "run/current-system/agntos/options.json",
                      R"([{"name":"networking.hostName","type":"string"},{"name":"time.timeZone","type":"null or string"}])");
    const auto config = env.config_dir();
    set_mode(config, 0, kAgntosGid, 0750);
    for (const char* kind : {"packages", "services", "options", "modules", "home"}) {
      make_directories(config / kind);
      set_mode(config / kind, 0, 0, 0755);
    }
    make_directories(config / "proposals");
    set_mode(config / "proposals", 0, kAgntosGid, 02770);
  }

  static void set_mode(const fs::path& path, uid_t uid, gid_t gid, mode_t mode) {
    ASSERT_EQ(::chown(path.c_str(), uid, gid), 0) << path;
    ASSERT_EQ(::chmod(path.c_str(), mode), 0) << path;
  }

  Json check(const std::string& name) {
    last = env.run({"doctor", "--json"});
    const auto json = last.json();
    EXPECT_TRUE(json.is_object()) << last.out << last.err;
    if (!json.is_object()) return nullptr;
    for (const auto& item : json["checks"])
      if (item["check"] == name) return item;
    return nullptr;
  }

  AgntctlEnv env;
  TempDir root;
  CliResult last;
};

TEST_F(DoctorNixos, OnAMachineThatIsNotNixosTheChecksAreSkippedAndSaySo) {
  const auto item = check("nixos");
  EXPECT_EQ(item["status"], "skip") << item.dump();
  EXPECT_EQ(item["ok"], true);
  EXPECT_EQ(item["hint"], nullptr);
  const auto detail = item["detail"].get<std::string>();
  EXPECT_NE(detail.find("this machine is not NixOS"), std::string::npos) << detail;
  EXPECT_NE(detail.find("were not checked"), std::string::npos) << detail;
  EXPECT_EQ(check("sudo rule"), nullptr);  // nothing is claimed about what was not run
  EXPECT_EQ(last.exit_code, 0) << last.out;
  const auto text = env.run({"doctor"});
  EXPECT_NE(text.out.find("skip  nixos: this machine is not NixOS"), std::string::npos) << text.out;
}

// The real root of this (Debian) machine: no /etc/NIXOS.
TEST_F(DoctorNixos, WithoutTheSeamTheRealRootIsRead) {
  env.env.erase("AGNTOS_DOCTOR_ROOT");
  if (fs::exists("/etc/NIXOS")) GTEST_SKIP() << "this machine is NixOS";
  const auto item = check("nixos");
  EXPECT_EQ(item["status"], "skip") << item.dump();
  EXPECT_NE(item["detail"].get<std::string>().find("no /etc/NIXOS"), std::string::npos) << item.dump();
}

TEST_F(DoctorNixos, WithTheModuleInstalledEveryNixosCheckPasses) {
  install_module();
  for (const char* name : {"nixos", "config dir modes", "sudo rule", "options index", "user service"}) {
    const auto item = check(name);
    EXPECT_EQ(item["status"], "ok") << name << ": " << item.dump();
  }
  EXPECT_NE(check("nixos")["detail"].get<std::string>().find("group agntos: alice, bob"), std::string::npos);
  EXPECT_NE(check("options index")["detail"].get<std::string>().find("(2 options)"), std::string::npos);
  EXPECT_EQ(last.exit_code, 0) << last.out;
}

TEST_F(DoctorNixos, WithoutTheGroupTheModuleIsReportedAsNotEnabled) {
  install_module();
  write(root / "etc/group", "root:x:0:\n");
  const auto item = check("nixos");
  EXPECT_EQ(item["status"], "fail") << item.dump();
  EXPECT_NE(item["detail"].get<std::string>().find("services.agntos is not enabled"), std::string::npos);
  EXPECT_NE(item["hint"].get<std::string>().find("services.agntos.enable = true"), std::string::npos);
  EXPECT_EQ(last.exit_code, 1);
}

TEST_F(DoctorNixos, WrongOwnersAndModesAreNamedWithTheTmpfilesFix) {
  install_module();
  set_mode(env.config_dir() / "proposals", 0, kAgntosGid, 0777);
  set_mode(env.config_dir() / "packages", 1000, 0, 0755);
  const auto item = check("config dir modes");
  EXPECT_EQ(item["status"], "fail") << item.dump();
  const auto detail = item["detail"].get<std::string>();
  EXPECT_NE(detail.find((env.config_dir() / "proposals").string() + " is world-writable (mode 0777)"), std::string::npos)
      << detail;
  EXPECT_NE(detail.find((env.config_dir() / "packages").string() + " is owned by 1000:0, not 0:0"), std::string::npos)
      << detail;
  EXPECT_NE(item["hint"].get<std::string>().find("systemd-tmpfiles --create"), std::string::npos);
}

TEST_F(DoctorNixos, AMissingSudoRuleFailsAndAMissingIndexOrServiceWarns) {
  install_module();
  write(root / "etc/sudoers", "root        ALL=(ALL:ALL) SETENV: ALL\n", 0440);
  fs::remove(root / "run/current-system/agntos/options.json");
  fs::remove(root / "etc/systemd/user/agntd.service");
  const auto sudo = check("sudo rule");
  EXPECT_EQ(sudo["status"], "fail") << sudo.dump();
  EXPECT_NE(sudo["detail"].get<std::string>().find("no rule for the group agntos"), std::string::npos);
  const auto index = check("options index");
  EXPECT_EQ(index["status"], "warn") << index.dump();
  EXPECT_NE(index["detail"].get<std::string>().find("propose skips checking option paths"), std::string::npos);
  const auto service = check("user service");
  EXPECT_EQ(service["status"], "warn") << service.dump();
  EXPECT_NE(service["detail"].get<std::string>().find("agent.enable is false"), std::string::npos);

  write(root / "run/current-system/agntos/options.json", "{not json");
  const auto broken = check("options index");
  EXPECT_EQ(broken["status"], "fail") << broken.dump();
}

}  // namespace
}  // namespace agntos::testing
