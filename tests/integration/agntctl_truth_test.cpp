// SPDX-License-Identifier: MIT
// What the pipeline tells the user matches the system (issue 8): staleness by file, plans,
// "why" from the current tree, undo that follows the running system, proposals listed and
// discarded. Real Nix, the profile backend.
#include <gtest/gtest.h>

#include "common/audit.h"
#include "common/files.h"
#include "common/process.h"
#include "support/agntctl_runner.h"

namespace agntos::testing {
namespace {

namespace fs = std::filesystem;

class Truth : public ::testing::Test {
protected:
  void SetUp() override { env.use_profile_backend(); }

  std::string propose(const std::vector<std::string>& args) {
    std::vector<std::string> argv{"propose"};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.push_back("--json");
    const auto result = env.run(argv);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.json().value("id", "");
  }
  CliResult apply(const std::string& id) { return env.run({"apply", id, "--yes", "--json"}); }
  std::string applied(const std::vector<std::string>& args) {
    const auto result = apply(propose(args));
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.json().value("id", "");
  }
  std::vector<AuditEntry> audit() const { return AuditLog(env.config_dir() / "audit.jsonl").read_all(); }
  bool installed(const std::string& program) const { return fs::exists(env.profile() / "sw" / "bin" / program); }
  std::string head() const {
    return run_process({"git", "-C", env.config_dir().string(), "rev-parse", "HEAD"}).out;
  }

