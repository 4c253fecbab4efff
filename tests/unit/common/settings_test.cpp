// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include "common/error.h"
#include "common/files.h"
#include "common/settings.h"
#include "support/temp_dir.h"

namespace agntos {
namespace {

Paths paths_in(const testing::TempDir& dir) {
  Paths paths;
  paths.config_dir = dir.path();
  paths.state_dir = dir / "state";
  return paths;
}

TEST(Settings, MissingFileMeansDefaults) {
  testing::TempDir dir;
  const auto settings = Settings::load(paths_in(dir));
  EXPECT_EQ(settings.rebuild.backend, RebuildBackend::nixos);
  EXPECT_EQ(settings.policy.bash_sandbox, SandboxPolicy::required);
  EXPECT_EQ(settings.limits.memory_chars, 2200);
  EXPECT_EQ(settings.rebuild.profile_path, (dir / "state/profile/system").string());
}

TEST(Settings, ReadsEverySection) {
  testing::TempDir dir;
  write_file_atomic(dir / "agntos.toml", R"(
[rebuild]
backend = "profile"
mode = "test"
[rebuild.profile]
pkgs = "/x/demo-pkgs"
[policy]
bash_sandbox = "off"
[limits]
memory_chars = 3000
)");
  const auto settings = Settings::load(paths_in(dir));
  EXPECT_EQ(settings.rebuild.backend, RebuildBackend::profile);
  EXPECT_EQ(settings.rebuild.mode, ActivationMode::test);
  EXPECT_EQ(settings.rebuild.profile_pkgs, "/x/demo-pkgs");
  EXPECT_EQ(settings.policy.bash_sandbox, SandboxPolicy::off);
  EXPECT_EQ(settings.limits.memory_chars, 3000);
  EXPECT_EQ(settings.limits.user_chars, 1375);
}

TEST(Settings, BadValuesNameTheKey) {
  testing::TempDir dir;
  write_file_atomic(dir / "agntos.toml", "[rebuild]\nbackend = \"docker\"\n");
  try {
    Settings::load(paths_in(dir));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::unknown_value);
    EXPECT_EQ(std::string(e.what()),
              (dir / "agntos.toml").string() + " [rebuild]: backend = \"docker\" is not one of \"nixos\", \"profile\"");
  }
  write_file_atomic(dir / "agntos.toml", "[policy]\nbash_sandbox = \"maybe\"\n");
  try {
    Settings::load(paths_in(dir));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::unknown_value);
    EXPECT_NE(std::string(e.what()).find("bash_sandbox = \"maybe\" is not one of \"required\", \"off\""), std::string::npos)
        << e.what();
  }
  write_file_atomic(dir / "agntos.toml", "[rebuild\n");
  EXPECT_THROW(Settings::load(paths_in(dir)), Error);
}

// Found by fuzz/settings_fuzzer: toml++ converted a float to int64_t before checking its range
// (1e34: undefined behaviour). Limits are integers; a float is refused like any other type.
TEST(Settings, AFloatLimitIsRefusedNotConverted) {
  testing::TempDir dir;
  for (const char* value : {"4000.0", "1e34", "-1e34", "nan", "inf"}) {
    write_file_atomic(dir / "agntos.toml", std::string("[limits]\nmemory_chars = ") + value + "\n");
    try {
      Settings::load(paths_in(dir));
      ADD_FAILURE() << "memory_chars = " << value << " was accepted";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("memory_chars must be a positive integer"), std::string::npos) << e.what();
    }
  }
}

TEST(Settings, ConfirmTimerDefaultsToTheRemoteAccessClassesFor60Seconds) {
  testing::TempDir dir;
  const auto defaults = Settings::load(paths_in(dir));
  EXPECT_EQ(defaults.rebuild.confirm_classes,
            (std::vector<std::string>{"networking", "firewall", "openssh", "users", "boot"}));
  EXPECT_FALSE(defaults.rebuild.confirm_timeout);
  EXPECT_EQ(defaults.rebuild.confirm_class_timeout, 60);

  write_file_atomic(dir / "agntos.toml",
                    "[rebuild]\nconfirm_classes = [\"openssh\", \"services.tailscale\"]\nconfirm_timeout = 30\n"
                    "confirm_class_timeout = 5\n");
  const auto settings = Settings::load(paths_in(dir));
  EXPECT_EQ(settings.rebuild.confirm_classes, (std::vector<std::string>{"openssh", "services.tailscale"}));
  EXPECT_EQ(settings.rebuild.confirm_timeout, 30);
  EXPECT_EQ(settings.rebuild.confirm_class_timeout, 5);
}

TEST(Settings, ConfirmSettingsOfTheWrongShapeNameTheKey) {
  testing::TempDir dir;
  for (const char* text : {"[rebuild]\nconfirm_classes = \"networking\"\n", "[rebuild]\nconfirm_classes = [\"a b\"]\n",
                           "[rebuild]\nconfirm_timeout = 0\n", "[rebuild]\nconfirm_class_timeout = 1.5\n"}) {
    write_file_atomic(dir / "agntos.toml", text);
    try {
      Settings::load(paths_in(dir));
      ADD_FAILURE() << text;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("confirm_"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace agntos
