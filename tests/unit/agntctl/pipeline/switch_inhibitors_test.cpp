// SPDX-License-Identifier: MIT
// switch or boot (issue 10 item 6) on fake NixOS generation trees: directories with the links a
// NixOS system has (kernel, initrd, kernel-modules, systemd, etc/systemd/system/dbus.service)
// and its switch-inhibitors file, made here.
#include <gtest/gtest.h>

#include "agntctl/pipeline/switch_inhibitors.h"
#include "common/files.h"
#include "support/temp_dir.h"

namespace agntctl {
namespace {

namespace fs = std::filesystem;
using agntos::ActivationMode;
using agntos::testing::TempDir;

class FakeStore {
public:
  // A "store path" with one file, for links to point at.
  fs::path package(const std::string& name) {
    const auto path = m_dir / "store" / name;
    agntos::make_directories(path);
    agntos::write_file_atomic(path / "file", name);
    return path;
  }
  // A NixOS-like system: each component links into its own package of `versions`.
  fs::path system(const std::string& name, const std::map<std::string, std::string>& versions,
                  const std::string& inhibitors = "") {
    const auto root = m_dir / "store" / name;
    agntos::make_directories(root / "etc/systemd/system");
    for (const auto& [component, version] : versions) {
      const auto target = package(component + "-" + version);
      const fs::path link = component == "dbus" ? root / "etc/systemd/system/dbus.service" : root / component;
      fs::create_symlink(component == "dbus" || component == "systemd" ? target : target / "file", link);
    }
    if (!inhibitors.empty()) agntos::write_file_atomic(root / "switch-inhibitors", inhibitors);
    return root;
  }

private:
  TempDir m_dir;
};

const std::map<std::string, std::string> kBase{
    {"kernel", "6.6.1"}, {"initrd", "1"}, {"kernel-modules", "6.6.1"}, {"systemd", "255"}, {"dbus", "1.14"}};

std::vector<std::string> components(const std::vector<CriticalChange>& changes) {
  std::vector<std::string> names;
  for (const auto& change : changes) names.push_back(change.component);
  return names;
}

TEST(SwitchInhibitors, ASystemThatChangesOnlyPackagesSwitchesLive) {
  FakeStore store;
  const auto running = store.system("running", kBase);
  const auto next = store.system("next", kBase);
  const auto changes = critical_changes({running, running}, next);
  EXPECT_TRUE(changes.empty());
  const auto choice = choose_activation(ActivationMode::switch_now, changes);
  EXPECT_EQ(choice.mode, ActivationMode::switch_now);
  EXPECT_TRUE(choice.notice().empty());
  EXPECT_TRUE(choice.to_json()["notice"].is_null());
}

TEST(SwitchInhibitors, ANewKernelInitrdSystemdOrDbusMeansBootAndAReboot) {
  for (const auto& component : {"kernel", "initrd", "kernel-modules", "systemd", "dbus"}) {
    FakeStore store;
    auto versions = kBase;
    versions[component] = "next";
    const auto running = store.system("running", kBase);
    const auto next = store.system("next", versions);
    const auto changes = critical_changes({running, running}, next);
    ASSERT_EQ(components(changes), std::vector<std::string>{component}) << component;
    EXPECT_NE(changes[0].after.find("next"), std::string::npos) << changes[0].after;
    const auto choice = choose_activation(ActivationMode::switch_now, changes);
    EXPECT_EQ(choice.mode, ActivationMode::boot) << component;
    EXPECT_NE(choice.notice().find("Reboot"), std::string::npos) << choice.notice();
    EXPECT_NE(choice.notice().find(component), std::string::npos) << choice.notice();
    EXPECT_EQ(choice.to_json()["critical_changes"][0]["component"], component);
  }
}

// As NixOS: boot-time parts against the booted system, systemd and dbus against the current one.
TEST(SwitchInhibitors, TheKernelIsComparedWithTheBootedSystemAndSystemdWithTheCurrentOne) {
  FakeStore store;
  auto new_kernel = kBase;
  new_kernel["kernel"] = "6.7";
  new_kernel["kernel-modules"] = "6.7";
  const auto booted = store.system("booted", kBase);
  const auto current = store.system("current", new_kernel);  // switched to live since the boot (forced)
  const auto next = store.system("next", new_kernel);
  EXPECT_EQ(components(critical_changes({booted, current}, next)), (std::vector<std::string>{"kernel", "kernel-modules"}));

  auto new_systemd = kBase;
  new_systemd["systemd"] = "256";
  const auto current2 = store.system("current2", new_systemd);
  EXPECT_TRUE(critical_changes({booted, current2}, store.system("next2", new_systemd)).empty());
  // A reference that is missing falls back to the other one.
  EXPECT_EQ(components(critical_changes({"/nonexistent", booted}, next)), (std::vector<std::string>{"kernel", "kernel-modules"}));
}

// nixpkgs' own check: keys present in both switch-inhibitors files whose values differ.
TEST(SwitchInhibitors, SharedSwitchInhibitorKeysThatDifferInhibitToo) {
  FakeStore store;
  const auto running = store.system("running", kBase, R"({"dbus-implementation":"dbus","only-old":"x"})");
  const auto next = store.system("next", kBase, R"({"dbus-implementation":"broker","only-new":"y"})");
  const auto changes = critical_changes({running, running}, next);
  ASSERT_EQ(components(changes), std::vector<std::string>{"dbus-implementation"});
  EXPECT_EQ(changes[0].before, "dbus");
  EXPECT_EQ(changes[0].after, "broker");
  const auto garbage = store.system("garbage", kBase, "not json");
  EXPECT_TRUE(critical_changes({running, running}, garbage).empty());
}

// A profile-backend system (no kernel, no systemd) never inhibits, nor does a system that
// lacks a component the other has.
TEST(SwitchInhibitors, ComponentsOnlyOneSystemHasAreNotCompared) {
  FakeStore store;
  const auto running = store.system("running", kBase);
  const auto bare = store.system("bare", {});
  EXPECT_TRUE(critical_changes({running, running}, bare).empty());
  EXPECT_TRUE(critical_changes({bare, bare}, running).empty());
  EXPECT_TRUE(critical_changes({"", ""}, running).empty());
}

TEST(SwitchInhibitors, BootStaysBootAndTheConfiguredModeIsKept) {
  const std::vector<CriticalChange> kernel{{"kernel", "/a", "/b"}};
  EXPECT_EQ(choose_activation(ActivationMode::boot, kernel).mode, ActivationMode::boot);
  EXPECT_TRUE(choose_activation(ActivationMode::boot, kernel).notice().empty());
  EXPECT_EQ(choose_activation(ActivationMode::test, kernel).mode, ActivationMode::boot);
  EXPECT_EQ(choose_activation(ActivationMode::test, {}).mode, ActivationMode::test);
  const auto json = choose_activation(ActivationMode::switch_now, kernel).to_json();
  EXPECT_EQ(json["configured"], "switch");
  EXPECT_EQ(json["mode"], "boot");
}

}  // namespace
}  // namespace agntctl
