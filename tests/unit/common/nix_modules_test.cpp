// SPDX-License-Identifier: MIT
#include "common/nix_modules.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "common/files.h"
#include "common/json.h"
#include "common/nix_names.h"
#include "common/nix_values.h"
#include "support/agntctl_runner.h"
#include "support/error_of.h"
#include "support/golden.h"
#include "support/nix_inputs.h"
#include "support/temp_dir.h"

namespace agntos {
namespace {

using testing::error_of;
using testing::have_nix;
using testing::hostile_names;
using testing::nix_instantiate;
using testing::shown;

struct GoldenCase {
  std::string name;
  std::string expected_path;
  std::function<GeneratedModule()> make;
};

std::vector<GoldenCase> golden_cases() {
  auto option = [](std::string path, std::string value) {
    return [path, value] { return option_module(path, render_nix_value(value)); };
  };
  return {
      {"package", "packages/htop.nix", [] { return package_module("htop"); }},
      {"package_dotted", "packages/python3Packages.requests.nix",
       [] { return package_module("python3Packages.requests"); }},
      {"package_keyword", "packages/haskellPackages.let.nix", [] { return package_module("haskellPackages.let"); }},
      {"service_enable", "services/openssh.nix", [] { return service_module("openssh", true); }},
      {"service_disable", "services/openssh.nix", [] { return service_module("openssh", false); }},
      {"option_string", "options/networking-hostName.nix", option("networking.hostName", "demo")},
      {"option_int", "options/boot-loader-timeout.nix", option("boot.loader.timeout", "5")},
      {"option_negative_int", "options/services-example-offset.nix", option("services.example.offset", "-12")},
      {"option_bool", "options/services-openssh-settings-PasswordAuthentication.nix",
       option("services.openssh.settings.PasswordAuthentication", "false")},
      {"option_float", "options/services-example-ratio.nix", option("services.example.ratio", "0.75")},
      {"option_float_exponent", "options/services-example-scale.nix", option("services.example.scale", "1e5")},
      {"option_null", "options/services-example-extra.nix", option("services.example.extra", "null")},
      {"option_list", "options/networking-nameservers.nix",
       option("networking.nameservers", R"(["1.1.1.1", "8.8.8.8"])")},
      {"option_long_list", "options/networking-firewall-allowedTCPPorts.nix",
       option("networking.firewall.allowedTCPPorts",
              "[22, 80, 443, 8080, 8443, 9000, 9090, 3000, 5432, 6379, 27017, 11211, 25565]")},
      {"option_negative_list", "options/services-example-offsets.nix",
       option("services.example.offsets", "[1, -2, 3.5, -4.25]")},
      {"option_attrset", "options/services-openssh-settings.nix",
       option("services.openssh.settings",
              R"({"PermitRootLogin": "no", "PasswordAuthentication": false, "X11Forwarding": false})")},
      {"option_nested_attrset", "options/users-users-ada.nix",
       option("users.users.ada",
              R"({"isNormalUser": true, "extraGroups": ["wheel", "networkmanager"],)"
              R"( "openssh": {"authorizedKeys": {"keys": ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO ada@laptop"]}},)"
              R"( "packages": [], "shell": null, "description": "Ada \"the first\" L."})")},
      {"option_attrset_odd_keys", "options/services-example-settings.nix",
       option("services.example.settings",
              R"({"in": 1, "with space": "x", "${y}": 2, "a.b": [{"k": "v"}], "": {}, "rec": {"or": true}})")},
      {"option_multiline_string", "options/users-motd.nix",
       option("users.motd", "Welcome to demo\nAuthorised use only\n\tTabbed line\r\n")},
      {"option_interpolation_string", "options/environment-variables-GREETING.nix",
       option("environment.variables.GREETING", "hello ${USER}, \\${HOME} $${x} $$ $ ''${y}''")},
      {"option_hostile_string", "options/networking-domain.nix",
       option("networking.domain", "\"; imports = [ /etc/passwd ]; x = \"")},
      {"option_keyword_path", "options/programs-inherit-enable.nix", option("programs.inherit.enable", "true")},
      {"option_raw_indented_string", "options/environment-etc-issue-text.nix",
       [] { return option_module("environment.etc.issue.text", "''\n  Welcome\n    ${\"indented\"}\n''"); }},
      {"option_raw_expression", "options/environment-shells.nix",
       [] {
         return option_module("environment.shells",
                              "lib.mkForce [\n  pkgs.bashInteractive # the default\n  (pkgs.zsh)\n] # shells");
       }},
      {"home_option", "home/programs-git-userName.nix",
       [] { return home_option_module("programs.git.userName", render_nix_value("Ada Lovelace")); }},
      {"home_option_list", "home/programs-git-ignores.nix",
       [] {
         return home_option_module("programs.git.ignores", render_nix_value(R"(["*.swp", ".direnv/", "result"])"));
       }},
  };
}

void PrintTo(const GoldenCase& golden, std::ostream* out) { *out << golden.name; }

