// SPDX-License-Identifier: MIT
#include "common/system/generations.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "support/temp_dir.h"

namespace agntos {
namespace {

TEST(Generations, ParsesGenerationLinkNames) {
  EXPECT_EQ(parse_generation_link("system", "system-42-link"), 42);
  EXPECT_EQ(parse_generation_link("system", "system-x-link"), std::nullopt);
  EXPECT_EQ(parse_generation_link("system", "system-profiles"), std::nullopt);
  EXPECT_EQ(parse_generation_link("sys", "system-1-link"), std::nullopt);
  EXPECT_EQ(parse_generation_link("system", "system--link"), std::nullopt);
}

TEST(Generations, ReadsTheLinksBesideAProfileAndMarksTheCurrentOne) {
  testing::TempDir dir;
  namespace fs = std::filesystem;
  const auto profile = dir / "system";
  for (const char* link : {"system-3-link", "system-10-link", "system-2-link"})
    fs::create_symlink("/nix/store/xxx-system", dir / link);
  fs::create_symlink("/nix/store/yyy-other", dir / "other-1-link");
  EXPECT_EQ(read_current_generation(profile), std::nullopt);  // no profile link yet
  fs::create_symlink("system-10-link", profile);
  EXPECT_EQ(read_current_generation(profile), 10);

  const auto read = read_profile_generations(profile);
  EXPECT_EQ(read.profile, profile);
  EXPECT_EQ(read.current, 10);
  ASSERT_EQ(read.generations.size(), 3u);
  EXPECT_EQ(read.generations[0].number, 2);  // oldest first, by number not by name
  EXPECT_EQ(read.generations[1].number, 3);
  EXPECT_EQ(read.generations[2].number, 10);
  EXPECT_TRUE(read.generations[2].current);
  EXPECT_FALSE(read.generations[0].current);
  EXPECT_GT(read.generations[0].mtime, 0);
}

TEST(Generations, AProfileLinkToSomethingElseHasNoCurrentGeneration) {
  testing::TempDir dir;
  namespace fs = std::filesystem;
  fs::create_symlink("/nix/store/zzz-elsewhere", dir / "system");
  fs::create_symlink("/nix/store/xxx-system", dir / "system-1-link");
  EXPECT_EQ(read_current_generation(dir / "system"), std::nullopt);
  const auto read = read_profile_generations(dir / "system");
  ASSERT_EQ(read.generations.size(), 1u);
  EXPECT_FALSE(read.generations[0].current);
}

}  // namespace
}  // namespace agntos
