// SPDX-License-Identifier: MIT
// The NixOS module services.agntos (nix/nixos/module.nix), evaluated with the real NixOS module
// system: lib.evalModules from a nixpkgs lib ($AGNTOS_NIXPKGS_LIB, <nixpkgs/lib>, then
// ../shared/nixpkgs-lib/lib beside the checkout; skipped with a message when there is none)
// and the declarations of the NixOS options it sets (nix/nixos/tests/nixos-options.nix).
// Also: every .nix file of the repository parses, the tmpfiles rules give the promised
// modes on a fake root (real systemd-tmpfiles), and models.toml.example is a valid models.toml.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

#include "common/files.h"
#include "common/json.h"
#include "common/process.h"
#include "common/text.h"
#include "support/agntctl_runner.h"
#include "support/temp_dir.h"

namespace agntos::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kSource = AGNTOS_SOURCE_DIR;

// write_file_atomic with the parent directories created first.
void write(const fs::path& path, std::string_view text, mode_t mode = 0644) {
  make_directories(path.parent_path());
  write_file_atomic(path, text, mode);
}


ProcessResult run(const std::vector<std::string>& argv) {
  ProcessOptions options;
  options.timeout = std::chrono::minutes(2);
  options.env_set["NIX_CONFIG"] = "substituters =";
  return run_process(argv, options);
}

// The nixpkgs lib to evaluate with, in the documented order.
std::optional<fs::path> nixpkgs_lib() {
  std::error_code ec;
  if (const char* dir = std::getenv("AGNTOS_NIXPKGS_LIB"); dir && *dir && fs::exists(fs::path(dir) / "default.nix", ec))
    return fs::path(dir);
  if (const auto found = run({"nix-instantiate", "--find-file", "nixpkgs/lib"}); found.ok())
    return fs::path(std::string(trim(found.out)));
  const auto shared = (kSource / ".." / "shared" / "nixpkgs-lib" / "lib").lexically_normal();
  if (fs::exists(shared / "default.nix", ec)) return shared;
  return std::nullopt;
}

class NixosModule : public ::testing::Test {
protected:
  void SetUp() override {
    lib = nixpkgs_lib();
    if (!lib)
      GTEST_SKIP() << "no nixpkgs lib: set AGNTOS_NIXPKGS_LIB, put nixpkgs on NIX_PATH, or check out the fixture at "
                   << (kSource / ".." / "shared" / "nixpkgs-lib" / "lib").lexically_normal().string()
                   << "; the NixOS module was NOT evaluated";
    // A config tree as the agent leaves it, with files that must not be imported: each of
    // those throws when evaluated.
    const auto& dir = tree.path();
    write(dir / "packages" / "htop.nix", "{ pkgs, ... }: { environment.systemPackages = [ pkgs.htop ]; }\n");
    write(dir / "services" / "tmp.nix", "{ systemd.tmpfiles.rules = [ \"d /var/lib/from-the-tree 0755 root root - -\" ]; }\n");
    write(dir / "packages" / ".hidden.nix", "throw \"a dot-file was imported\"\n");
    write(dir / "modules" / "sub" / "nested.nix", "throw \"a subfolder was imported\"\n");
    write(dir / "modules" / "notes.txt", "throw \"a non-.nix file was imported\"\n");
    write(dir / "proposals" / "p-1.nix", "throw \"proposals/ was imported\"\n");
    write(dir / "home" / "programs-git-userName.nix", "{ programs.git.userName = \"Ada\"; }\n");
  }

  // One scenario of nix/nixos/tests/module-eval.nix.
  ProcessResult evaluate_raw(const std::string& scenario) {
    return run({"nix-instantiate", "--eval", "--strict", "--json", "--read-write-mode",
                (kSource / "nix/nixos/tests/module-eval.nix").string(), "--argstr", "nixpkgsLib", lib->string(),
                "--argstr", "configDir", tree.path().string(), "-A", scenario});
  }
  Json evaluate(const std::string& scenario) {
    const auto result = evaluate_raw(scenario);
    EXPECT_TRUE(result.ok()) << scenario << ": " << result.err;
    return result.ok() ? Json::parse(result.out) : Json::object();
  }

  std::string dir() const { return tree.path().string(); }

  std::optional<fs::path> lib;
  TempDir tree;
};

std::vector<std::string> strings(const Json& list) {
  std::vector<std::string> out;
  for (const auto& item : list) out.push_back(item.get<std::string>());
  return out;
}

const std::string kAgntctl = "/nix/store/00000000000000000000000000000000-agntos-0.1.0/bin/agntctl";