class NixModulesGolden : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(NixModulesGolden, ModuleMatchesGoldenFile) {
  const auto module = GetParam().make();
  EXPECT_EQ(module.path, GetParam().expected_path);
  ASSERT_FALSE(module.content.empty());
  EXPECT_EQ(module.content.back(), '\n');
  EXPECT_EQ(module.content.rfind("# Managed by AgntOS: ", 0), 0u);
  EXPECT_EQ(module.content, GetParam().make().content) << "generation is deterministic";
  testing::expect_golden(testing::source_dir() / "tests/golden/nix" / (GetParam().name + ".nix"), module.content);
}

TEST_P(NixModulesGolden, ModuleParsesWithRealNix) {
  if (!have_nix()) GTEST_SKIP() << "nix-instantiate not installed";
  testing::TempDir dir;
  const auto file = dir / "module.nix";
  write_file_atomic(file, GetParam().make().content);
  const auto result = nix_instantiate({"--parse", file.string()});
  EXPECT_TRUE(result.ok()) << result.err;
}

INSTANTIATE_TEST_SUITE_P(Modules, NixModulesGolden, ::testing::ValuesIn(golden_cases()),
                         [](const auto& test_case) { return test_case.param.name; });


// The profile evaluator (nix/profile/system.nix) reads the generated modules back with the
// values they were given.
TEST(NixModules, EvaluatorReadsGeneratedModulesBack) {
  if (!have_nix()) GTEST_SKIP() << "nix-instantiate not installed";
  testing::TempDir config;
  const std::string hostile = "\"; imports = [ /etc/passwd ]; x = \"";
  const std::vector<GeneratedModule> modules{
      package_module("htop"),
      service_module("openssh", true),
      service_module("printing", false),
      option_module("networking.hostName", render_nix_value("demo")),
      option_module("networking.domain", render_nix_value(hostile)),
      option_module("networking.nameservers", render_nix_value(R"(["1.1.1.1", "8.8.8.8"])")),
      option_module("services.openssh.settings", render_nix_value(R"({"PermitRootLogin": "no", "Ports": [22, -1]})")),
      option_module("environment.variables.GREETING", render_nix_value("${USER}")),
      option_module("environment.systemPackages", "[ pkgs.btop ]"),
      home_option_module("programs.git.userName", render_nix_value("Ada")),
  };
  for (const auto& module : modules) write_file_atomic(config / module.path, module.content, 0644, MakeParents::yes);
  const auto result = nix_instantiate(
      {"--eval", "--strict", "--json", "-E",
       "{ configDir, pkgs, system }: builtins.fromJSON (builtins.unsafeDiscardStringContext "
       "(import (/. + system) { inherit configDir pkgs; }).manifest)",
       "--argstr", "configDir", config.path().string(), "--argstr", "pkgs",
       (testing::source_dir() / "nix/demo-pkgs").string(), "--argstr", "system",
       (testing::source_dir() / "nix/profile/system.nix").string()});
  ASSERT_TRUE(result.ok()) << result.err;
  const auto manifest = nlohmann::json::parse(result.out);
  const auto expected_options = nlohmann::json::parse(R"({
    "networking": {"domain": "\"; imports = [ /etc/passwd ]; x = \"", "hostName": "demo",
                   "nameservers": ["1.1.1.1", "8.8.8.8"]},
    "programs": {"git": {"userName": "Ada"}},
    "services": {"openssh": {"enable": true, "settings": {"PermitRootLogin": "no", "Ports": [22, -1]}},
                 "printing": {"enable": false}},
    "environment": {"variables": {"GREETING": "${USER}"}}
  })");
  EXPECT_EQ(manifest["options"], expected_options) << manifest.dump(2);
  std::vector<std::string> attrs;
  for (const auto& package : manifest["packages"]) attrs.push_back(package["attr"].get<std::string>());
  EXPECT_EQ(attrs, (std::vector<std::string>{"htop", "btop"}));
}


TEST(NixModules, HostileNamesAreRefusedByEveryModule) {
  for (const auto& name : hostile_names()) {
    SCOPED_TRACE(shown(name));
    EXPECT_EQ(error_of([&] { package_module(name); }), Errc::invalid_name);
    EXPECT_EQ(error_of([&] { service_module(name, true); }), Errc::invalid_name);
    EXPECT_EQ(error_of([&] { service_module(name, true, "virtualisation.docker.enable"); }), Errc::invalid_name);
    EXPECT_EQ(error_of([&] { service_module("docker", true, name); }), Errc::invalid_name);
    EXPECT_EQ(error_of([&] { option_module(name, "1"); }), Errc::invalid_name);
    EXPECT_EQ(error_of([&] { home_option_module(name, "1"); }), Errc::invalid_name);
    EXPECT_EQ(error_of([&] { option_file_stem(name); }), Errc::invalid_name);
  }
}

