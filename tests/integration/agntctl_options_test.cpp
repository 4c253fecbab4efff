// SPDX-License-Identifier: MIT
// Validation that knows NixOS's options (issue 12 items 3-5), end to end: the real agntctl,
// the profile backend evaluating with the real NixOS module system (nixpkgs lib: the fixture
// ../shared/nixpkgs-lib in CI, see tests/support/nixpkgs_lib.h) and real Nix.
#include <gtest/gtest.h>

#include <cstdlib>

#include "common/files.h"
#include "common/options_index.h"
#include "common/text.h"
#include "support/agntctl_runner.h"
#include "support/nixpkgs_lib.h"

namespace agntos::testing {
namespace {

namespace fs = std::filesystem;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class Options : public ::testing::Test {
protected:
  void SetUp() override {
    lib = nixpkgs_lib();
    if (!lib) GTEST_SKIP() << kNoNixpkgsLib;
    env.use_profile_backend();
    use_lib(lib->string());
  }

  // Replaces the `lib = ...` line of [rebuild.profile].
  void use_lib(const std::string& value) {
    auto text = read_file(env.config_dir() / "agntos.toml");
    const size_t at = text.find("\nlib = ");
    ASSERT_NE(at, std::string::npos) << text;
    text.replace(at + 1, text.find('\n', at + 1) - at - 1, "lib = " + Json(value).dump());
    write_file_atomic(env.config_dir() / "agntos.toml", text);
  }

  CliResult propose(std::vector<std::string> args) {
    args.insert(args.begin(), "propose");
    args.push_back("--json");
    return env.run(args);
  }

  // The content a proposal writes to `path`.
  static std::string written(const CliResult& result, const std::string& path) {
    const Json json = result.json();  // the loop must not run over a temporary's member
    for (const auto& change : json["changes"])
      if (change["path"] == path && change["content"].is_string()) return change["content"].get<std::string>();
    return "";
  }

  static Json check(const CliResult& result, const std::string& name) {
    const Json json = result.json();
    for (const auto& entry : json["validation"]["checks"])
      if (entry["check"] == name) return entry;
    return nullptr;
  }

  void apply(const CliResult& proposed) {
    ASSERT_EQ(proposed.exit_code, 0) << proposed.err;
    const auto applied = env.run({"apply", proposed.json()["id"].get<std::string>(), "--yes"});
    ASSERT_EQ(applied.exit_code, 0) << applied.err;
  }

