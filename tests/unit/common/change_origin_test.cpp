// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include "common/audit.h"
#include "common/change_origin.h"
#include "common/proposal.h"

namespace agntos {
namespace {

const ChangeOrigin kFull{"install htop please", "a process viewer", "s-18ead5e6913df5f7", "qwen2.5-coder:7b",
                         "p-18ead5e6913df5f7"};

std::vector<std::string> keys(const Json& object) {
  std::vector<std::string> names;
  for (const auto& item : object.items()) names.push_back(item.key());
  return names;
}

TEST(ChangeOrigin, WritesEveryKeyWithNullForNothingAndReadsItBack) {
  EXPECT_EQ(keys(ChangeOrigin{}.to_json()),
            (std::vector<std::string>{"prompt", "rationale", "session_id", "model", "proposal_id"}));
  EXPECT_TRUE(ChangeOrigin{}.to_json()["prompt"].is_null());
  EXPECT_EQ(ChangeOrigin::from_json(kFull.to_json()), kFull);
  EXPECT_EQ(ChangeOrigin::from_json(ChangeOrigin{}.to_json()), ChangeOrigin{});
}

TEST(ChangeOrigin, ReadsItsKeysFromTheOwnersObjectAndIgnoresTheRest) {
  Json owner{{"id", "a-1"}, {"summary", "x"}};
  kFull.append_to(owner);
  EXPECT_EQ(owner["id"], "a-1");
  EXPECT_EQ(ChangeOrigin::from_json(owner), kFull);
  EXPECT_EQ(ChangeOrigin::from_json(Json{{"prompt", 42}, {"model", "m"}}), (ChangeOrigin{{}, {}, {}, "m", {}}));
  EXPECT_EQ(ChangeOrigin::from_json(Json::array()), ChangeOrigin{});
}

// Proposal and audit entry hold the same struct under the same top-level keys: what a proposal
// records is what its audit entry says, key for key.
TEST(ChangeOrigin, ProposalAndAuditEntryWriteItUnderTheSameKeys) {
  Proposal proposal;
  proposal.id = "p-18ead5e6913df5f7";
  proposal.origin = kFull;
  proposal.changes.push_back(FileChange{"packages/htop.nix", "{ }", std::nullopt});
  auto entry = AuditEntry::make(AuditActionType::apply, "Applied");
  entry.origin = proposal.origin;
  const auto proposal_json = proposal.to_json();
  const auto entry_json = entry.to_json();
  for (const auto& key : keys(kFull.to_json())) EXPECT_EQ(proposal_json[key], entry_json[key]) << key;
  EXPECT_EQ(Proposal::from_json(proposal_json).origin, kFull);
  EXPECT_EQ(AuditEntry::from_json(entry_json).origin, kFull);
}

// The proposal's own id is its origin's proposal id, whatever the (group-writable) file says.
TEST(ChangeOrigin, AProposalsOriginNamesTheProposalItself) {
  Proposal proposal;
  proposal.id = "p-18ead5e6913df5f7";
  proposal.changes.push_back(FileChange{"packages/htop.nix", "{ }", std::nullopt});
  auto json = proposal.to_json();
  json.erase("proposal_id");  // a file staged before the origin had the key
  EXPECT_EQ(Proposal::from_json(json).origin.proposal_id, "p-18ead5e6913df5f7");
  json["proposal_id"] = "p-1";
  EXPECT_EQ(Proposal::from_json(json).origin.proposal_id, "p-18ead5e6913df5f7");
}

}  // namespace
}  // namespace agntos
