// SPDX-License-Identifier: MIT
// toml++ is compiled into the programs (header-only, cmake/StaticRuntime.cmake) instead of
// used as Debian's shared library. toml++ 3.3.0 reaches TOML_UNREACHABLE for some non-ASCII
// characters where it expects whitespace (docs/fuzzing.md, Findings); these tests pin what the
// compiled-in parser does with every one of them: an ordinary parse error, as the shared
// library gives, never a crash and never a value.
#include <gtest/gtest.h>

#include <fstream>

#include "common/error.h"
#include "common/models_config.h"
#include "common/settings.h"
#include "support/temp_dir.h"

namespace agntos {
namespace {

// Thousands of small files: written plainly (write_file_atomic would fsync each one).
void write_text(const std::filesystem::path& file, const std::string& text) {
  std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
}

std::string utf8(char32_t c) {
  std::string out;
  if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
  } else {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
  }
  out += static_cast<char>(0x80 | (c & 0x3F));
  return out;
}

// The code points the settings fuzzer found (U+00A1–U+0499, U+2C8E–U+3087, U+FC06–U+FEFE),
// in the places where the parser looks for whitespace: alone, and after a value.
std::vector<std::string> unreachable_inputs() {
  std::vector<std::string> inputs;
  for (const auto& [first, last] : std::vector<std::pair<char32_t, char32_t>>{{0xA1, 0x499}, {0x2C8E, 0x3087}, {0xFC06, 0xFEFE}})
    for (char32_t c = first; c <= last; ++c) {
      inputs.push_back(utf8(c));
      inputs.push_back("[limits]\nmemory_chars = 3000 " + utf8(c) + "\n");
    }
  return inputs;
}

TEST(TomlParse, CharactersThatReachTomlUnreachableAreParseErrorsInSettings) {
  testing::TempDir dir;
  Paths paths;
  paths.config_dir = dir.path();
  paths.state_dir = dir / "state";
  size_t refused = 0;
  const auto inputs = unreachable_inputs();
  for (const auto& text : inputs) {
    write_text(dir / "agntos.toml", text);
    try {
      Settings::load(paths);
    } catch (const Error&) {
      ++refused;
    }
  }
  EXPECT_EQ(refused, inputs.size());
}

TEST(TomlParse, CharactersThatReachTomlUnreachableAreParseErrorsInModelsToml) {
  testing::TempDir dir;
  size_t refused = 0;
  const auto inputs = unreachable_inputs();
  for (const auto& text : inputs) {
    write_text(dir / "models.toml", "[default]\nprovider = \"offline\"\n" + text);
    try {
      ModelsConfig::load(dir / "models.toml");
    } catch (const Error&) {
      ++refused;
    }
  }
  EXPECT_EQ(refused, inputs.size());
}

}  // namespace
}  // namespace agntos
