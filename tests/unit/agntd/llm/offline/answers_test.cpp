// SPDX-License-Identifier: MIT
#include "agntd/llm/offline/answers.h"

#include <gtest/gtest.h>

namespace agntd::offline {
namespace {

TEST(OfflineAnswers, SizesAreInBinaryUnits) {
  EXPECT_EQ(human_bytes(84258521088.0), "78 GiB");
  EXPECT_EQ(human_bytes(270553174016.0), "252 GiB");
  EXPECT_EQ(human_bytes(1610612736.0), "1.5 GiB");
  EXPECT_EQ(human_bytes(512.0), "512 B");
}

TEST(OfflineAnswers, DurationsAreWords) {
  EXPECT_EQ(human_duration(42), "42 seconds");
  EXPECT_EQ(human_duration(12791), "3 hours 33 minutes");
  EXPECT_EQ(human_duration(93784), "1 day 2 hours");
}

TEST(OfflineAnswers, DiskSaysFreeOfSizeOnTheMountpoint) {
  const Json disk = Json::parse(R"({"disks":[{"mountpoint":"/","device":"/dev/vda","fstype":"ext4","read_only":false,
      "size_bytes":270553174016,"used_bytes":30196936704,"free_bytes":84258521088,"used_percent":30}],"count":1})");
  EXPECT_EQ(inspect_answer("disk", "", disk), "78 GiB free of 252 GiB on / (30% used, ext4).");
}

TEST(OfflineAnswers, NetworkListsTheAddressesOfEachInterface) {
  const Json network = Json::parse(R"({"interfaces":[
      {"name":"lo","up":true,"loopback":true,"addresses":[{"family":"ipv4","address":"127.0.0.1","prefix":8}]},
      {"name":"eth0","up":true,"loopback":false,"addresses":[{"family":"ipv4","address":"192.0.2.2","prefix":24},
                                                             {"family":"ipv6","address":"fd00::2","prefix":64}]},
      {"name":"wlan0","up":true,"loopback":false,"addresses":[{"family":"ipv4","address":"10.0.0.7","prefix":24}]},
      {"name":"ifb0","up":false,"loopback":false,"addresses":[]}],
      "default_route":{"interface":"eth0","gateway":"192.0.2.1","metric":0}})");
  const auto text = inspect_answer("network", "", network);
  EXPECT_EQ(text, "IP addresses by interface:\n- eth0: 192.0.2.2/24, fd00::2/64\n- wlan0: 10.0.0.7/24\n"
                  "Default route via 192.0.2.1 on eth0.\n1 other interface without an address.");
}

TEST(OfflineAnswers, MemoryAndUptimeAreSentences) {
  const Json memory = Json::parse(R"({"total_bytes":25275990016,"available_bytes":23703011328,"swap_total_bytes":0,"swap_free_bytes":0})");
  EXPECT_EQ(inspect_answer("memory", "", memory), "22 GiB of 24 GiB RAM is available (6% in use). No swap.");
  EXPECT_EQ(inspect_answer("system", "uptime", Json{{"uptime_seconds", 12791}}), "Up 3 hours 33 minutes.");
}

TEST(OfflineAnswers, ServicesSayWhetherAnyFail) {
  EXPECT_EQ(inspect_answer("services", "", Json::parse(R"({"available":true,"failed_units":[],"count":0})")),
            "No services are failing.");
  const auto text = inspect_answer("services", "", Json::parse(R"({"available":true,"count":1,
      "failed_units":[{"unit":"nginx.service","description":"Nginx Web Server"}]})"));
  EXPECT_EQ(text.substr(0, text.find('\n')), "1 service is failing:");
  EXPECT_NE(text.find("- nginx.service (Nginx Web Server)"), std::string::npos);
}

TEST(OfflineAnswers, WhatAgntosManagesIsAShortList) {
  const Json agntos = Json::parse(R"({"modules":{"packages":["btop","htop"],"services":[],
      "options":["networking-firewall-allowedTCPPorts"],"modules":[],"home":[]},"proposals":[]})");
  EXPECT_EQ(managed_answer(agntos), "I installed 2 packages for you: btop and htop. I also manage the settings "
                                    "networking.firewall.allowedTCPPorts.");
}

TEST(OfflineAnswers, PastConversationsLeaveOutTheQuestionBeingAsked) {
  const Json search = Json::parse(R"({"results":[
      {"session_id":"s-2","role":"user","snippet":"have we talked about [docker] before?","created_at":"2026-11-25T10:00:00Z"},
      {"session_id":"s-1","role":"user","snippet":"enable [docker] please","created_at":"2026-11-24T09:00:00Z"}]})");
  EXPECT_EQ(sessions_answer("docker", search, "have we talked about docker before?"),
            "Yes: on 2026-11-24 you said: \"enable [docker] please\".");
  EXPECT_EQ(sessions_answer("docker", Json::parse(R"({"results":[]})"), "x"),
            "I don't find \"docker\" in our past conversations.");
}

TEST(OfflineAnswers, MissingFieldsAreLeftOutNotThrown) {
  EXPECT_NO_THROW(inspect_answer("cpu", "", Json::object()));
  EXPECT_NO_THROW(inspect_answer("disk", "", Json{{"text", "[output truncated"}}));
  EXPECT_NO_THROW(inspect_answer("network", "", Json::array()));
  EXPECT_NO_THROW(changes_answer(Json{{"entries", 3}}));
}

}  // namespace
}  // namespace agntd::offline
