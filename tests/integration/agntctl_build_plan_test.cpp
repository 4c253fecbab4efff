// SPDX-License-Identifier: MIT
// Approve what will run (issue 10): the system is built from a private copy before anyone is
// asked, the closure diff says which packages change, and the approval pins the exact store
// path that is then activated. Real Nix, the profile backend.
#include <gtest/gtest.h>

#include "common/audit.h"
#include "common/files.h"
#include "support/agntctl_runner.h"

namespace agntos::testing {
namespace {

namespace fs = std::filesystem;

class BuildPlan : public ::testing::Test {
protected:
  void SetUp() override { env.use_profile_backend(); }
  CliResult propose(const std::vector<std::string>& args) {
    std::vector<std::string> argv{"propose"};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.push_back("--json");
    return env.run(argv);
  }
  AgntctlEnv env;
};

TEST_F(BuildPlan, AMissingPackageInAModuleIsRefusedAtProposeWithNixsError) {
  const auto result = propose({"--module", "modules/browser.nix", "--nix",
                               "{ pkgs, ... }: { environment.systemPackages = [ pkgs.firefx ]; }"});
  EXPECT_EQ(result.exit_code, 3) << result.out;
  EXPECT_NE(result.err.find("firefx"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("modules/browser.nix"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(env.config_dir() / "modules/browser.nix"));
  EXPECT_FALSE(fs::exists(env.config_dir() / "proposals")) << "nothing is staged";
}

TEST_F(BuildPlan, TheClosureDiffListsExactlyTheAddedAndRemovedPackages) {
  const auto install = propose({"install", "btop"});
  ASSERT_EQ(install.exit_code, 0) << install.err;
  const auto closure = install.json()["closure"];
  ASSERT_TRUE(closure.is_object()) << install.out;
  ASSERT_EQ(closure["added"].size(), 1u) << closure;
  EXPECT_EQ(closure["added"][0]["name"], "btop");
  EXPECT_FALSE(closure["added"][0]["version"].get<std::string>().empty());
  EXPECT_TRUE(closure["removed"].empty());
  EXPECT_GT(closure["size_delta"].get<long long>(), 0);
  ASSERT_EQ(env.run({"apply", install.json()["id"], "--yes"}).exit_code, 0);

  const auto remove = propose({"remove", "btop"});
  ASSERT_EQ(remove.exit_code, 0) << remove.err;
  EXPECT_TRUE(remove.json()["closure"]["added"].empty());
  ASSERT_EQ(remove.json()["closure"]["removed"].size(), 1u);
  EXPECT_EQ(remove.json()["closure"]["removed"][0]["name"], "btop");

  const auto hostname = propose({"set", "networking.hostName", "demo"});
  ASSERT_EQ(hostname.exit_code, 0) << hostname.err;
  EXPECT_NE(hostname.json()["closure"]["text"].get<std::string>().find("builds nothing new"), std::string::npos);
  // The text form shows the packages above the source diff.
  const auto text = env.run({"propose", "install", "jq"});
  ASSERT_EQ(text.exit_code, 0);
  EXPECT_LT(text.out.find("+ jq"), text.out.find("+++ b/packages/jq.nix")) << text.out;
}

TEST_F(BuildPlan, NoBuildDefersTheBuildToThePlan) {
  const auto deferred = propose({"--no-build", "--module", "modules/browser.nix", "--nix",
                                 "{ pkgs, ... }: { environment.systemPackages = [ pkgs.firefx ]; }"});
  ASSERT_EQ(deferred.exit_code, 0) << deferred.err;
  EXPECT_TRUE(deferred.json()["closure"].is_null());
  const auto plan = env.run({"apply", deferred.json()["id"], "--plan", "--json"});
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_EQ(plan.json()["refusal"]["code"], "validation") << plan.out;
  EXPECT_NE(plan.json()["refusal"]["message"].get<std::string>().find("firefx"), std::string::npos);
}

TEST_F(BuildPlan, TheApprovedStorePathIsExactlyWhatIsActivatedAndAudited) {
  const auto proposed = propose({"install", "htop"});
  ASSERT_EQ(proposed.exit_code, 0) << proposed.err;
  const std::string id = proposed.json()["id"];
  const auto plan = env.run({"apply", id, "--plan", "--json"}).json();
  ASSERT_TRUE(plan["refusal"].is_null()) << plan;
  const std::string system = plan["store_path"];
  ASSERT_TRUE(system.starts_with("/nix/store/")) << plan;
  EXPECT_EQ(plan["closure"]["added"][0]["name"], "htop");

  // A store path without the digest it was approved with is not accepted.
  EXPECT_EQ(env.run({"apply", id, "--yes", "--store-path", system}).exit_code, 2);
  // Another store path under the same digest is refused.
  const auto other = propose({"install", "jq"});
  const auto other_system = env.run({"apply", other.json()["id"], "--plan", "--json"}).json()["store_path"];
  const auto swapped = env.run({"apply", id, "--yes", "--digest", plan["digest"], "--store-path", other_system, "--json"});
  EXPECT_EQ(swapped.exit_code, 4) << swapped.err;
  EXPECT_FALSE(fs::exists(env.profile()));

  const auto applied = env.run({"apply", id, "--yes", "--digest", plan["digest"], "--store-path", system, "--json"});
  ASSERT_EQ(applied.exit_code, 0) << applied.err;
  EXPECT_EQ(applied.json()["action"]["store_path"], system);
  EXPECT_EQ(fs::canonical(env.profile()).string(), system);
  const auto entries = AuditLog(env.config_dir() / "audit.jsonl").read_all();
  ASSERT_FALSE(entries.empty());
  EXPECT_EQ(entries.back().action.store_path, system);
}

TEST_F(BuildPlan, UndoAndGenerationPlansNameTheSystemTheyWouldRun) {
  const auto proposed = propose({"install", "htop"});
  ASSERT_EQ(env.run({"apply", proposed.json()["id"], "--yes"}).exit_code, 0);
  const auto first = fs::canonical(env.profile()).string();
  const auto second = propose({"install", "btop"});
  ASSERT_EQ(env.run({"apply", second.json()["id"], "--yes"}).exit_code, 0);

  const auto undo = env.run({"rollback", "undo", "--plan", "--json"}).json();
  ASSERT_TRUE(undo["refusal"].is_null()) << undo;
  EXPECT_EQ(undo["closure"]["removed"][0]["name"], "btop") << undo;
  EXPECT_NE(undo["store_path"], fs::canonical(env.profile()).string()) << "the undo builds a system of its own";

  const auto generation = env.run({"rollback", "generation", "--plan", "--json"}).json();
  ASSERT_TRUE(generation["refusal"].is_null()) << generation;
  EXPECT_EQ(generation["store_path"], first);
  EXPECT_EQ(generation["closure"]["removed"][0]["name"], "btop");
}

// The built system says which change made it, so `rollback list` can tell even when the audit
// log is gone; the stamp never holds the prompt (the store is world-readable).
TEST_F(BuildPlan, EachGenerationCarriesAStampNamingItsCause) {
  const auto proposed = propose({"install", "htop", "--prompt", "my secret reason for htop"});
  const std::string id = proposed.json()["id"];
  ASSERT_EQ(env.run({"apply", id, "--yes"}).exit_code, 0);
  const auto stamp = Json::parse(read_file(fs::canonical(env.profile()) / "agntos-stamp.json"));
  EXPECT_EQ(stamp["proposal_id"], id);
  EXPECT_EQ(stamp["kind"], "apply");
  EXPECT_FALSE(stamp["tree_hash"].get<std::string>().empty());
  EXPECT_EQ(stamp.dump().find("secret reason"), std::string::npos);

  fs::remove(env.config_dir() / "audit.jsonl");
  const auto list = env.run({"rollback", "list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(list.json()["generations"][0]["stamp"]["proposal_id"], id);
  const auto text = env.run({"rollback", "list"});
  EXPECT_NE(text.out.find(id), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("Install package: htop"), std::string::npos) << text.out;
}

}  // namespace
}  // namespace agntos::testing
