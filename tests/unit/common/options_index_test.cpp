// SPDX-License-Identifier: MIT
#include "common/options_index.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "support/nixpkgs_lib.h"

namespace agntos {
namespace {

using testing::nixpkgs_lib;
using testing::shipped_options_index;
using Kind = PathMatch::Kind;

// The index of the shipped declarations, made by lib.optionAttrSetToDocList (real Nix).
#define REQUIRE_SHIPPED_INDEX(index)                              \
  const auto lib = nixpkgs_lib();                                 \
  if (!lib) GTEST_SKIP() << testing::kNoNixpkgsLib;               \
  const OptionsIndex& index = shipped_options_index(*lib)

OptionsIndex small_index() {
  return OptionsIndex::from_json(
      Json::array({Json{{"name", "services.openssh.enable"}, {"type", "boolean"}, {"default", "false"}, {"description", "ssh"}},
                   Json{{"name", "users.users"}, {"type", "attribute set of (submodule)"}},
                   Json{{"name", "users.users.<name>.isNormalUser"}, {"type", "boolean"}},
                   Json{{"name", "nix.settings"}, {"type", "open submodule of attribute set of anything"}},
                   Json{{"name", "nix.settings.trusted-users"}, {"type", "list of string"}},
                   Json{{"name", "environment.variables"}, {"type", "attribute set of string"}},
                   Json{{"name", "boot.kernel.sysctl.\"net.ipv4.ip_forward\""}, {"type", "boolean"}}}),
      "test");
}

TEST(OptionsIndex, MatchesOptionsGroupsPlaceholdersAndAttributeSets) {
  const auto index = small_index();
  EXPECT_EQ(index.match("services.openssh.enable").kind, Kind::option);
  EXPECT_EQ(index.match("services.openssh").kind, Kind::group);
  EXPECT_EQ(index.match("users.users.ada.isNormalUser").kind, Kind::option);
  EXPECT_EQ(index.match("users.users.ada.isNormalUser").option->name, "users.users.<name>.isNormalUser");
  EXPECT_EQ(index.match("environment.variables.EDITOR").kind, Kind::inside);
  EXPECT_EQ(index.match("nix.settings.max-jobs").kind, Kind::inside);  // open submodule: freeform
  EXPECT_EQ(index.match(std::vector<std::string>{"boot", "kernel", "sysctl", "net.ipv4.ip_forward"}).kind, Kind::option);
  const auto typo = index.match("users.users.ada.isNormalUsr");
  EXPECT_EQ(typo.kind, Kind::unknown);
  EXPECT_EQ(typo.matched_segments, 3u);
  const auto below_bool = index.match("services.openssh.enable.really");
  EXPECT_EQ(below_bool.kind, Kind::unknown);
  ASSERT_NE(below_bool.option, nullptr);
  EXPECT_EQ(below_bool.option->name, "services.openssh.enable");
}

TEST(OptionsIndex, RefusesAListThatIsNotAnIndex) {
  EXPECT_THROW(OptionsIndex::from_json(Json{{"name", "x"}}, "test"), Error);
  EXPECT_THROW(OptionsIndex::from_json(Json::array({Json{{"type", "boolean"}}}), "test"), Error);
}

TEST(OptionsIndex, NamesKeepTheirQuotedSegments) {
  EXPECT_EQ(option_path_segments("boot.kernel.sysctl.\"net.ipv4.ip_forward\""),
            (std::vector<std::string>{"boot", "kernel", "sysctl", "net.ipv4.ip_forward"}));
  EXPECT_EQ(option_path_name({"boot", "kernel", "sysctl", "net.ipv4.ip_forward"}), "boot.kernel.sysctl.\"net.ipv4.ip_forward\"");
  EXPECT_EQ(option_path_name({"users", "users", "<name>", "isNormalUser"}), "users.users.<name>.isNormalUser");
}

TEST(OptionsIndex, ShippedDeclarationsHaveNixosNamesAndTypes) {
  REQUIRE_SHIPPED_INDEX(index);
  const auto* ports = index.find("networking.firewall.allowedTCPPorts");
  ASSERT_NE(ports, nullptr);
  EXPECT_EQ(ports->type, "list of 16 bit unsigned integer; between 0 and 65535 (both inclusive)");
  EXPECT_EQ(ports->default_text, "[ ]");
  ASSERT_NE(index.find("time.timeZone"), nullptr);
  EXPECT_EQ(index.find("time.timeZone")->type, "null or string without spaces");
  for (const char* name : {"networking.hostName", "networking.firewall.enable", "networking.firewall.allowedUDPPorts",
                           "services.openssh.enable", "users.users.<name>.isNormalUser", "users.users.<name>.extraGroups",
                           "i18n.defaultLocale", "virtualisation.docker.enable", "services.tailscale.enable",
                           "services.printing.enable", "hardware.bluetooth.enable", "services.pipewire.enable",
                           "services.nginx.enable", "services.postgresql.enable", "environment.systemPackages"})
    EXPECT_NE(index.find(name), nullptr) << name;
  EXPECT_EQ(index.find("environment.systemPackages")->type, "list of package");
  EXPECT_EQ(index.find("services.openssh.enable")->type, "boolean");
  // Internal options (_module.check) are not in the index.
  EXPECT_EQ(index.find("_module.check"), nullptr);
}

TEST(OptionsIndex, UnknownPathGetsTheRealOptionAsDidYouMean) {
  REQUIRE_SHIPPED_INDEX(index);
  EXPECT_EQ(index.match("services.docker.enable").kind, Kind::unknown);
  const auto docker = index.suggestions(option_path_segments("services.docker.enable"));
  ASSERT_FALSE(docker.empty());
  EXPECT_EQ(docker.front(), "virtualisation.docker.enable");
  EXPECT_EQ(index.suggestions(option_path_segments("timezone")).front(), "time.timeZone");
  EXPECT_EQ(index.suggestions(option_path_segments("networking.firewall.allowedTCPPort")).front(),
            "networking.firewall.allowedTCPPorts");
  EXPECT_EQ(index.suggestions(option_path_segments("networking.hostname")).front(), "networking.hostName");
  EXPECT_EQ(index.suggestions(option_path_segments("users.users.ada.isNormalUsr")).front(), "users.users.ada.isNormalUser");
}

TEST(OptionsIndex, SearchFindsOptionsByWordsOrPath) {
  REQUIRE_SHIPPED_INDEX(index);
  const auto by_words = index.search("time zone");
  ASSERT_FALSE(by_words.empty());
  EXPECT_EQ(by_words.front()->name, "time.timeZone");
  const auto docker = index.search("docker");
  ASSERT_FALSE(docker.empty());
  EXPECT_EQ(docker.front()->name, "virtualisation.docker.enable");
  const auto by_path = index.search("networking.firewall.allowedTCPPorts");
  ASSERT_EQ(by_path.size(), 1u);
  EXPECT_EQ(by_path.front()->name, "networking.firewall.allowedTCPPorts");
  const auto group = index.search("networking.firewall");
  EXPECT_GT(group.size(), 5u);
  for (const auto* option : group) EXPECT_TRUE(option->name.starts_with("networking.firewall.")) << option->name;
  EXPECT_TRUE(index.search("no such words at all").empty());
}

}  // namespace
}  // namespace agntos
