// SPDX-License-Identifier: MIT
// Gaining root through the sudo rule (src/agntctl/elevation.h, docs/nixos.md): a member of the
// group on NixOS, or agntd running as that member, applies with `agntctl apply` as themselves;
// the module folders belong to root, so agntctl runs itself again through `sudo -n` and the
// whole transaction happens as root. Real sudo with a real rule (a file in /etc/sudoers.d for
// the test's own copy of agntctl, checked by visudo and removed afterwards), real Nix, the
// profile backend, as root and as nobody.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/files.h"
#include "common/process.h"
#include "support/agntctl_runner.h"
#include "support/other_user.h"

namespace agntos::testing {
namespace {

namespace fs = std::filesystem;

// A sudoers drop-in for the lifetime of the object.
class SudoRule {
public:
  explicit SudoRule(const std::string& rule) : m_file("/etc/sudoers.d/agntos-test-" + std::to_string(::getpid())) {
    write_file_atomic(m_file, rule + "\n");
    ::chmod(m_file.c_str(), 0440);
    const auto check = run_process({"visudo", "-c", "-q", "-f", m_file.string()});
    if (check.exit_code != 0) {
      fs::remove(m_file);
      throw std::runtime_error("visudo refuses the test rule: " + check.out + check.err);
    }
  }
  SudoRule(const SudoRule&) = delete;
  SudoRule& operator=(const SudoRule&) = delete;
  ~SudoRule() {
    std::error_code ec;
    fs::remove(m_file, ec);
  }

private:
  fs::path m_file;
};

class Elevation : public ::testing::Test {
protected:
  void SetUp() override {
    if (auto why = OtherUser::unavailable_reason()) GTEST_SKIP() << *why;
    if (!find_program("sudo") || !find_program("visudo"))
      GTEST_SKIP() << "sudo is not installed (scripts/setup installs it: apt-get install sudo)";
    user.emplace();
    agntctl = user->copy_for_user(agntctl_binary());
    // The layout of the NixOS module: the config dir and its module folders root's and closed
    // to the user's writes; the lock file the user's to take (propose and discard take it).
    config = user->dir() / "config";
    env.env["AGNTOS_CONFIG_DIR"] = config.string();
    make_directories(config);
    write_file_atomic(config / "agntos.toml",
                      "[rebuild]\nbackend = \"profile\"\nconfirm_classes = []\n[rebuild.profile]\npath = \"" +
                          (user->dir() / "profile" / "system").string() + "\"\npkgs = \"" +
                          (source_dir() / "nix" / "demo-pkgs").string() + "\"\nlib = \"none\"\n");
    env.env["NIX_CONFIG"] = "substituters =";
  }

  // Stages a proposal as root, then leaves the tree as the NixOS module does.
  std::string propose(const std::string& package) {
    const auto result = env.run({"propose", "install", package, "--json"});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    write_file_atomic(config / ".agntos.lock", "");
    user->give(config / ".agntos.lock");
    return result.json()["id"].get<std::string>();
  }

  // agntctl as the user, with the variables a member's shell or agntd would have.
  ProcessResult as_user(const std::vector<std::string>& args) {
    std::vector<std::string> argv{agntctl.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return user->run(argv, {{"AGNTOS_CONFIG_DIR", config.string()},
                            {"AGNTOS_STATE_DIR", (user->home() / "state").string()},
                            {"AGNTOS_DATA_DIR", user->copy_data_dir().string()}},
                     std::chrono::seconds(300));
  }

  std::string rule_for_user() const {
    const auto binary = agntctl.string();
    return "nobody ALL=(root) NOPASSWD: " + binary + " apply *, NOPASSWD: " + binary + " rollback *, NOPASSWD: " +
           binary + " confirm, NOPASSWD: " + binary + " confirm *";
  }

  AgntctlEnv env;
  std::optional<OtherUser> user;
  fs::path agntctl;
  fs::path config;
};

TEST_F(Elevation, AUserAppliesThroughTheSudoRuleAndTheTransactionRunsAsRoot) {
  const auto id = propose("hello");
  ASSERT_FALSE(user->can_access(config / "packages", W_OK)) << "the module folders must be closed to the user";
  SudoRule rule(rule_for_user());

  const auto applied = as_user({"apply", id, "--yes", "--approved-by", "client:65534", "--json"});
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  const auto entry = Json::parse(applied.out);
  EXPECT_EQ(entry["result"]["status"], "Success") << applied.out;
  EXPECT_EQ(entry["approved_by"], "client:65534");
  const auto module = config / "packages" / "hello.nix";
  struct stat info {};
  ASSERT_EQ(::stat(module.c_str(), &info), 0) << module;
  EXPECT_EQ(info.st_uid, 0u) << "the module file was written by root";
  EXPECT_TRUE(fs::exists(user->dir() / "profile" / "system")) << "the generation was activated";

  // Undo goes the same way.
  const auto undone = as_user({"rollback", "undo", entry["id"].get<std::string>(), "--yes", "--json"});
  ASSERT_EQ(undone.exit_code, 0) << undone.out << undone.err;
  EXPECT_FALSE(fs::exists(module));
}

TEST_F(Elevation, WithoutARuleTheUserIsToldWhatToDoAndNothingChanges) {
  const auto id = propose("hello");
  const auto before = read_file_if_exists(config / "audit.jsonl").value_or("");

  const auto applied = as_user({"apply", id, "--yes", "--json"});
  EXPECT_NE(applied.exit_code, 0);
  EXPECT_NE(applied.err.find("needs root"), std::string::npos) << applied.err;
  EXPECT_NE(applied.err.find("services.agntos.users"), std::string::npos) << applied.err;
  EXPECT_FALSE(fs::exists(config / "packages" / "hello.nix"));
  EXPECT_EQ(read_file_if_exists(config / "audit.jsonl").value_or(""), before);
  EXPECT_TRUE(fs::exists(config / "proposals" / (id + ".json"))) << "the proposal is kept";
}

TEST_F(Elevation, AReadOnlyActionNeverGoesThroughSudo) {
  propose("hello");
  // No rule at all: list and plan-free reads work as the user, and do not ask sudo.
  const auto listed = as_user({"rollback", "list", "--json"});
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  const auto audit = as_user({"audit", "list", "--json"});
  EXPECT_EQ(audit.exit_code, 0) << audit.err;
}

}  // namespace
}  // namespace agntos::testing
