// SPDX-License-Identifier: MIT
#include "common/nix_names.h"

#include <gtest/gtest.h>

#include <string>

#include "support/error_of.h"
#include "support/nix_inputs.h"

namespace agntos {
namespace {

using namespace std::string_literals;
using testing::error_of;
using testing::hostile_names;
using testing::message_of;
using testing::shown;

TEST(NixNames, ValidNamesPassTheGrammar) {
  for (const std::string name : {"htop", "python3Packages.requests", "_private", "__proto__", "gtk-3", "foo'",
                                 "a.b-c.d_e", "let", "import", "true", "xorg.xf86-video-intel", "A1.b2.C3"}) {
    EXPECT_NO_THROW(check_attribute_path(name, "package name")) << name;
  }
  EXPECT_NO_THROW(check_attribute_path(std::string(200, 'a'), "package name"));
  EXPECT_NO_THROW(check_attribute_path(std::string(99, 'a') + "." + std::string(100, 'b'), "package name"));
}

TEST(NixNames, HostileNamesAreRefused) {
  const auto names = hostile_names();
  ASSERT_GE(names.size(), 40u);
  for (const auto& name : names) {
    SCOPED_TRACE(shown(name));
    EXPECT_EQ(error_of([&] { check_attribute_path(name, "package name"); }), Errc::invalid_name);
    EXPECT_TRUE(attribute_path_problem(name, "package name").has_value());
    EXPECT_EQ(error_of([&] { render_attribute_path(name); }), Errc::invalid_name);
    EXPECT_EQ(error_of([&] { check_option_path(name); }), Errc::invalid_name);
  }
}

TEST(NixNames, RefusalNamesTheCharacterAndPosition) {
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

TEST(NixNames, KeywordSegmentsAreQuoted) {
  EXPECT_EQ(render_attribute_path("htop"), "htop");
  EXPECT_EQ(render_attribute_path("python3Packages.let"), "python3Packages.\"let\"");
  EXPECT_EQ(render_attribute_path("or.in.x"), "\"or\".\"in\".x");
  EXPECT_EQ(render_attribute_path("inherit"), "\"inherit\"");
}

TEST(NixNames, ModuleSystemAttributesAreNotOptionPaths) {
  for (const std::string path : {"imports", "require", "disabledModules", "_module.args.pkgs", "config.x", "options.x",
                                 "_file", "key", "users.users.ada.imports", "home-manager.users.ada.imports",
                                 "specialisation.x.configuration.imports", "a._module.args"}) {
    SCOPED_TRACE(path);
    EXPECT_NO_THROW(check_attribute_path(path, "option path"));
    EXPECT_EQ(error_of([&] { check_option_path(path); }), Errc::invalid_name);
    EXPECT_NE(option_path_problem(path).value_or("").find("the Nix module system interprets itself"), std::string::npos);
  }
  // Only at the top are config, options and key structure; deeper they are ordinary names.
  EXPECT_NO_THROW(check_option_path("services.nginx.config"));
  EXPECT_NO_THROW(check_option_path("services.example.key"));
  // As attribute names in a value: the loading keys are refused, the rest quoted when needed.
  EXPECT_EQ(error_of([] { render_attribute_name("imports"); }), Errc::validation);
  EXPECT_EQ(error_of([] { render_attribute_name("_module"); }), Errc::validation);
  EXPECT_EQ(render_attribute_name("config"), "config");
  EXPECT_EQ(render_attribute_name("let"), "\"let\"");
  EXPECT_EQ(render_attribute_name("with space"), "\"with space\"");
}

TEST(NixNames, StringsAreEscapedAndRefuseWhatNixCannotHoldOrShowsDifferently) {
  EXPECT_EQ(render_nix_string("a\"b\\c${d}$e\n\t\r"), R"("a\"b\\c\${d}$e\n\t\r")");
  EXPECT_NE(message_of([] { render_nix_string("ab\0c"s); }).find("NUL byte at position 3"), std::string::npos);
  EXPECT_NE(message_of([] { render_nix_string("evil\xE2\x80\xAEtxt"); })
                .find("bidirectional control character U+202E at position 5"),
            std::string::npos);
}

}  // namespace
}  // namespace agntos
