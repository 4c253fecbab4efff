// SPDX-License-Identifier: MIT
#include "agntctl/propose/intent_grammar.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/error.h"
#include "support/error_of.h"
#include "support/nix_inputs.h"

namespace agntctl {
namespace {

using namespace std::string_literals;
using agntos::Errc;
using agntos::testing::error_of;
using agntos::testing::hostile_names;
using agntos::testing::message_of;
using agntos::testing::shown;

TEST(IntentGrammar, ValidNamesAreAccepted) {
  for (const std::string name : {"htop", "python3Packages.requests", "_private", "__proto__", "gtk-3", "foo'",
                                 "a.b-c.d_e", "let", "import", "true", "xorg.xf86-video-intel", "A1.b2.C3"}) {
    EXPECT_NO_THROW(parse_intents("install " + name)) << name;
  }
}

TEST(IntentGrammar, HostileNamesAreRefused) {
  for (const auto& name : hostile_names()) {
    SCOPED_TRACE(shown(name));
    // In a sentence, whitespace (and '=' after a `set` path) separates words, so only names
    // without them stay one word.
    if (name.find_first_of(" \t\n\r\v\f=") != std::string::npos) continue;
    EXPECT_TRUE(error_of([&] { parse_intents("enable " + name); }).has_value());
    if (!name.empty() && name.find(',') == std::string::npos) {  // commas separate package names
      EXPECT_TRUE(error_of([&] { parse_intents("install htop " + name); }).has_value());
    }
    EXPECT_TRUE(error_of([&] { parse_intents("set " + name + " 1"); }).has_value());
  }
}

TEST(IntentGrammar, ModuleSystemAttributesAreNotOptionPaths) {
  for (const std::string path : {"imports", "require", "disabledModules", "_module.args.pkgs", "config.x", "options.x",
                                 "_file", "key", "users.users.ada.imports", "a._module.args"}) {
    SCOPED_TRACE(path);
    EXPECT_EQ(error_of([&] { parse_intents("set " + path + R"( ["/tmp/evil.nix"])"); }), Errc::invalid_name);
  }
}

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

TEST(IntentGrammar, ParsesTheUnderstoodForms) {
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

TEST(IntentGrammar, HostileOrUnknownInputIsRefusedWhole) {
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

TEST(IntentGrammar, NaturalSettingWordsAreAPhraseNotAnOptionPath) {
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


TEST(IntentGrammar, SummaryIsOneLine) {
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
}  // namespace agntctl