  std::optional<fs::path> lib;
  AgntctlEnv env;
};

// Done-when 1: before, `enable docker` wrote services.docker.enable with three green checks.
TEST_F(Options, EnableDockerWritesNixosRealOption) {
  const auto result = propose({"enable", "docker"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto content = written(result, "services/docker.nix");
  EXPECT_TRUE(contains(content, "virtualisation.docker.enable = true;")) << content;
  EXPECT_FALSE(contains(content, "services.docker")) << content;
  const auto options = check(result, "options");
  ASSERT_TRUE(options.is_object());
  EXPECT_EQ(options["ok"], true);
  EXPECT_TRUE(contains(options["detail"].get<std::string>(), "virtualisation.docker.enable")) << options.dump();
  EXPECT_TRUE(contains(result.json()["summary"].get<std::string>(), "virtualisation.docker.enable"));
}

// Done-when 2: before, it wrote `the = "timezone to Europe/Berlin";`.
TEST_F(Options, SetTheTimezoneIsRenderedAsTimeTimeZone) {
  const auto result = propose({"set", "the", "timezone", "to", "Europe/Berlin"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(written(result, "options/time-timeZone.nix"),
            "# Managed by AgntOS: set time.timeZone\n{ ... }:\n{\n  time.timeZone = \"Europe/Berlin\";\n}\n");
  EXPECT_EQ(written(result, "options/the.nix"), "");
  EXPECT_TRUE(contains(check(result, "options")["detail"].get<std::string>(), "time.timeZone"));
}

TEST_F(Options, SettingWordsThatNameNoOptionAreRefusedWithCandidates) {
  const auto result = env.run({"propose", "set", "the", "frobnication", "level", "to", "3"});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_TRUE(contains(result.err, "\"the frobnication level\" is not an option path")) << result.err;
}

// Done-when 3: before, it wrote the scalar 8080 for a list option.
TEST_F(Options, OnePortForAListOptionBecomesAList) {
  const auto result = propose({"set", "networking.firewall.allowedTCPPorts", "8080"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(contains(written(result, "options/networking-firewall-allowedTCPPorts.nix"),
                       "networking.firewall.allowedTCPPorts = [ 8080 ];"));
  EXPECT_TRUE(contains(check(result, "options")["detail"].get<std::string>(),
                       "list of 16 bit unsigned integer; between 0 and 65535 (both inclusive)"));
}

TEST_F(Options, ListOptionFromAnIntentMergesWithWhatTheTreeSets) {
  apply(propose({"set", "networking.firewall.allowedTCPPorts", "443"}));
  const auto result = propose({"set", "networking.firewall.allowedTCPPorts", "80"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(contains(written(result, "options/networking-firewall-allowedTCPPorts.nix"),
                       "networking.firewall.allowedTCPPorts = [ 443 80 ];"))
      << written(result, "options/networking-firewall-allowedTCPPorts.nix");
  EXPECT_EQ(result.json()["summary"], "Set option: networking.firewall.allowedTCPPorts = [ 443 80 ]");
  // A port already open is not added twice.
  const auto again = env.run({"propose", "set", "networking.firewall.allowedTCPPorts", "443"});
  EXPECT_EQ(again.exit_code, 3);
  EXPECT_TRUE(contains(again.err, "nothing to change")) << again.err;
}

TEST_F(Options, UnknownOptionIsRefusedNamingTheRealOne) {
  const auto result = env.run({"propose", "set", "services.docker.enable", "true"});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_TRUE(contains(result.err, "services.docker.enable does not exist; did you mean virtualisation.docker.enable?"))
      << result.err;
  const auto typo = env.run({"propose", "set", "networking.firewall.allowedTCPPort", "[80]"});
  EXPECT_EQ(typo.exit_code, 3);
  EXPECT_TRUE(contains(typo.err, "did you mean networking.firewall.allowedTCPPorts")) << typo.err;
}

TEST_F(Options, ValueOfTheWrongTypeIsRefusedWithTheOptionsType) {
  const auto ports = env.run({"propose", "set", "networking.firewall.allowedTCPPorts", "http"});
  EXPECT_EQ(ports.exit_code, 3);
  EXPECT_TRUE(contains(ports.err, "networking.firewall.allowedTCPPorts is of type `list of 16 bit unsigned integer; "
                                  "between 0 and 65535 (both inclusive)`: got the string \"http\""))
      << ports.err;
  const auto big = env.run({"propose", "set", "networking.firewall.allowedUDPPorts", "70000"});
  EXPECT_EQ(big.exit_code, 3);
  EXPECT_TRUE(contains(big.err, "70000 is out of range (between 0 and 65535)")) << big.err;
  const auto host = env.run({"propose", "set", "networking.hostName", "my host"});
  EXPECT_EQ(host.exit_code, 3);
  EXPECT_TRUE(contains(host.err, "networking.hostName is of type `string matching the pattern")) << host.err;
  const auto group = env.run({"propose", "set", "networking.firewall", "true"});
  EXPECT_EQ(group.exit_code, 3);
  EXPECT_TRUE(contains(group.err, "networking.firewall is a set of options, not an option")) << group.err;
}

TEST_F(Options, ModulePathsAreCheckedAgainstTheIndex) {
  const auto bad = env.run({"propose", "--module", "modules/web.nix", "--nix",
                            "{ lib, ... }: { services.docker.enable = lib.mkForce true; "
                            "users.users.ada.isNormalUsr = true; }"});
  EXPECT_EQ(bad.exit_code, 3);
  EXPECT_TRUE(contains(bad.err, "modules/web.nix sets services.docker.enable, which does not exist; did you mean "
                                "virtualisation.docker.enable?"))
      << bad.err;
  EXPECT_TRUE(contains(bad.err, "sets users.users.ada.isNormalUsr, which does not exist; did you mean "
                                "users.users.ada.isNormalUser?"))
      << bad.err;

  const auto good = propose({"--module", "modules/web.nix", "--nix",
                             "{ config, lib, pkgs, ... }: { services.nginx.enable = true;\n"
                             "  services.nginx.virtualHosts.\"example.org\".root = \"/srv/www\";\n"
                             "  users.users.ada = { isNormalUser = true; extraGroups = [ \"wheel\" ]; };\n"
                             "  environment.systemPackages = [ pkgs.htop ];\n"
                             "  systemd.services.web.serviceConfig.ExecStart = \"/bin/true\";\n"
                             "  networking.firewall.allowedTCPPorts = lib.mkIf config.services.nginx.enable [ 80 ]; }"});
  ASSERT_EQ(good.exit_code, 0) << good.err;
  EXPECT_TRUE(contains(check(good, "options")["detail"].get<std::string>(), "modules/web.nix: 7 option path(s) found"))
      << check(good, "options").dump();
}

TEST_F(Options, OptionsAModuleDeclaresMayBeSetInTheSameChange) {
  const auto result = propose({"--module", "modules/app.nix", "--nix",
                               "{ lib, config, ... }: { options.services.myapp.port = lib.mkOption { type = lib.types.port; "
                               "default = 9000; };\n  config.networking.firewall.allowedTCPPorts = [ config.services.myapp.port ]; }",
                               "--module", "options/myapp.nix", "--nix", "{ services.myapp.port = 9001; }"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
}

TEST_F(Options, ModuleThatCannotBeReadWithStandInsIsNamedNotChecked) {
  // Which attributes `time` holds depends on `config`: the paths cannot be known without the system.
  const auto result = propose({"--module", "modules/dyn.nix", "--nix",
                               "{ config, ... }: { time = if config.networking.hostName == \"x\" then { } "
                               "else { timeZone = \"UTC\"; }; }"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(contains(check(result, "options")["detail"].get<std::string>(),
                       "modules/dyn.nix: option paths not checked: it cannot be read with stand-in arguments"))
      << check(result, "options").dump();
}

TEST_F(Options, WithoutAnIndexTheCheckIsReportedAsNotRun) {
  use_lib("none");
  const auto result = propose({"enable", "docker", "--no-build"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto options = check(result, "options");
  EXPECT_TRUE(options["ok"].is_null()) << options.dump();
  EXPECT_TRUE(contains(options["detail"].get<std::string>(), "not checked: the profile backend evaluates without a nixpkgs lib"));
  const auto phrase = env.run({"propose", "set", "the", "timezone", "to", "UTC"});
  EXPECT_EQ(phrase.exit_code, 3);
  EXPECT_TRUE(contains(phrase.err, "\"the timezone\" is not an option path, and there is no options index")) << phrase.err;
  const auto search = env.run({"inspect", "option", "time", "zone"});
  EXPECT_EQ(search.exit_code, 1);
  EXPECT_TRUE(contains(search.err, "no options index to search")) << search.err;
}

TEST_F(Options, NixosBackendWithoutARunningIndexSaysSkipped) {
  if (fs::exists("/run/current-system/agntos/options.json")) GTEST_SKIP() << "this machine has a NixOS options index";
  write_file_atomic(env.config_dir() / "agntos.toml", "[rebuild]\nbackend = \"nixos\"\n");
  const auto result = propose({"enable", "docker", "--no-build"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto options = check(result, "options");
  EXPECT_TRUE(options["ok"].is_null()) << options.dump();
  EXPECT_TRUE(contains(options["detail"].get<std::string>(), "the running system has no options index"));
}

TEST_F(Options, ProfileSystemIsBuiltByTheModuleSystemAndHoldsTheIndex) {
  apply(propose({"--module", "modules/host.nix", "--nix",
                 "{ lib, ... }: { networking.hostName = lib.mkDefault \"default-name\"; "
                 "networking.firewall.allowedTCPPorts = [ 22 443 22 ]; }",
                 "--module", "options/host.nix", "--nix", "{ networking.hostName = \"chosen\"; }"}));
  const auto manifest = Json::parse(read_file(env.profile() / "manifest.json"));
  EXPECT_TRUE(manifest["evaluator"].get<std::string>().starts_with("nixpkgs-lib ")) << manifest.dump();
  // mkDefault loses to a plain definition; the port list is NixOS's canonical one.
  EXPECT_EQ(manifest["options"]["networking"]["hostName"], "chosen");
  EXPECT_EQ(manifest["options"]["networking"]["firewall"]["allowedTCPPorts"], Json::array({22, 443}));
  const auto index = OptionsIndex::load(env.profile() / "agntos" / "options.json");
  ASSERT_NE(index.find("networking.firewall.allowedTCPPorts"), nullptr);
  EXPECT_EQ(index.find("_module.check"), nullptr);
}

TEST_F(Options, DefinitionOfTheWrongTypeInAModuleGetsNixosMessage) {
  const auto result = env.run({"propose", "--module", "modules/ports.nix", "--nix",
                               "{ networking.firewall.allowedTCPPorts = 8080; }"});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_TRUE(contains(result.err, "A definition for option `networking.firewall.allowedTCPPorts' is not of type "
                                   "`list of 16 bit unsigned integer; between 0 and 65535 (both inclusive)'"))
      << result.err;
}

TEST_F(Options, InspectOptionFindsOptionsByPathOrWords) {
  const auto by_words = env.run({"inspect", "option", "time", "zone", "--json"});
  ASSERT_EQ(by_words.exit_code, 0) << by_words.err;
  EXPECT_EQ(by_words.json()["options"][0]["name"], "time.timeZone");
  EXPECT_EQ(by_words.json()["options"][0]["type"], "null or string without spaces");
  const auto by_path = env.run({"inspect", "option", "networking.firewall.allowedTCPPorts"});
  ASSERT_EQ(by_path.exit_code, 0) << by_path.err;
  EXPECT_TRUE(contains(by_path.out, "type: list of 16 bit unsigned integer; between 0 and 65535 (both inclusive)"));
  EXPECT_TRUE(contains(by_path.out, "default: [ ]"));
  const auto unknown = env.run({"inspect", "option", "services.docker.enable", "--json"});
  ASSERT_EQ(unknown.exit_code, 0) << unknown.err;
  EXPECT_EQ(unknown.json()["exact"], false);
  EXPECT_EQ(unknown.json()["options"][0]["name"], "virtualisation.docker.enable");
  const auto shape = by_words.json();
  for (const char* key : {"query", "source", "exact", "options", "message"}) EXPECT_TRUE(shape.contains(key)) << key;
  for (const char* key : {"name", "type", "default", "description", "declarations", "readOnly"})
    EXPECT_TRUE(shape["options"][0].contains(key)) << key;
}

TEST_F(Options, DoctorSaysWhichEvaluatorTheProfileBackendUses) {
  const auto with_lib = env.run({"doctor", "--json"});
  bool found = false;
  const Json report = with_lib.json();
  for (const auto& entry : report["checks"])
    if (entry["check"] == "profile evaluator") {
      found = true;
      EXPECT_EQ(entry["status"], "ok");
      EXPECT_TRUE(contains(entry["detail"].get<std::string>(), "lib.evalModules"));
    }
  EXPECT_TRUE(found) << with_lib.out;
  use_lib("none");
  const auto chosen = env.run({"doctor"});
  EXPECT_TRUE(contains(chosen.out, "ok    profile evaluator: builtin evaluator, as [rebuild.profile] lib = \"none\" asks"))
      << chosen.out;
  use_lib("");  // look for one: none here but the fixture, which is not on NIX_PATH
  if (!std::getenv("NIX_PATH") || !contains(std::getenv("NIX_PATH"), "nixpkgs")) {
    const auto none_found = env.run({"doctor"});
    EXPECT_TRUE(contains(none_found.out, "warn  profile evaluator: builtin evaluator (no nixpkgs lib")) << none_found.out;
  }
  use_lib("/nonexistent/lib");
  const auto wrong = env.run({"doctor"});
  EXPECT_TRUE(contains(wrong.out, "FAIL  profile evaluator: [rebuild.profile] lib = \"/nonexistent/lib\"")) << wrong.out;
}

}  // namespace
}  // namespace agntos::testing
