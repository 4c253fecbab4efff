// SPDX-License-Identifier: MIT
#include "common/system/os.h"

#include <gtest/gtest.h>

#include "common/files.h"
#include "support/temp_dir.h"

namespace agntos {
namespace {

constexpr const char* kNixosRelease = R"os(ANSI_COLOR="1;34"
BUG_REPORT_URL="https://github.com/NixOS/nixpkgs/issues"
BUILD_ID="24.05.20240615.1234abc"
ID=nixos
NAME=NixOS
PRETTY_NAME="NixOS 24.05 (Uakari)"
VERSION="24.05 (Uakari)"
VERSION_CODENAME=uakari
VERSION_ID="24.05"
)os";

constexpr const char* kDebianRelease = R"os(PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
)os";

void write(const testing::TempDir& root, const std::string& path, std::string_view content) {
  write_file_atomic(root / path, content, 0644, MakeParents::yes);
}

TEST(OsRelease, ParsesNixosOsRelease) {
  const auto os = parse_os_release(kNixosRelease);
  EXPECT_TRUE(os.is_nixos());
  EXPECT_EQ(os.id, "nixos");
  EXPECT_EQ(os.name, "NixOS");
  EXPECT_EQ(os.pretty_name, "NixOS 24.05 (Uakari)");
  EXPECT_EQ(os.version_id, "24.05");
  EXPECT_EQ(os.version, "24.05 (Uakari)");
}

TEST(OsRelease, ParsesDebianOsRelease) {
  const auto os = parse_os_release(kDebianRelease);
  EXPECT_FALSE(os.is_nixos());
  EXPECT_EQ(os.id, "debian");
  EXPECT_EQ(os.pretty_name, "Debian GNU/Linux 12 (bookworm)");
  EXPECT_EQ(os.version_id, "12");
}

TEST(OsRelease, OsReleaseFallsBackToNameAndUsrLib) {
  EXPECT_EQ(parse_os_release("# comment\nNAME='Alpine Linux'\nVERSION=3.19\n").pretty_name, "Alpine Linux 3.19");
  EXPECT_EQ(parse_os_release("NAME=\"Say \\\"hi\\\"\"\n").name, "Say \"hi\"");
  EXPECT_EQ(parse_os_release("").pretty_name, "Linux");
  testing::TempDir root;
  write(root, "usr/lib/os-release", kDebianRelease);
  EXPECT_EQ(read_os_release(root.path()).id, "debian");
  write(root, "etc/os-release", kNixosRelease);
  EXPECT_EQ(read_os_release(root.path()).id, "nixos");
}

}  // namespace
}  // namespace agntos
