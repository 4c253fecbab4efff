// SPDX-License-Identifier: MIT
#include "common/system/nixos.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "common/files.h"
#include "support/temp_dir.h"

namespace agntos {
namespace {

void write(const testing::TempDir& root, const std::string& path, std::string_view content) {
  write_file_atomic(root / path, content, 0644, MakeParents::yes);
}

TEST(NixosInfo, ReadsNixosGenerationsAndVersion) {
  testing::TempDir root;
  namespace fs = std::filesystem;
  write(root, "etc/os-release", "ID=nixos\nPRETTY_NAME=\"NixOS 24.05 (Uakari)\"\n");
  write(root, "run/current-system/nixos-version", "24.05.20240615.1234abc\n");
  const auto profiles = root / "nix/var/nix/profiles";
  fs::create_directories(profiles);
  for (const char* link : {"system-1-link", "system-2-link", "system-42-link"})
    fs::create_symlink("/nix/store/xxx-nixos-system", profiles / link);
  fs::create_symlink("system-42-link", profiles / "system");
  fs::create_symlink("/nix/store/yyy-user", profiles / "per-user-1-link");

  const auto info = read_nixos_info(root.path());
  EXPECT_TRUE(info.os.is_nixos());
  EXPECT_EQ(info.version, "24.05.20240615.1234abc");
  EXPECT_EQ(info.system.current, 42);
  ASSERT_EQ(info.system.generations.size(), 3u);
  EXPECT_EQ(info.system.generations[0].number, 1);
  EXPECT_EQ(info.system.generations[2].number, 42);
  EXPECT_TRUE(info.system.generations[2].current);
  EXPECT_FALSE(info.system.generations[0].current);
  EXPECT_GT(info.system.generations[0].mtime, 0);

  const auto missing = read_profile_generations(root / "nowhere/system");
  EXPECT_EQ(missing.current, std::nullopt);
  EXPECT_TRUE(missing.generations.empty());
}

}  // namespace
}  // namespace agntos
