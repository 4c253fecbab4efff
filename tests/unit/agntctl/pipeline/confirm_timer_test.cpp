// SPDX-License-Identifier: MIT
// Which activations the confirm-or-revert timer gates (issue 10 item 5), and its record.
#include <gtest/gtest.h>

#include "agntctl/pipeline/confirm_timer.h"
#include "common/error.h"
#include "common/files.h"
#include "support/temp_dir.h"

namespace agntctl {
namespace {

namespace fs = std::filesystem;
using agntos::testing::TempDir;

agntos::Settings::Rebuild defaults() { return agntos::Settings::Rebuild{}; }

FileChange write(const std::string& path, const std::string& content) {
  FileChange change;
  change.path = path;
  change.content = content;
  return change;
}

std::optional<ConfirmGate> by_files(const std::vector<FileChange>& changes, const agntos::Settings::Rebuild& settings = defaults()) {
  TempDir dir;
  return confirm_gate(settings, dir.path(), changes, std::nullopt);
}

TEST(ConfirmGate, APackageInstallIsNotGated) {
  EXPECT_FALSE(by_files({write("packages/htop.nix", "{ pkgs, ... }: { environment.systemPackages = [ pkgs.htop ]; }")}));
  EXPECT_FALSE(confirm_gate(defaults(), "/nonexistent", {}, std::vector<std::string>{"environment.etc.motd"}));
}

TEST(ConfirmGate, EachRemoteAccessClassIsGatedFor60SecondsByDefault) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"networking", "networking.hostName"},
      {"firewall", "networking.firewall.allowedTCPPorts"},
      {"openssh", "services.openssh.settings.PasswordAuthentication"},
      {"users", "users.users.alice.openssh.authorizedKeys.keys"},
      {"boot", "boot.kernelParams"}};
  for (const auto& [name, path] : cases) {
    const auto gate = confirm_gate(defaults(), "/nonexistent", {}, std::vector<std::string>{path});
    ASSERT_TRUE(gate) << path;
    EXPECT_EQ(gate->timeout_s, 60);
    EXPECT_NE(std::find(gate->classes.begin(), gate->classes.end(), name), gate->classes.end()) << path;
    EXPECT_EQ(gate->because, std::vector<std::string>{path});
    EXPECT_NE(gate->notice().find("60 s"), std::string::npos) << gate->notice();
    EXPECT_NE(gate->notice().find("agntctl confirm"), std::string::npos) << gate->notice();
  }
}

TEST(ConfirmGate, FilesSayWhichOptionsTheyTouchWhenNoManifestDoes) {
  auto gate = by_files({write("options/networking-hostName.nix", "\"demo\"")});
  ASSERT_TRUE(gate);
  EXPECT_EQ(gate->classes, std::vector<std::string>{"networking"});
  EXPECT_EQ(gate->because, std::vector<std::string>{"networking.hostName"});

  gate = by_files({write("services/openssh.nix", "{ services.openssh.enable = true; }")});
  ASSERT_TRUE(gate);
  EXPECT_EQ(gate->classes, std::vector<std::string>{"openssh"});

  // A free-form module with nested attribute sets.
  gate = by_files({write("modules/fw.nix", "{ networking = { firewall = { allowedTCPPorts = [ 22 ]; }; }; }")});
  ASSERT_TRUE(gate);
  EXPECT_EQ(gate->classes, (std::vector<std::string>{"networking", "firewall"}));

  // Comments do not count.
  EXPECT_FALSE(by_files({write("modules/x.nix", "# networking is untouched\n{ /* users */ environment.variables.A = \"1\"; }")}));
}

TEST(ConfirmGate, RemovingAModuleThatSetOptionsOfAClassIsGatedToo) {
  TempDir dir;
  agntos::make_directories(dir / "modules");
  agntos::write_file_atomic(dir / "modules/users.nix", "{ users.users.alice.isNormalUser = true; }");
  FileChange removal;
  removal.path = "modules/users.nix";
  const auto gate = confirm_gate(defaults(), dir.path(), {removal}, std::nullopt);
  ASSERT_TRUE(gate);
  EXPECT_EQ(gate->classes, std::vector<std::string>{"users"});
}

