// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>

#include "common/error.h"
#include "common/files.h"
#include "common/nix_syntax.h"
#include "common/process.h"
#include "support/agntctl_runner.h"
#include "support/temp_dir.h"

namespace agntos {
namespace {

using namespace std::string_literals;

// --- helpers ---

// Golden files live in the source tree; AGNTOS_ACCEPT_GOLDEN=1 rewrites them from the output.
void expect_golden(const std::string& name, const std::string& actual) {
  const auto path = testing::source_dir() / "tests/golden/nix" / (name + ".nix");
  const char* accept = std::getenv("AGNTOS_ACCEPT_GOLDEN");
  if (accept && std::string_view(accept) == "1") {
    write_file_atomic(path, actual, 0644, MakeParents::yes);
    return;
  }
  const auto expected = read_file_if_exists(path);
  ASSERT_TRUE(expected) << "missing golden file " << path << "; run with AGNTOS_ACCEPT_GOLDEN=1 to create it";
  EXPECT_EQ(actual, *expected) << "output differs from " << path << " (AGNTOS_ACCEPT_GOLDEN=1 rewrites it)";
}

bool have_nix() { return find_program("nix-instantiate").has_value(); }

ProcessResult nix_instantiate(std::vector<std::string> arguments) {
  std::vector<std::string> argv{"nix-instantiate", "--option", "substituters", ""};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  ProcessOptions options;
  options.timeout = std::chrono::seconds(60);
  return run_process(argv, options);
}

// The error code a call throws, or nullopt when it does not throw.
std::optional<Errc> error_of(const std::function<void()>& call, std::string* message = nullptr) {
  try {
    call();
  } catch (const Error& error) {
    if (message) *message = error.what();
    return error.code();
  }
  return std::nullopt;
}

std::string message_of(const std::function<void()>& call) {
  std::string message;
  error_of(call, &message);
  return message;
}

// Printable form of a test input for failure messages.
std::string shown(const std::string& text) { return Json(text).dump(-1, ' ', false, Json::error_handler_t::replace); }

// --- golden modules ---

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

class NixSyntaxGolden : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(NixSyntaxGolden, ModuleMatchesGoldenFile) {
  const auto module = GetParam().make();
  EXPECT_EQ(module.path, GetParam().expected_path);
  ASSERT_FALSE(module.content.empty());
  EXPECT_EQ(module.content.back(), '\n');
  EXPECT_EQ(module.content.rfind("# Managed by AgntOS: ", 0), 0u);
  EXPECT_EQ(module.content, GetParam().make().content) << "generation is deterministic";
  expect_golden(GetParam().name, module.content);
}

TEST_P(NixSyntaxGolden, ModuleParsesWithRealNix) {
  if (!have_nix()) GTEST_SKIP() << "nix-instantiate not installed";
  testing::TempDir dir;
  const auto file = dir / "module.nix";
  write_file_atomic(file, GetParam().make().content);
  const auto result = nix_instantiate({"--parse", file.string()});
  EXPECT_TRUE(result.ok()) << result.err;
}

INSTANTIATE_TEST_SUITE_P(Modules, NixSyntaxGolden, ::testing::ValuesIn(golden_cases()),
                         [](const auto& test_case) { return test_case.param.name; });

// The profile evaluator (nix/profile/system.nix) reads the generated modules back with the
// values they were given.
TEST(NixSyntax, EvaluatorReadsGeneratedModulesBack) {
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

// --- names ---

TEST(NixSyntax, ValidNamesPassTheGrammar) {
  for (const std::string name : {"htop", "python3Packages.requests", "_private", "__proto__", "gtk-3", "foo'",
                                 "a.b-c.d_e", "let", "import", "true", "xorg.xf86-video-intel", "A1.b2.C3"}) {
    EXPECT_NO_THROW(check_attribute_path(name, "package name")) << name;
    EXPECT_NO_THROW(parse_intents("install " + name)) << name;
  }
  EXPECT_NO_THROW(check_attribute_path(std::string(200, 'a'), "package name"));
  EXPECT_NO_THROW(check_attribute_path(std::string(99, 'a') + "." + std::string(100, 'b'), "package name"));
}

std::vector<std::string> hostile_names() {
  return {
      "htop; rm -rf /",
      "pkgs.htop ]; imports = [ /etc/passwd",
      "htop\"",
      "${builtins.readFile /etc/shadow}",
      "a..b",
      ".htop",
      "htop.",
      "-htop",
      "1htop",
      "ht op",
      "htop\n",
      "htop\t",
      "htop\r",
      "htop/../x",
      "/abs",
      "../etc",
      "htop#x",
      "htop$",
      "htop`id`",
      "htop'; x",
      "",
      std::string(201, 'a'),
      std::string(100, 'a') + "." + std::string(100, 'b'),
      "\xD2\xBBtop",              // Cyrillic shha, looks like h
      "ht\xE2\x80\x8Bop",         // zero-width space
      "htop\xE2\x80\x8D",         // zero-width joiner
      "\xEF\xBB\xBFhtop",         // byte-order mark
      "htop\xC2\xA0",             // no-break space
      "\xEF\xBD\x88top",          // full-width h
      "htop\xE2\x80\xAE",         // right-to-left override
      "htop\xFF\xFE",             // not UTF-8
      "htop\0"s,
      "\0htop"s,
      "with pkgs; htop",
      "htop=1",
      "htop{}",
      "(htop)",
      "htop,btop",
      "htop\\x",
      "'htop",
      "a.'b",
      "a.1b",
      "htop:x",
      "htop@2",
      "htop*",
      "~/x",
      "htop\x7F",
      "<nixpkgs>",
      "\"htop\"",
      "htop;",
      "htop.${x}",
      "x/*y*/",
      "htop || true",
      "a.b.",
      ".",
      "htop\x1B[31m",
  };
}

TEST(NixSyntax, HostileNamesAreRefusedEverywhere) {
  const auto names = hostile_names();
  ASSERT_GE(names.size(), 40u);
  for (const auto& name : names) {
    SCOPED_TRACE(shown(name));
    EXPECT_EQ(error_of([&] { check_attribute_path(name, "package name"); }), Errc::invalid_name);
    EXPECT_EQ(error_of([&] { package_module(name); }), Errc::invalid_name);
    EXPECT_EQ(error_of([&] { service_module(name, true); }), Errc::invalid_name);
    EXPECT_EQ(error_of([&] { option_module(name, "1"); }), Errc::invalid_name);
    EXPECT_EQ(error_of([&] { home_option_module(name, "1"); }), Errc::invalid_name);
    EXPECT_EQ(error_of([&] { render_attribute_path(name); }), Errc::invalid_name);
    EXPECT_EQ(error_of([&] { option_file_stem(name); }), Errc::invalid_name);
    // In a sentence, whitespace (and '=' after a `set` path) separates words, so only names
    // without them stay one word.
    if (name.find_first_of(" \t\n\r\v\f=") == std::string::npos) {
      EXPECT_TRUE(error_of([&] { parse_intents("enable " + name); }).has_value());
      if (!name.empty() && name.find(',') == std::string::npos) {  // commas separate package names
        EXPECT_TRUE(error_of([&] { parse_intents("install htop " + name); }).has_value());
      }
      EXPECT_TRUE(error_of([&] { parse_intents("set " + name + " 1"); }).has_value());
    }
  }
}

TEST(NixSyntax, RefusalNamesTheCharacterAndPosition) {
  EXPECT_EQ(message_of([] { check_attribute_path("ht op", "package name"); }).rfind(
                "package name \"ht op\" has a space at position 3", 0),
            0u);
  EXPECT_NE(message_of([] { check_attribute_path("\xD2\xBBtop", "service name"); })
                .find("service name \"\xD2\xBBtop\" has non-ASCII character U+04BB at position 1"),
            std::string::npos);
  EXPECT_NE(message_of([] { check_attribute_path("1htop", "package name"); }).find("starts a segment with '1'"),
            std::string::npos);
  EXPECT_NE(message_of([] { check_attribute_path("a..b", "option path"); }).find("empty segment at position 3"),
            std::string::npos);
  EXPECT_NE(message_of([] { check_attribute_path("htop\n", "package name"); }).find("\"htop\\n\" has a newline"),
            std::string::npos);
  EXPECT_NE(message_of([] { check_attribute_path("htop\0"s, "package name"); }).find("a NUL byte at position 5"),
            std::string::npos);
  EXPECT_NE(message_of([] { check_attribute_path(std::string(201, 'a'), "package name"); })
                .find("is 201 characters long; the limit is 200"),
            std::string::npos);
  EXPECT_NE(message_of([] { check_attribute_path("", "package name"); }).find("package name is empty"),
            std::string::npos);
}

TEST(NixSyntax, KeywordSegmentsAreQuoted) {
  EXPECT_EQ(render_attribute_path("htop"), "htop");
  EXPECT_EQ(render_attribute_path("python3Packages.let"), "python3Packages.\"let\"");
  EXPECT_EQ(render_attribute_path("or.in.x"), "\"or\".\"in\".x");
  EXPECT_EQ(render_attribute_path("inherit"), "\"inherit\"");
  EXPECT_EQ(option_file_stem("networking.hostName"), "networking-hostName");
  EXPECT_EQ(option_file_stem("programs.git.userName"), "programs-git-userName");
}

TEST(NixSyntax, ModuleSystemAttributesAreNotOptionPaths) {
  for (const std::string path : {"imports", "require", "disabledModules", "_module.args.pkgs", "config.x", "options.x",
                                 "_file", "key", "users.users.ada.imports", "home-manager.users.ada.imports",
                                 "specialisation.x.configuration.imports", "a._module.args"}) {
    SCOPED_TRACE(path);
    EXPECT_EQ(error_of([&] { option_module(path, R"([ "/tmp/evil.nix" ])"); }), Errc::invalid_name);
    EXPECT_EQ(error_of([&] { home_option_module(path, "1"); }), Errc::invalid_name);
    EXPECT_EQ(error_of([&] { parse_intents("set " + path + R"( ["/tmp/evil.nix"])"); }), Errc::invalid_name);
  }
  // Only at the top are config, options and key structure; deeper they are ordinary names.
  EXPECT_NO_THROW(option_module("services.nginx.config", "\"x\""));
  EXPECT_NO_THROW(option_module("services.example.key", "\"x\""));
  // A JSON value cannot smuggle them in either.
  EXPECT_EQ(error_of([] { render_nix_value(R"({"imports": ["/tmp/evil.nix"]})"); }), Errc::validation);
  EXPECT_EQ(error_of([] { render_nix_value(R"([{"a": {"_module": {"args": {}}}}])"); }), Errc::validation);
}

// --- values ---

TEST(NixSyntax, ValuesBecomeTypedLiterals) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"true", "true"},
      {"false", "false"},
      {"null", "null"},
      {"42", "42"},
      {"-7", "-7"},
      {"007", "7"},
      {"9223372036854775807", "9223372036854775807"},
      {"1.5", "1.5"},
      {"-2.5", "-2.5"},
      {".5", "0.5"},
      {"3.", "3.0"},
      {"1e5", "1.0e+05"},
      {"2.5E-3", "0.0025"},
      {"1e300", "1.0e+300"},
      {"True", "\"True\""},
      {"demo", "\"demo\""},
      {"hello world", "\"hello world\""},
      {"1.2.3", "\"1.2.3\""},
      {"0x10", "\"0x10\""},
      {"inf", "\"inf\""},
      {"-", "\"-\""},
      {"", "\"\""},
      {"[1, 2]", "[ 1 2 ]"},
      {"[-1]", "[ (-1) ]"},
      {"[]", "[ ]"},
      {"{}", "{ }"},
      {R"({"a": 1})", "{ a = 1; }"},
      {R"({"let": 1})", "{ \"let\" = 1; }"},
      {"[", "\"[\""},
      {"[1, 2", "\"[1, 2\""},
      {"{not json}", "\"{not json}\""},
      {"a\"b", R"("a\"b")"},
      {"a\\b", R"("a\\b")"},
      {"${x}", R"("\${x}")"},
      {"$x", R"("$x")"},
      {"a\nb\tc\rd", R"("a\nb\tc\rd")"},
  };
  for (const auto& [value, nix] : cases) EXPECT_EQ(render_nix_value(value), nix) << shown(value);
}