  AgntctlEnv env;
};

// Observation 1: applying B must not make an unrelated A stale.
TEST_F(Truth, ApplyingOneProposalLeavesAnUnrelatedOneApplicable) {
  const auto time_zone = propose({"set", "time.timeZone", "Europe/Berlin"});
  const auto firewall = propose({"set", "networking.firewall.enable", "false"});
  ASSERT_EQ(apply(firewall).exit_code, 0);
  const auto result = apply(time_zone);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(fs::exists(env.config_dir() / "options/time-timeZone.nix"));
  EXPECT_TRUE(fs::exists(env.config_dir() / "options/networking-firewall-enable.nix"));
}

TEST_F(Truth, StaleRefusalNamesExactlyTheChangedFilesAndWhoChangedThem) {
  const auto first = propose({"install", "htop"});
  const auto other = propose({"install", "btop"});
  const auto rival = propose({"--module", "packages/htop.nix", "--nix",
                              "{ pkgs, ... }: { environment.systemPackages = [ pkgs.htop pkgs.jq ]; }"});
  const auto rival_entry = apply(rival);
  ASSERT_EQ(rival_entry.exit_code, 0) << rival_entry.err;
  const auto result = apply(first);
  EXPECT_EQ(result.exit_code, 4);
  EXPECT_EQ(result.json()["error"]["code"], "stale");
  EXPECT_NE(result.err.find("packages/htop.nix"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("changed by " + rival_entry.json()["id"].get<std::string>()), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("possibly more"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("btop"), std::string::npos) << result.err;

  // A hand edit is named as one.
  write_file_atomic(env.config_dir() / "packages/btop.nix", "{ ... }: { }\n");
  const auto by_hand = apply(other);
  EXPECT_EQ(by_hand.exit_code, 4);
  EXPECT_NE(by_hand.err.find("packages/btop.nix"), std::string::npos) << by_hand.err;
  EXPECT_NE(by_hand.err.find("by hand"), std::string::npos) << by_hand.err;
}

TEST_F(Truth, ProposalsAreListedWithStaleOnesMarkedAndCanBeDiscarded) {
  const auto fresh = propose({"install", "jq"});
  const auto doomed = propose({"install", "htop"});
  ASSERT_EQ(apply(propose({"--module", "packages/htop.nix", "--nix", "{ ... }: { }"})).exit_code, 0);

  const auto list = env.run({"proposals", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  const auto proposals = list.json()["proposals"];
  ASSERT_EQ(proposals.size(), 2u) << list.out;
  for (const auto& proposal : proposals) {
    const bool stale = proposal["id"] == doomed;
    EXPECT_EQ(proposal["stale"].get<bool>(), stale) << proposal;
    if (stale) {
      EXPECT_NE(proposal["stale_reason"].get<std::string>().find("packages/htop.nix"), std::string::npos);
    }
  }
  // Stale proposals are not offered as pending.
  const auto inspect = env.run({"inspect", "agntos", "--json"}).json();
  ASSERT_EQ(inspect["proposals"].size(), 1u) << inspect;
  EXPECT_EQ(inspect["proposals"][0]["id"], fresh);

  const auto show = env.run({"proposals", "show", fresh, "--json"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_NE(show.json()["diff"].get<std::string>().find("pkgs.jq"), std::string::npos);

  const auto discard = env.run({"proposals", "discard", "--stale", "--json"});
  ASSERT_EQ(discard.exit_code, 0) << discard.err;
  EXPECT_EQ(discard.json()["discarded"], Json::array({doomed}));
  EXPECT_FALSE(fs::exists(env.config_dir() / "proposals" / (doomed + ".json")));
  EXPECT_TRUE(fs::exists(env.config_dir() / "proposals" / (fresh + ".json")));
  const auto entries = audit();
  ASSERT_FALSE(entries.empty());
  EXPECT_EQ(entries.back().action.type, AuditActionType::discard);
  EXPECT_NE(entries.back().summary.find(doomed), std::string::npos);
  EXPECT_EQ(env.run({"proposals", "discard", fresh, "--json"}).exit_code, 0);
  EXPECT_EQ(env.run({"proposals", "--json"}).json()["proposals"].size(), 0u);
}

TEST_F(Truth, PlanShowsWhatApplyWouldDoAndChangesNothing) {
  const auto id = propose({"install", "htop"});
  const auto before = head();
  const auto plan = env.run({"apply", id, "--plan", "--json"});
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  const auto json = plan.json();
  EXPECT_EQ(json["kind"], "apply");
  EXPECT_TRUE(json["refusal"].is_null());
  EXPECT_NE(json["diff"].get<std::string>().find("+++ b/packages/htop.nix"), std::string::npos);
  EXPECT_FALSE(json["effect"].get<std::string>().empty());
  EXPECT_EQ(json["digest"].get<std::string>().size(), 64u);
  EXPECT_FALSE(fs::exists(env.config_dir() / "packages/htop.nix"));
  EXPECT_EQ(head(), before);
  // The same state gives the same digest; a wrong digest is refused as a conflict.
  EXPECT_EQ(env.run({"apply", id, "--plan", "--json"}).json()["digest"], json["digest"]);
  const auto wrong = env.run({"apply", id, "--yes", "--digest", std::string(64, '0'), "--json"});
  EXPECT_EQ(wrong.exit_code, 4) << wrong.err;
  EXPECT_FALSE(fs::exists(env.config_dir() / "packages/htop.nix"));
  const auto right = env.run({"apply", id, "--yes", "--digest", json["digest"].get<std::string>(), "--json"});
  EXPECT_EQ(right.exit_code, 0) << right.err;
  EXPECT_TRUE(installed("htop"));
}

// The diff shown is recomputed from content, never the stored one.
TEST_F(Truth, PlanIgnoresAStoredDiffThatLies) {
  const auto id = propose({"install", "htop"});
  const auto file = env.config_dir() / "proposals" / (id + ".json");
  auto proposal = Json::parse(read_file(file));
  proposal["diff"] = "+ nothing to see here\n";
  proposal["changes"][0]["content"] = "{ ... }: { users.users.mallory.extraGroups = [ \"wheel\" ]; }\n";
  write_file_atomic(file, proposal.dump());
  const auto plan = env.run({"apply", id, "--plan", "--json"}).json();
  EXPECT_NE(plan["diff"].get<std::string>().find("wheel"), std::string::npos) << plan;
  EXPECT_EQ(plan["diff"].get<std::string>().find("nothing to see here"), std::string::npos) << plan;
}

TEST_F(Truth, PlanOfAStaleProposalCarriesTheRefusal) {
  const auto id = propose({"install", "htop"});
  ASSERT_EQ(apply(propose({"--module", "packages/htop.nix", "--nix", "{ ... }: { }"})).exit_code, 0);
  const auto plan = env.run({"apply", id, "--plan", "--json"});
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_EQ(plan.json()["refusal"]["code"], "stale") << plan.out;
  const auto undo_plan = env.run({"rollback", "undo", "a-1234", "--plan", "--json"});
  ASSERT_EQ(undo_plan.exit_code, 0) << undo_plan.err;
  EXPECT_EQ(undo_plan.json()["refusal"]["code"], "not_found") << undo_plan.out;
}

// Observation 2: "why" answers from the current tree; an undo carries its own words.
TEST_F(Truth, WhyAnswersFromTheCurrentTree) {
  const auto apply_id = applied({"install", "vim", "ripgrep", "--prompt", "install vim and ripgrep please"});
  auto why = env.run({"audit", "why", "vim", "--json"});
  ASSERT_EQ(why.exit_code, 0) << why.err;
  EXPECT_EQ(why.json()["present"], true) << why.out;
  EXPECT_EQ(why.json()["file"], "packages/vim.nix") << why.out;
  EXPECT_EQ(why.json()["entry"]["id"], apply_id);
  EXPECT_EQ(why.json()["entry"]["prompt"], "install vim and ripgrep please");

  const auto undo = env.run({"rollback", "undo", "--yes", "--prompt", "undo that", "--json"});
  ASSERT_EQ(undo.exit_code, 0) << undo.err;
  EXPECT_EQ(undo.json()["prompt"], "undo that");
  EXPECT_EQ(undo.json()["undoes"], apply_id);
  why = env.run({"audit", "why", "vim", "--json"});
  ASSERT_EQ(why.exit_code, 0) << why.err;
  EXPECT_EQ(why.json()["present"], false) << why.out;
  EXPECT_EQ(why.json()["removed_by"]["id"], undo.json()["id"]) << why.out;
  EXPECT_NE(why.out.find("not"), std::string::npos);
  const auto text = env.run({"audit", "why", "vim"});
  EXPECT_NE(text.out.find("is not in the config tree"), std::string::npos) << text.out;

  const auto never = env.run({"audit", "why", "nmap", "--json"});
  ASSERT_EQ(never.exit_code, 0);
  EXPECT_EQ(never.json()["present"], false);
  EXPECT_TRUE(never.json()["removed_by"].is_null());
  EXPECT_NE(never.json()["message"].get<std::string>().find("never"), std::string::npos) << never.out;

  // rollback list shows each generation's own cause, not the undone change's prompt.
  const auto list = env.run({"rollback", "list"});
  EXPECT_NE(list.out.find("prompt: \"undo that\""), std::string::npos) << list.out;
  const auto undo_line = list.out.find("Undo ");
  ASSERT_NE(undo_line, std::string::npos) << list.out;
  EXPECT_EQ(list.out.find("install vim and ripgrep please", undo_line), std::string::npos) << list.out;
}

// Observation 3: undo follows the running system after a generation rollback.
TEST_F(Truth, UndoWithoutIdFollowsTheRunningSystem) {
  const auto older = applied({"install", "jq"});                                          // gen 1
  const auto firewall = applied({"set", "networking.firewall.enable", "false"});           // gen 2
  ASSERT_EQ(env.run({"rollback", "undo", "--yes"}).exit_code, 0);                          // gen 3 (undo firewall)
  ASSERT_EQ(env.run({"rollback", "generation", "2", "--yes"}).exit_code, 0);               // firewall active again
  ASSERT_TRUE(fs::exists(env.config_dir() / "options/networking-firewall-enable.nix"));

  const auto plan = env.run({"rollback", "undo", "--plan", "--json"}).json();
  EXPECT_TRUE(plan["refusal"].is_null()) << plan;
  EXPECT_EQ(plan["target"], firewall) << plan;
  EXPECT_NE(plan["effect"].get<std::string>().find(firewall), std::string::npos) << plan;

  const auto explicit_plan = env.run({"rollback", "undo", firewall, "--plan", "--json"}).json();
  EXPECT_TRUE(explicit_plan["refusal"].is_null()) << explicit_plan;

  const auto undo = env.run({"rollback", "undo", "--yes", "--json"});
  ASSERT_EQ(undo.exit_code, 0) << undo.err;
  EXPECT_EQ(undo.json()["undoes"], firewall);
  EXPECT_FALSE(fs::exists(env.config_dir() / "options/networking-firewall-enable.nix"));
  EXPECT_TRUE(fs::exists(env.config_dir() / "packages/jq.nix"));
  EXPECT_TRUE(installed("jq"));
  (void)older;
}

TEST_F(Truth, UndoOfAChangeNoLongerInEffectSaysWhy) {
  const auto first = applied({"install", "htop"});
  const auto second = applied({"--module", "packages/htop.nix", "--nix", "{ pkgs, ... }: { environment.systemPackages = [ pkgs.btop ]; }"});
  const auto plan = env.run({"rollback", "undo", first, "--plan", "--json"}).json();
  ASSERT_TRUE(plan["refusal"].is_object()) << plan;
  EXPECT_NE(plan["refusal"]["message"].get<std::string>().find(second), std::string::npos) << plan;
  const auto refused = env.run({"rollback", "undo", first, "--yes"});
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_NE(refused.err.find("packages/htop.nix"), std::string::npos) << refused.err;
}

// An apply that lands while the user reads an undo request must not make the undo do
// something else than what was shown.
TEST_F(Truth, AnUndoApprovedForOneChangeNeverUndoesAnother) {
  applied({"install", "htop"});
  const auto plan = env.run({"rollback", "undo", "--plan", "--json"}).json();
  ASSERT_TRUE(plan["refusal"].is_null()) << plan;
  applied({"install", "btop"});  // now the newest change in effect
  const auto undo = env.run({"rollback", "undo", "--yes", "--digest", plan["digest"].get<std::string>(), "--json"});
  EXPECT_EQ(undo.exit_code, 4) << undo.err;
  EXPECT_EQ(undo.json()["error"]["code"], "stale");
  EXPECT_TRUE(installed("htop"));
  EXPECT_TRUE(installed("btop"));
}

TEST_F(Truth, AGenerationRollbackIsBoundToItsDigestToo) {
  applied({"install", "htop"});
  applied({"install", "btop"});
  const auto plan = env.run({"rollback", "generation", "--plan", "--json"}).json();
  ASSERT_TRUE(plan["refusal"].is_null()) << plan;
  EXPECT_EQ(plan["target"], "1");
  applied({"install", "jq"});  // the previous generation is now another one
  const auto rollback = env.run({"rollback", "generation", "--yes", "--digest", plan["digest"].get<std::string>()});
  EXPECT_EQ(rollback.exit_code, 4) << rollback.err;
  EXPECT_TRUE(installed("jq"));
}

}  // namespace
}  // namespace agntos::testing
