// SPDX-License-Identifier: MIT
#include "common/option_type.h"

#include <gtest/gtest.h>

namespace agntos {
namespace {

using Result = TypeCheck::Result;

struct Case {
  const char* type;
  Json value;
  Result expected;
};

TEST(OptionType, ChecksValuesAgainstNixpkgsTypeDescriptions) {
  const Case cases[] = {
      {"boolean", true, Result::fits},
      {"boolean", "yes", Result::does_not_fit},
      {"signed integer", 42, Result::fits},
      {"signed integer", 4.5, Result::does_not_fit},
      {"16 bit unsigned integer; between 0 and 65535 (both inclusive)", 8080, Result::fits},
      {"16 bit unsigned integer; between 0 and 65535 (both inclusive)", 70000, Result::does_not_fit},
      {"16 bit unsigned integer; between 0 and 65535 (both inclusive)", -1, Result::does_not_fit},
      {"unsigned integer, meaning >=0", -3, Result::does_not_fit},
      {"positive integer, meaning >0", 0, Result::does_not_fit},
      {"integer between 1 and 10 (both inclusive)", 10, Result::fits},
      {"floating point number", 1.5, Result::fits},
      {"floating point number", 1, Result::does_not_fit},
      {"integer or floating point number between 0 and 1 (both inclusive)", 1, Result::fits},
      {"integer or floating point number between 0 and 1 (both inclusive)", 2.5, Result::does_not_fit},
      {"string", "Europe/Berlin", Result::fits},
      {"string", 5, Result::does_not_fit},
      {"non-empty string", " ", Result::does_not_fit},
      {"null or string without spaces", "Europe/Berlin", Result::fits},
      {"null or string without spaces", "Europe Berlin", Result::does_not_fit},
      {"null or string without spaces", nullptr, Result::fits},
      {"string, not containing newlines or colons", "a:b", Result::does_not_fit},
      {"string matching the pattern ^$|^[[:alnum:]]([[:alnum:]_-]{0,61}[[:alnum:]])?$", "demo-host", Result::fits},
      {"string matching the pattern ^$|^[[:alnum:]]([[:alnum:]_-]{0,61}[[:alnum:]])?$", "my host", Result::does_not_fit},
      {"strings concatenated with \"\\n\"", "a\nb", Result::fits},
      {"(optionally newline-terminated) single-line string", "a\nb", Result::does_not_fit},
      {"one of \"yes\", \"without-password\", \"prohibit-password\", \"forced-commands-only\", \"no\"", "no", Result::fits},
      {"one of \"yes\", \"without-password\", \"prohibit-password\", \"forced-commands-only\", \"no\"", "maybe", Result::does_not_fit},
      {"boolean or one of \"strict\", \"loose\"", "loose", Result::fits},
      {"boolean or one of \"strict\", \"loose\"", false, Result::fits},
      {"boolean or one of \"strict\", \"loose\"", "tight", Result::does_not_fit},
      {"list of 16 bit unsigned integer; between 0 and 65535 (both inclusive)", Json::array({80, 443}), Result::fits},
      {"list of 16 bit unsigned integer; between 0 and 65535 (both inclusive)", 8080, Result::does_not_fit},
      {"list of 16 bit unsigned integer; between 0 and 65535 (both inclusive)", Json::array({80, "x"}), Result::does_not_fit},
      {"list of (attribute set of 16 bit unsigned integer; between 0 and 65535 (both inclusive))",
       Json::array({Json{{"from", 1}, {"to", 2}}}), Result::fits},
      {"attribute set of string", Json{{"LC_TIME", "de_DE.UTF-8"}}, Result::fits},
      {"attribute set of string", Json{{"LC_TIME", 1}}, Result::does_not_fit},
      {"null or package or (absolute path, not containing newlines or colons)", "/run/current-system/sw/bin/zsh", Result::fits},
      {"list of package", Json::array({"htop"}), Result::does_not_fit},
      {"absolute path", "relative/path", Result::does_not_fit},
      {"anything", Json{{"a", 1}}, Result::fits},
      {"submodule", Json{{"a", 1}}, Result::unchecked},
      {"nixpkgs config", true, Result::unchecked},
  };
  for (const auto& c : cases) {
    const auto verdict = check_value(OptionType::parse(c.type), c.value);
    EXPECT_EQ(verdict.result, c.expected) << c.type << " with " << c.value.dump() << ": " << verdict.reason;
  }
}

TEST(OptionType, RefusalSaysWhatWasGivenAndTheRange) {
  const auto type = OptionType::parse("16 bit unsigned integer; between 0 and 65535 (both inclusive)");
  EXPECT_EQ(check_value(type, 70000).reason, "70000 is out of range (between 0 and 65535)");
  EXPECT_EQ(check_value(type, "http").reason, "got the string \"http\"");
}

TEST(OptionType, FindsTheListTypeAmongAlternatives) {
  const auto type = OptionType::parse("null or (list of string)");
  ASSERT_NE(type.list_type(), nullptr);
  EXPECT_EQ(type.list_type()->element->kind, OptionType::Kind::string);
  EXPECT_EQ(OptionType::parse("string").list_type(), nullptr);
}

TEST(OptionType, KnowsWhichTypesHaveAttributesBelowThem) {
  EXPECT_TRUE(OptionType::parse("attribute set of (submodule)").may_have_attributes());
  EXPECT_TRUE(OptionType::parse("open submodule of attribute set of anything").may_have_attributes());
  EXPECT_TRUE(OptionType::parse("some custom type").may_have_attributes());
  EXPECT_FALSE(OptionType::parse("boolean").may_have_attributes());
  EXPECT_FALSE(OptionType::parse("list of string").may_have_attributes());
}

}  // namespace
}  // namespace agntos