TEST_F(NixosModule, EnabledItCreatesTheGroupTheSudoRuleTheFoldersTheServiceAndThePath) {
  const auto got = evaluate("defaults");
  EXPECT_EQ(got["failedAssertions"], Json::array()) << got.dump(2);
  EXPECT_EQ(got["configDir"], dir());
  EXPECT_EQ(got["groups"], (Json{{"agntos", {{"members", Json::array()}}}}));

  // Exactly apply, rollback and confirm, without a password, never with another config dir.
  EXPECT_EQ(strings(got["sudoers"]),
            std::vector<std::string>{"%agntos\tALL=(root)\tNOPASSWD: " + kAgntctl + " apply *, NOPASSWD: " + kAgntctl +
                                     " rollback *, NOPASSWD: " + kAgntctl + " confirm, NOPASSWD: " + kAgntctl +
                                     " confirm *, !" + kAgntctl + " *--config-dir*"});

  const auto tmpfiles = strings(got["tmpfiles"]);
  const std::vector<std::string> expected_prefix{
      "d /var/lib/from-the-tree 0755 root root - -",  // the tree's own module, imported
      "d " + dir() + " 0750 root agntos - -",
      "d " + dir() + "/packages 0755 root root - -",
      "d " + dir() + "/services 0755 root root - -",
      "d " + dir() + "/options 0755 root root - -",
      "d " + dir() + "/modules 0755 root root - -",
      "d " + dir() + "/home 0755 root root - -",
      "d " + dir() + "/proposals 2770 root agntos - -",
      "f " + dir() + "/.agntos.lock 0660 root agntos - -",
      "f " + dir() + "/audit.jsonl 0640 root agntos - -",
      "L+ " + dir() + "/skills - - - - /nix/store/00000000000000000000000000000000-agntos-0.1.0/share/agntos/skills"};
  ASSERT_EQ(tmpfiles.size(), expected_prefix.size() + 2) << got["tmpfiles"].dump(2);
  EXPECT_EQ(std::vector<std::string>(tmpfiles.begin(), tmpfiles.begin() + static_cast<long>(expected_prefix.size())),
            expected_prefix);
  EXPECT_TRUE(tmpfiles[expected_prefix.size()].starts_with("L+ " + dir() + "/models.toml.example - - - - /nix/store/"));
  EXPECT_TRUE(tmpfiles[expected_prefix.size() + 1].starts_with("L+ " + dir() + "/agntos.toml - - - - /nix/store/"));
  EXPECT_EQ(got["settingsText"],
            "# Generated by the NixOS module services.agntos: set services.agntos.settings instead of editing this "
            "file.\n[rebuild]\nbackend = \"nixos\"\nmode = \"switch\"\n");

  const auto& agntd = got["agntd"];
  EXPECT_EQ(agntd["wantedBy"], Json::array({"default.target"}));
  EXPECT_EQ(agntd["unitConfig"], (Json{{"ConditionGroup", "agntos"}}));
  EXPECT_EQ(agntd["environment"], (Json{{"AGNTOS_CONFIG_DIR", dir()}}));
  EXPECT_EQ(agntd["serviceConfig"]["ExecStart"],
            "/nix/store/00000000000000000000000000000000-agntos-0.1.0/bin/agntd --socket %t/agntd.sock --config-dir " + dir());
  EXPECT_EQ(agntd["serviceConfig"]["UMask"], "0077");
  EXPECT_EQ(agntd["serviceConfig"]["LimitCORE"], "0");
  EXPECT_EQ(agntd["serviceConfig"]["EnvironmentFile"], "-%h/.config/agntos/agntd.env");
  EXPECT_EQ(agntd["path"], Json::array({"agntos-0.1.0", "git-2.47.0", "bubblewrap-0.11.0", "nix-2.24.0", "/run/wrappers"}));

  // The tree's package, then AgntOS and the programs it runs.
  EXPECT_EQ(got["systemPackages"], Json::array({"htop-3.3.0", "agntos-0.1.0", "git-2.47.0", "bubblewrap-0.11.0", "nix-2.24.0"}));
  // home/ is not a NixOS module: without Home Manager it is left out, and the user is told.
  ASSERT_EQ(got["warnings"].size(), 1u) << got.dump(2);
  EXPECT_NE(got["warnings"][0].get<std::string>().find("1 Home Manager module(s) under " + dir() + "/home are not used"),
            std::string::npos);
  EXPECT_EQ(got["homeManagerSharedModules"], nullptr);

  // Every generation links the index of its own options, services.agntos's among them.
  EXPECT_NE(got["extraSystemBuilderCmds"].get<std::string>().find("mkdir -p $out/agntos\nln -s /nix/store/"),
            std::string::npos);
  const auto index = strings(got["optionsIndex"]);
  for (const char* name : {"services.agntos.enable", "services.agntos.rebuild.mode", "security.sudo.extraRules",
                           "systemd.tmpfiles.rules", "users.groups.<name>.members"})
    EXPECT_NE(std::find(index.begin(), index.end(), name), index.end()) << name;
  // Internal options are not in it.
  EXPECT_EQ(std::find(index.begin(), index.end(), "system.extraSystemBuilderCmds"), index.end());
}

