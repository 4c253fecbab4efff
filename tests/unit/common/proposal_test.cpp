// SPDX-License-Identifier: MIT
#include "common/proposal.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "common/files.h"
#include "support/temp_dir.h"

namespace agntos {
namespace {

Json change_at(const std::string& path) {
  return Json{{"path", path}, {"action", "write"}, {"content", "{ }"}, {"expected_hash", nullptr}};
}

// Found by fuzz/proposal_fuzzer: a staged proposal naming "/dev/zero" made every pending
// listing read it until memory ran out (the proposals dir is group-writable).
TEST(Proposal, AChangeOutsideTheModuleFoldersIsRefusedWhenRead) {
  const std::vector<std::string> hostile = {"/dev/zero",        "",         "../etc/passwd", "packages/../../x.nix",
                                            "packages/a/b.nix", "packages/x.txt", "htop.nix",
                                            std::string("packages/x\0.nix", 15)};
  for (const auto& path : hostile) {
    try {
      FileChange::from_json(change_at(path));
      ADD_FAILURE() << "accepted " << path;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), Errc::invalid_path) << path;
    }
  }
  EXPECT_EQ(FileChange::from_json(change_at("packages/htop.nix")).path, "packages/htop.nix");
}

TEST(Proposal, APendingListingSkipsAProposalWithAHostilePath) {
  testing::TempDir dir;
  const auto paths = Paths::from_environment(dir.path());
  make_directories(paths.proposals_dir());
  write_file_atomic(paths.proposals_dir() / "p-1.json",
                    Json{{"id", "p-1"}, {"summary", "x"}, {"changes", Json::array({change_at("/dev/zero")})}}.dump());
  write_file_atomic(paths.proposals_dir() / "p-2.json",
                    Json{{"id", "p-2"}, {"summary", "y"}, {"changes", Json::array({change_at("packages/y.nix")})}}.dump());
  const auto pending = Proposal::pending(paths);
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].id, "p-2");
}

}  // namespace
}  // namespace agntos