TEST(NixSyntax, ValuesWithoutANixLiteralAreRefused) {
  for (const std::string& value : std::vector<std::string>{
           "9223372036854775808", "-9223372036854775808", "99999999999999999999999", "1e999", "1e-320", "a\0b"s,
           "[\"a\\u0000b\"]", "evil\xE2\x80\xAEtxt.exe", "[18446744073709551615]",
           std::string(100, '[') + std::string(100, ']')}) {
    SCOPED_TRACE(shown(value));
    EXPECT_EQ(error_of([&] { render_nix_value(value); }), Errc::validation);
  }
  EXPECT_NE(message_of([] { render_nix_string("ab\0c"s); }).find("NUL byte at position 3"), std::string::npos);
}

TEST(NixSyntax, JsonLayoutIsIndentedAndDeterministic) {
  EXPECT_EQ(render_nix_json(Json::parse(R"([1, [2, 3]])")), "[\n  1\n  [ 2 3 ]\n]");
  EXPECT_EQ(render_nix_json(Json::parse(R"({"a": {"b": [1]}})"), 2), "{\n    a = {\n      b = [ 1 ];\n    };\n  }");
  EXPECT_EQ(render_nix_json(Json::parse(R"([{"a": 1}, {}])")), "[\n  { a = 1; }\n  { }\n]");
  EXPECT_EQ(render_nix_json(Json::parse(R"({"b": 1, "a": 2})")), "{\n  b = 1;\n  a = 2;\n}");
}