TEST_F(NixosModule, UsersFlakeModePasswordAndSettingsReachTheGroupSudoAndAgntosToml) {
  const auto got = evaluate("configured");
  EXPECT_EQ(got["failedAssertions"], Json::array()) << got.dump(2);
  // carol is a member through users.users.carol.extraGroups; alice and bob through the option.
  EXPECT_EQ(got["groups"]["agntos"]["members"], Json::array({"carol", "alice", "bob"}));
  ASSERT_EQ(got["sudoers"].size(), 1u);
  const auto rule = got["sudoers"][0].get<std::string>();
  EXPECT_EQ(rule.find("NOPASSWD"), std::string::npos) << rule;
  EXPECT_NE(rule.find(kAgntctl + " apply *"), std::string::npos) << rule;
  EXPECT_EQ(got["agntd"], nullptr);  // agent.enable = false
  EXPECT_EQ(got["extraSystemBuilderCmds"], "");  // optionsIndex = false
  EXPECT_EQ(got["optionsIndex"], nullptr);
  EXPECT_EQ(got["settingsText"],
            "# Generated by the NixOS module services.agntos: set services.agntos.settings instead of editing this "
            "file.\n[limits]\nmax_rounds = 30\n\n[policy]\nbash_sandbox = \"required\"\n\n[rebuild]\nbackend = "
            "\"nixos\"\nflake = \"/etc/nixos#myhost\"\nmode = \"boot\"\n");
}

TEST_F(NixosModule, ImportedButDisabledItAddsNothingAndTheTreeStillApplies) {
  const auto got = evaluate("disabled");
  EXPECT_EQ(got["groups"], Json::object());
  EXPECT_EQ(got["sudoers"], Json::array());
  EXPECT_EQ(got["tmpfiles"], Json::array({"d /var/lib/from-the-tree 0755 root root - -"}));
  EXPECT_EQ(got["agntd"], nullptr);
  EXPECT_EQ(got["systemPackages"], Json::array({"htop-3.3.0"}));
  EXPECT_EQ(got["extraSystemBuilderCmds"], "");
}

TEST_F(NixosModule, AConfigDirOtherThanTheImportedOneIsRefusedWithTheImportToUse) {
  const auto got = evaluate("movedConfigDir");
  ASSERT_EQ(got["failedAssertions"].size(), 1u) << got.dump(2);
  const auto message = got["failedAssertions"][0].get<std::string>();
  EXPECT_NE(message.find("services.agntos.configDir is \"/srv/agntos\", but this AgntOS module imports the modules under \"" +
                         dir() + "\""),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("agntos.lib.nixosModule { configDir = \"/srv/agntos\"; }"), std::string::npos) << message;
}

TEST_F(NixosModule, WithoutSudoItIsRefused) {
  const auto got = evaluate("noSudo");
  ASSERT_EQ(got["failedAssertions"].size(), 1u) << got.dump(2);
  EXPECT_NE(got["failedAssertions"][0].get<std::string>().find("security.sudo.enable"), std::string::npos);
}

TEST_F(NixosModule, HomeModulesGoToHomeManagerWhenItIsImported) {
  const auto got = evaluate("homeManager");
  EXPECT_EQ(got["homeManagerSharedModules"], Json::array({dir() + "/home/programs-git-userName.nix"}));
  EXPECT_EQ(got["warnings"], Json::array());
}

TEST_F(NixosModule, APureEvaluationFailsWithTheImpureHintOrSkipsWithAWarning) {
  const auto failed = evaluate_raw("pureFail");
  EXPECT_FALSE(failed.ok());
  EXPECT_NE(failed.err.find("this evaluation is pure (a flake without --impure)"), std::string::npos) << failed.err;
  EXPECT_NE(failed.err.find("nixos-rebuild switch --flake <uri> --impure"), std::string::npos) << failed.err;

  const auto skipped = evaluate("pureSkip");
  EXPECT_EQ(skipped["systemPackages"], Json::array({"agntos-0.1.0", "git-2.47.0", "bubblewrap-0.11.0", "nix-2.24.0"}));
  ASSERT_EQ(skipped["warnings"].size(), 1u) << skipped.dump(2);
  EXPECT_NE(skipped["warnings"][0].get<std::string>().find("were not imported"), std::string::npos);
}