TEST(NixModules, ModuleSystemAttributesAreNotOptionPaths) {
  for (const std::string path : {"imports", "require", "disabledModules", "_module.args.pkgs", "config.x", "options.x",
                                 "_file", "key", "users.users.ada.imports", "home-manager.users.ada.imports",
                                 "specialisation.x.configuration.imports", "a._module.args"}) {
    SCOPED_TRACE(path);
    EXPECT_EQ(error_of([&] { option_module(path, R"([ "/tmp/evil.nix" ])"); }), Errc::invalid_name);
    EXPECT_EQ(error_of([&] { home_option_module(path, "1"); }), Errc::invalid_name);
  }
  // Only at the top are config, options and key structure; deeper they are ordinary names.
  EXPECT_NO_THROW(option_module("services.nginx.config", "\"x\""));
  EXPECT_NO_THROW(option_module("services.example.key", "\"x\""));
}

TEST(NixModules, OptionFilesAreNamedByTheirPath) {
  EXPECT_EQ(option_file_stem("networking.hostName"), "networking-hostName");
  EXPECT_EQ(option_file_stem("programs.git.userName"), "programs-git-userName");
  EXPECT_EQ(option_module("networking.hostName", "\"demo\"").path, "options/networking-hostName.nix");
  EXPECT_EQ(home_option_module("programs.git.userName", "\"Ada\"").path, "home/programs-git-userName.nix");
}

TEST(NixModules, OptionValueSourceMustBeOneBalancedExpression) {
  for (const std::string source : {"", "   ", "1; }", "[ 1", "\"abc", "''abc", "{ a = 1; } }", "/* x", "(1]",
                                   "\"${\"", "x; imports = [ ./a.nix ]; y = ("}) {
    SCOPED_TRACE(shown(source));
    EXPECT_EQ(error_of([&] { option_module("a.b", source); }), Errc::validation);
  }
  // A trailing line comment must not swallow the ';'.
  EXPECT_EQ(option_module("a.b", "1 # one").content,
            "# Managed by AgntOS: set a.b\n{ ... }:\n{\n  a.b = 1 # one\n  ;\n}\n");
}

TEST(NixModules, EnableWritesTheServicesRealOption) {
  EXPECT_EQ(service_module("docker", true, "virtualisation.docker.enable").content,
            "# Managed by AgntOS: enable service docker (virtualisation.docker.enable)\n{ ... }:\n{\n"
            "  virtualisation.docker.enable = true;\n}\n");
  EXPECT_EQ(service_module("docker", true, "virtualisation.docker.enable").path, "services/docker.nix");
}

// Hostile and tricky values are rendered as one string literal that real Nix reads back
// unchanged, whole, through a generated module.
TEST(NixModules, TrickyValuesRoundTripThroughRealNix) {
  if (!have_nix()) GTEST_SKIP() << "nix-instantiate not installed";
  std::string long_value;
  for (int i = 0; i < 500; ++i) long_value += "ab\"\\${c}''$${d}\n\t" + std::to_string(i);
  const std::vector<std::string> strings{
      "\"; imports = [ /etc/passwd ]; x = \"",
      "${builtins.readFile /etc/shadow}",
      "\\${x}",
      "$${x}",
      "$$",
      "$",
      "a$",
      "$\\",
      "''",
      "'''",
      "''${x}''",
      "\\",
      "\\\\\"",
      "\"",
      "line1\nline2\n",
      "\ttab\r\ncrlf\r",
      "unicode: h\xC3\xA9llo \xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E \xF0\x9F\x99\x82 \xD2\xBBtop zero\xE2\x80\x8Bwidth",
      "} ; { ",
      "# not a comment",
      "/* not a comment */",
      "control \x01\x1B[31m red",
      "\"${",
      "./relative/path",
      "<nixpkgs>",
      "https://example.com/?a=${b}&c=$d",
      "let x = 1; in x",
      long_value,
  };
  const std::vector<std::pair<std::string, std::string>> typed{
      {"42", "42"},
      {"-7", "-7"},
      {"true", "true"},
      {"null", "null"},
      {"1.5", "1.5"},
      {R"(["a", {"b": [1, -2, null, true, -2.25]}, []])", R"(["a", {"b": [1, -2, null, true, -2.25]}, []])"},
      {R"({"in": 1, "with space": "x", "${y}": "${z}", "": {}, "\"": "''"})",
       R"({"in": 1, "with space": "x", "${y}": "${z}", "": {}, "\"": "''"})"},
  };

  testing::TempDir dir;
  std::string list = "[\n";
  std::vector<nlohmann::json> expected;
  auto add = [&](const std::string& value, const nlohmann::json& want) {
    const auto module = option_module("a.b", render_nix_value(value));
    const auto file = dir / ("m" + std::to_string(expected.size()) + ".nix");
    write_file_atomic(file, module.content);
    list += "  (import (/. + " + render_nix_string(file.string()) + ") { }).a.b\n";
    expected.push_back(want);
  };
  for (const auto& value : strings) add(value, value);
  for (const auto& [value, json] : typed) add(value, nlohmann::json::parse(json));
  list += "]\n";
  const auto all = dir / "all.nix";
  write_file_atomic(all, list);

  const auto result = nix_instantiate({"--eval", "--strict", "--json", all.string()});
  ASSERT_TRUE(result.ok()) << result.err;
  const auto values = nlohmann::json::parse(result.out);
  ASSERT_EQ(values.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(values[i], expected[i]) << "case " << i;
}

}  // namespace
}  // namespace agntos