TEST(ConfirmGate, TheClassListAndTimeoutsComeFromTheSettings) {
  auto settings = defaults();
  settings.confirm_classes = {"services.tailscale"};
  settings.confirm_class_timeout = 5;
  EXPECT_FALSE(confirm_gate(settings, "/nonexistent", {}, std::vector<std::string>{"networking.hostName"}));
  const auto gate = confirm_gate(settings, "/nonexistent", {}, std::vector<std::string>{"services.tailscale.enable"});
  ASSERT_TRUE(gate);
  EXPECT_EQ(gate->timeout_s, 5);

  settings.confirm_classes = {};
  EXPECT_FALSE(confirm_gate(settings, "/nonexistent", {}, std::vector<std::string>{"networking.hostName"}));

  // confirm_timeout gates every change.
  settings.confirm_timeout = 3;
  const auto every = confirm_gate(settings, "/nonexistent", {}, std::vector<std::string>{});
  ASSERT_TRUE(every);
  EXPECT_TRUE(every->every_change);
  EXPECT_EQ(every->timeout_s, 3);
  EXPECT_NE(every->notice().find("confirm_timeout"), std::string::npos);
}

TEST(ConfirmGate, ManifestsOfTwoSystemsGiveTheChangedOptionPaths) {
  TempDir dir;
  agntos::make_directories(dir / "a");
  agntos::make_directories(dir / "b");
  agntos::write_file_atomic(dir / "a/manifest.json",
                            R"({"packages":[],"options":{"networking":{"hostName":"a","firewall":{"enable":true}},"x":1}})");
  agntos::write_file_atomic(dir / "b/manifest.json",
                            R"({"packages":[],"options":{"networking":{"hostName":"b","firewall":{"enable":true}},"y":[1]}})");
  const auto changed = changed_options((dir / "a").string(), (dir / "b").string());
  ASSERT_TRUE(changed);
  EXPECT_EQ(*changed, (std::vector<std::string>{"networking.hostName", "x", "y"}));
  // No running system: every option of the new one is new.
  EXPECT_EQ(changed_options(std::nullopt, (dir / "a").string())->size(), 3u);
  // A system without a manifest (NixOS): the files decide.
  EXPECT_FALSE(changed_options((dir / "a").string(), dir.path().string()));
}

TEST(PendingConfirmation, IsSavedAtomicallyAndReadBackExactly) {
  TempDir dir;
  agntos::Paths paths;
  paths.config_dir = dir.path();
  EXPECT_FALSE(PendingConfirmation::load(paths));
  PendingConfirmation record;
  record.audit_id = "a-1";
  record.phase = ConfirmPhase::waiting;
  record.deadline_ms = 1'700'000'000'123;
  record.gate.timeout_s = 3;
  record.gate.classes = {"networking"};
  record.summary = "Applied: hostname";
  record.backend = agntos::RebuildBackend::profile;
  record.watchdog = WatchdogKind::detached;
  record.generation_before = 4;
  record.before = {{"options/networking-hostName.nix", std::string("\"old\"\n")}, {"modules/new.nix", std::nullopt}};
  record.save(paths);
  EXPECT_EQ(fs::status(pending_confirmation_file(paths)).permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write);
  const auto read = PendingConfirmation::load(paths);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->to_json(), record.to_json());
  EXPECT_EQ(read->deadline_iso(), "2023-11-14T22:13:20.123Z");
  PendingConfirmation::remove(paths);
  EXPECT_FALSE(PendingConfirmation::load(paths));
  agntos::write_file_atomic(pending_confirmation_file(paths), "{");
  EXPECT_THROW(PendingConfirmation::load(paths), agntos::Error);
}

// The record's phase, backend and watchdog are typed; they are text only in the file, and a word
// there that none of them has is an error naming it and the valid ones.
TEST(PendingConfirmation, AWordOutsideItsVocabularyIsRefusedNamingTheValidOnes) {
  PendingConfirmation record;
  record.audit_id = "a-1";
  record.phase = ConfirmPhase::waiting;
  record.backend = agntos::RebuildBackend::nixos;
  record.watchdog = WatchdogKind::systemd;
  const auto json = record.to_json();
  EXPECT_EQ(json["phase"], "waiting");
  EXPECT_EQ(json["backend"], "nixos");
  EXPECT_EQ(json["watchdog"], "systemd");
  const auto read = PendingConfirmation::from_json(json);
  EXPECT_EQ(read.phase, ConfirmPhase::waiting);
  EXPECT_EQ(read.backend, agntos::RebuildBackend::nixos);
  EXPECT_EQ(read.watchdog, WatchdogKind::systemd);
  auto bad = json;
  bad["phase"] = "sleeping";
  try {
    PendingConfirmation::from_json(bad);
    FAIL() << "no error";
  } catch (const agntos::Error& e) {
    EXPECT_EQ(e.code(), agntos::Errc::unknown_value);
    EXPECT_EQ(std::string(e.what()), "confirmation phase \"sleeping\" is not one of \"activating\", \"waiting\"");
  }
  bad = json;
  bad["watchdog"] = "cron";
  EXPECT_THROW(PendingConfirmation::from_json(bad), agntos::Error);
}

}  // namespace
}  // namespace agntctl