// The module's purity test is builtins.currentTime, which Nix defines only in impure mode.
TEST_F(NixosModule, PurityIsWhatTheModuleDetects) {
  const auto pure = run({"nix-instantiate", "--eval", "--option", "pure-eval", "true", "-E", "builtins ? currentTime"});
  ASSERT_TRUE(pure.ok()) << pure.err;
  EXPECT_EQ(trim(pure.out), "false");
  const auto impure = run({"nix-instantiate", "--eval", "-E", "builtins ? currentTime"});
  ASSERT_TRUE(impure.ok()) << impure.err;
  EXPECT_EQ(trim(impure.out), "true");
}

TEST_F(NixosModule, TheShippedModuleUsesEtcAgntos) { EXPECT_EQ(evaluate("shippedDefault"), "/etc/agntos"); }

// The tmpfiles lines applied by real systemd-tmpfiles to a fake root whose /etc/group has
// agntos: the modes and owners are the ones promised, also over files that were wrong before.
TEST_F(NixosModule, TheTmpfilesRulesGiveTheModesOnAFakeRoot) {
  const auto tmpfiles = find_program("systemd-tmpfiles");
  if (!tmpfiles) GTEST_SKIP() << "systemd-tmpfiles is not installed; the tmpfiles rules were NOT applied";
  const auto got = evaluate("defaults");
  TempDir root;
  write(root / "etc/passwd", "root:x:0:0::/root:/bin/sh\n");
  write(root / "etc/group", "root:x:0:\nagntos:x:990:\n");
  // The rules name the test's config dir; on the fake root it sits at the same path.
  const auto config = fs::path(root.path().string() + dir());
  write(config / "audit.jsonl", "", 0666);
  ASSERT_EQ(::chmod(config.c_str(), 0777), 0);
  std::string rules;
  for (const auto& line : got["tmpfiles"]) rules += line.get<std::string>() + "\n";
  write(root / "rules.conf", rules);
  const auto applied = run({tmpfiles->string(), "--create", "--root=" + root.path().string(), (root / "rules.conf").string()});
  ASSERT_TRUE(applied.ok()) << applied.err;

  const auto mode_of = [](const fs::path& path) {
    struct stat st {};
    EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
    return std::pair{static_cast<unsigned>(st.st_mode & 07777), std::pair{st.st_uid, st.st_gid}};
  };
  using Owner = std::pair<uid_t, gid_t>;
  EXPECT_EQ(mode_of(config), (std::pair{0750u, Owner{0, 990}}));
  for (const char* kind : {"packages", "services", "options", "modules", "home"})
    EXPECT_EQ(mode_of(config / kind), (std::pair{0755u, Owner{0, 0}})) << kind;
  EXPECT_EQ(mode_of(config / "proposals"), (std::pair{02770u, Owner{0, 990}}));
  EXPECT_EQ(mode_of(config / ".agntos.lock"), (std::pair{0660u, Owner{0, 990}}));
  EXPECT_EQ(mode_of(config / "audit.jsonl"), (std::pair{0640u, Owner{0, 990}}));
  EXPECT_TRUE(fs::is_symlink(config / "skills"));
  EXPECT_TRUE(fs::is_symlink(config / "agntos.toml"));
  EXPECT_TRUE(fs::is_symlink(config / "models.toml.example"));
  // Nothing the rules made is writable by others.
  for (const auto& entry : fs::recursive_directory_iterator(config)) {
    if (entry.is_symlink()) continue;
    EXPECT_EQ(mode_of(entry.path()).first & 0002, 0u) << entry.path();
  }
}

TEST(NixosFiles, EveryNixFileOfTheRepositoryParses) {
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(kSource); it != fs::recursive_directory_iterator(); ++it) {
    const auto name = it->path().filename().string();
    if (it->is_directory() && (name.starts_with("build") || name.starts_with(".") || name == "result")) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && it->path().extension() == ".nix") files.push_back(it->path());
  }
  EXPECT_GE(files.size(), 12u);
  EXPECT_TRUE(std::find(files.begin(), files.end(), kSource / "flake.nix") != files.end());
  for (const auto& file : files) {
    const auto parsed = run({"nix-instantiate", "--parse", file.string()});
    EXPECT_TRUE(parsed.ok()) << file << ": " << parsed.err;
  }
}

TEST(NixosFiles, ModelsTomlExampleIsAValidModelsFile) {
  AgntctlEnv env;
  write(env.config_dir() / "models.toml", *read_file_if_exists(kSource / "nix/nixos/models.toml.example"));
  const auto listed = env.run({"model", "list", "--json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.out << listed.err;
  EXPECT_NE(listed.out.find("claude"), std::string::npos) << listed.out;
}

}  // namespace
}  // namespace agntos::testing