TEST(NixSyntax, OptionValueSourceMustBeOneBalancedExpression) {
  for (const std::string source : {"", "   ", "1; }", "[ 1", "\"abc", "''abc", "{ a = 1; } }", "/* x", "(1]",
                                   "\"${\"", "x; imports = [ ./a.nix ]; y = ("}) {
    SCOPED_TRACE(shown(source));
    EXPECT_EQ(error_of([&] { option_module("a.b", source); }), Errc::validation);
  }
  // A trailing line comment must not swallow the ';'.
  EXPECT_EQ(option_module("a.b", "1 # one").content,
            "# Managed by AgntOS: set a.b\n{ ... }:\n{\n  a.b = 1 # one\n  ;\n}\n");
}

// Hostile and tricky values are rendered as one string literal that real Nix reads back
// unchanged, whole, through a generated module.
TEST(NixSyntax, TrickyValuesRoundTripThroughRealNix) {
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

// --- intents ---

struct IntentCase {
  std::string words;
  std::vector<Intent> intents;
};

bool same(const std::vector<Intent>& a, const std::vector<Intent>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].kind != b[i].kind || a[i].names != b[i].names || a[i].value != b[i].value) return false;
  return true;
}

TEST(Intent, ParsesTheUnderstoodForms) {
  using K = Intent::Kind;
  const std::vector<IntentCase> cases{
      {"install htop btop", {{K::install, {"htop", "btop"}, ""}}},
      {"INSTALL htop", {{K::install, {"htop"}, ""}}},
      {"  install   htop  ", {{K::install, {"htop"}, ""}}},
      {"install htop, btop and jq", {{K::install, {"htop", "btop", "jq"}, ""}}},
      {"install htop htop", {{K::install, {"htop"}, ""}}},
      {"install python3Packages.requests", {{K::install, {"python3Packages.requests"}, ""}}},
      {"remove htop", {{K::remove, {"htop"}, ""}}},
      {"uninstall htop", {{K::remove, {"htop"}, ""}}},
      {"enable openssh", {{K::enable, {"openssh"}, ""}}},
      {"Disable openssh", {{K::disable, {"openssh"}, ""}}},
      {"set networking.hostName demo", {{K::set, {"networking.hostName"}, "demo"}}},
      {"set networking.hostName = demo", {{K::set, {"networking.hostName"}, "demo"}}},
      {"set networking.hostName=demo", {{K::set, {"networking.hostName"}, "demo"}}},
      {"set users.motd hello world", {{K::set, {"users.motd"}, "hello world"}}},
      {"set users.motd fish and chips", {{K::set, {"users.motd"}, "fish and chips"}}},
      {"set users.motd a; b", {{K::set, {"users.motd"}, "a; b"}}},
      {"set users.motd = = x", {{K::set, {"users.motd"}, "= x"}}},
      {"set-home-option programs.git.userName Ada", {{K::set_home_option, {"programs.git.userName"}, "Ada"}}},
      {"install htop and enable openssh", {{K::install, {"htop"}, ""}, {K::enable, {"openssh"}, ""}}},
      {"install htop AND enable openssh", {{K::install, {"htop"}, ""}, {K::enable, {"openssh"}, ""}}},
      {"install htop; enable openssh", {{K::install, {"htop"}, ""}, {K::enable, {"openssh"}, ""}}},
      {"install htop;enable openssh", {{K::install, {"htop"}, ""}, {K::enable, {"openssh"}, ""}}},
      {"set users.motd hi; install htop", {{K::set, {"users.motd"}, "hi"}, {K::install, {"htop"}, ""}}},
      {R"(set networking.nameservers ["1.1.1.1", "8.8.8.8"] and disable openssh)",
       {{K::set, {"networking.nameservers"}, R"(["1.1.1.1", "8.8.8.8"])"}, {K::disable, {"openssh"}, ""}}},
      {"set networking.domain \"; imports = [ /etc/passwd ]; x = \"",
       {{K::set, {"networking.domain"}, "\"; imports = [ /etc/passwd ]; x = \""}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.words);
    std::vector<Intent> intents;
    ASSERT_NO_THROW(intents = parse_intents(c.words));
    EXPECT_TRUE(same(intents, c.intents)) << summarize_intents(intents);
  }
}

TEST(Intent, HostileOrUnknownInputIsRefusedWhole) {
  const std::vector<std::string> inputs{
      "install htop; rm -rf /",
      "install htop && rm -rf /",
      "install htop | sh",
      "install $(id)",
      "install `id`",
      "install htop\"; x",
      "install htop and rm -rf /",
      "install pkgs.htop ]; imports = [ /etc/passwd",
      "install ${builtins.readFile /etc/shadow}",
      "install \xD2\xBBtop",
      "install ht\xE2\x80\x8Bop",
      "enable openssh; rm -rf /",
      "enable openssh nginx",
      "INSTALL htop; RM -rf /",
      "install htop;enable;x",
      "rm -rf /",
      "import /etc/passwd",
      "with pkgs; htop",
      "please install htop",
      "",
      "   ",
      "; install htop",
      "install htop;; enable openssh",
      "install htop and enable",
      "install",
      "install and",
      "enable",
      "set",
      "set networking.hostName",
      "set networking.hostName =",
      "set = demo",
      "set imports [\"/etc/passwd\"]",
      "set a..b x",
      "set networking.hostName bad\0value"s,
      "set networking.hostName evil\xE2\x80\xAEtxt",
      "set-home-option programs.git.userName",
      "install htop and set _module.args.pkgs {}",
      "install htop\n; rm -rf /",
  };
  for (const auto& words : inputs) {
    SCOPED_TRACE(shown(words));
    std::string message;
    const auto code = error_of([&] { parse_intents(words); }, &message);
    ASSERT_TRUE(code.has_value());
    EXPECT_TRUE(*code == Errc::usage || *code == Errc::invalid_name || *code == Errc::validation);
    if (*code != Errc::validation) {
      EXPECT_NE(message.find("Forms understood: install <package...>"), std::string::npos);
    }
  }
  EXPECT_EQ(error_of([] { parse_intents("rm -rf /"); }), Errc::usage);
  EXPECT_EQ(error_of([] { parse_intents("install htop; rm -rf /"); }), Errc::invalid_name);
  EXPECT_NE(message_of([] { parse_intents("rm -rf /"); }).find("unknown action \"rm\""), std::string::npos);
}

TEST(Intent, NaturalSettingWordsAreAPhraseNotAnOptionPath) {
  // Before: "set the timezone to Europe/Berlin" wrote `the = "timezone to Europe/Berlin";`.
  const auto timezone = parse_intents("set the timezone to Europe/Berlin");
  ASSERT_EQ(timezone.size(), 1u);
  EXPECT_TRUE(timezone[0].names.empty());
  EXPECT_EQ(timezone[0].phrase, "timezone");
  EXPECT_EQ(timezone[0].value, "Europe/Berlin");
  const auto two_words = parse_intents("set Time Zone to UTC and install htop");
  ASSERT_EQ(two_words.size(), 2u);
  EXPECT_EQ(two_words[0].phrase, "time zone");
  EXPECT_EQ(two_words[0].value, "UTC");
  const auto path_to = parse_intents("set networking.hostName to demo");
  EXPECT_EQ(path_to[0].names, std::vector<std::string>{"networking.hostName"});
  EXPECT_EQ(path_to[0].value, "demo");
  EXPECT_EQ(path_to[0].phrase, "");
  const auto one_word = parse_intents("set timezone Europe/Berlin");
  EXPECT_EQ(one_word[0].names, std::vector<std::string>{"timezone"});
  EXPECT_EQ(one_word[0].phrase, "timezone");
  EXPECT_EQ(summarize_intents(timezone), "Set option: the timezone = Europe/Berlin");
  EXPECT_EQ(error_of([] { parse_intents("set the timezone Europe/Berlin"); }), Errc::usage);
  EXPECT_EQ(error_of([] { parse_intents("set the timezone to"); }), Errc::usage);
  EXPECT_EQ(error_of([] { parse_intents("set-home-option the git name to Ada"); }), Errc::usage);
  EXPECT_EQ(error_of([] { parse_intents("set the time\"; zone to x"); }), Errc::usage);
}

TEST(Intent, ValuesAsJsonMirrorTheirNixRendering) {
  EXPECT_EQ(nix_value_as_json("8080"), Json(8080));
  EXPECT_EQ(nix_value_as_json("true"), Json(true));
  EXPECT_EQ(nix_value_as_json("null"), Json(nullptr));
  EXPECT_EQ(nix_value_as_json("1.5"), Json(1.5));
  EXPECT_EQ(nix_value_as_json("[80, 443]"), Json::array({80, 443}));
  EXPECT_EQ(nix_value_as_json("Europe/Berlin"), Json("Europe/Berlin"));
  EXPECT_EQ(nix_value_as_json("[not json"), Json("[not json"));
}

TEST(Intent, EnableWritesTheServicesRealOption) {
  EXPECT_EQ(service_module("docker", true, "virtualisation.docker.enable").content,
            "# Managed by AgntOS: enable service docker (virtualisation.docker.enable)\n{ ... }:\n{\n"
            "  virtualisation.docker.enable = true;\n}\n");
  EXPECT_EQ(service_module("docker", true, "virtualisation.docker.enable").path, "services/docker.nix");
}

TEST(Intent, SummaryIsOneLine) {
  EXPECT_EQ(summarize_intents(parse_intents("install htop btop and enable openssh")),
            "Install package: htop, btop; Enable service: openssh");
  EXPECT_EQ(summarize_intents(parse_intents("remove htop; disable openssh")),
            "Remove package: htop; Disable service: openssh");
  EXPECT_EQ(summarize_intents(parse_intents("set networking.hostName = demo")),
            "Set option: networking.hostName = demo");
  EXPECT_EQ(summarize_intents(parse_intents("set-home-option programs.git.userName Ada Lovelace")),
            "Set home option: programs.git.userName = Ada Lovelace");
  const auto summary = summarize_intents({{Intent::Kind::set, {"users.motd"}, "line\n" + std::string(100, 'x')}});
  EXPECT_EQ(summary.find('\n'), std::string::npos);
  EXPECT_NE(summary.find("line\\nxxx"), std::string::npos);
  EXPECT_NE(summary.find("…"), std::string::npos);
}

}  // namespace
}  // namespace agntos
