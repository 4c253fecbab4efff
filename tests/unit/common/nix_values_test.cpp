// SPDX-License-Identifier: MIT
#include "common/nix_values.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "support/error_of.h"
#include "support/nix_inputs.h"

namespace agntos {
namespace {

using namespace std::string_literals;
using testing::error_of;
using testing::shown;

TEST(NixValues, ValuesBecomeTypedLiterals) {
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

TEST(NixValues, ValuesWithoutANixLiteralAreRefused) {
  for (const std::string& value : std::vector<std::string>{
           "9223372036854775808", "-9223372036854775808", "99999999999999999999999", "1e999", "1e-320", "a\0b"s,
           "[\"a\\u0000b\"]", "evil\xE2\x80\xAEtxt.exe", "[18446744073709551615]",
           std::string(100, '[') + std::string(100, ']')}) {
    SCOPED_TRACE(shown(value));
    EXPECT_EQ(error_of([&] { render_nix_value(value); }), Errc::validation);
  }
}

TEST(NixValues, JsonLayoutIsIndentedAndDeterministic) {
  EXPECT_EQ(render_nix_json(Json::parse(R"([1, [2, 3]])")), "[\n  1\n  [ 2 3 ]\n]");
  EXPECT_EQ(render_nix_json(Json::parse(R"({"a": {"b": [1]}})"), 2), "{\n    a = {\n      b = [ 1 ];\n    };\n  }");
  EXPECT_EQ(render_nix_json(Json::parse(R"([{"a": 1}, {}])")), "[\n  { a = 1; }\n  { }\n]");
  EXPECT_EQ(render_nix_json(Json::parse(R"({"b": 1, "a": 2})")), "{\n  b = 1;\n  a = 2;\n}");
}

TEST(NixValues, AValueCannotSmuggleInModuleSystemAttributes) {
  EXPECT_EQ(error_of([] { render_nix_value(R"({"imports": ["/tmp/evil.nix"]})"); }), Errc::validation);
  EXPECT_EQ(error_of([] { render_nix_value(R"([{"a": {"_module": {"args": {}}}}])"); }), Errc::validation);
}

TEST(NixValues, ValuesAsJsonMirrorTheirNixRendering) {
  EXPECT_EQ(nix_value_as_json("8080"), Json(8080));
  EXPECT_EQ(nix_value_as_json("true"), Json(true));
  EXPECT_EQ(nix_value_as_json("null"), Json(nullptr));
  EXPECT_EQ(nix_value_as_json("1.5"), Json(1.5));
  EXPECT_EQ(nix_value_as_json("[80, 443]"), Json::array({80, 443}));
  EXPECT_EQ(nix_value_as_json("Europe/Berlin"), Json("Europe/Berlin"));
  EXPECT_EQ(nix_value_as_json("[not json"), Json("[not json"));
}

}  // namespace
}  // namespace agntos
