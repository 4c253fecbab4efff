// SPDX-License-Identifier: MIT
#include "agntd/llm/offline/words.h"

#include <gtest/gtest.h>

namespace agntd::offline {
namespace {

std::vector<std::string> lows(const Words& words) {
  std::vector<std::string> out;
  for (const auto& word : words) out.push_back(word.low);
  return out;
}

TEST(OfflineWords, ContractionsAreExpandedAndPunctuationAroundWordsDropped) {
  EXPECT_EQ(lows(tokenize("What's my IP?")), (std::vector<std::string>{"what", "is", "my", "ip"}));
  EXPECT_EQ(lows(tokenize("I don\xE2\x80\x99t need \"htop\" anymore!")),
            (std::vector<std::string>{"i", "do", "not", "need", "htop", "anymore"}));
  EXPECT_EQ(lows(tokenize("the machine's disk")), (std::vector<std::string>{"the", "machine", "disk"}));
}

TEST(OfflineWords, PunctuationInsideWordsIsKept) {
  const auto words = tokenize("set Europe/Berlin, de_DE.UTF-8 and p-18e1f2a (8080/tcp).");
  EXPECT_EQ(words[1].text, "Europe/Berlin");
  EXPECT_TRUE(words[1].comma_after);
  EXPECT_EQ(words[2].text, "de_DE.UTF-8");
  EXPECT_EQ(words[4].low, "p-18e1f2a");
  EXPECT_EQ(words[5].low, "8080/tcp");
}

TEST(OfflineWords, SentencesEndAtStopsFollowedBySpaceNotInsideNames) {
  EXPECT_EQ(sentences("Install htop. Then set networking.hostName demo!\nthanks"),
            (std::vector<std::string>{"Install htop.", "Then set networking.hostName demo!", "thanks"}));
}

TEST(OfflineWords, TypoDistanceCountsASwapOfNeighboursAsOne) {
  EXPECT_EQ(typo_distance("instll", "install"), 1u);
  EXPECT_EQ(typo_distance("isntall", "install"), 1u);
  EXPECT_EQ(typo_distance("enabel", "enable"), 1u);
  EXPECT_EQ(typo_distance("write", "remove"), 5u);
}

TEST(OfflineWords, AJsonListIsOneWord) {
  const auto words = tokenize("set services.openssh.ports = [22,2222].");
  EXPECT_EQ(words.back().text, "[22,2222]");
}

TEST(OfflineWords, JoinTextKeepsTheCommasBetweenWords) {
  EXPECT_EQ(join_text(tokenize("I like vim, and fish.")), "I like vim, and fish");
}

}  // namespace
}  // namespace agntd::offline
