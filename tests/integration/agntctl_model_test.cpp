// SPDX-License-Identifier: MIT
// agntctl model: list, add, route and remove against a real models.toml in a temporary
// config dir. Editing must keep the user's comments and the order of the tables.
#include <gtest/gtest.h>

#include "common/files.h"
#include "support/agntctl_runner.h"

namespace agntos::testing {
namespace {

const std::string kUserFile = R"(# Our LLM endpoints - maintained by hand, please keep the notes.

[default]   # the workstation GPU
endpoint = "http://127.0.0.1:8081/v1"   # llama.cpp server
model = "qwen2.5-coder:7b"
api_key_env = "AGNTOS_API_KEY"

# The legacy table from the prototype days
[local]
endpoint = "http://127.0.0.1:11434/v1"
model = "llama3.1:8b"

# Task routing
[routing]
plan = "local"   # planning is cheap
)";

std::string models_file(const AgntctlEnv& env) { return read_file(env.config_dir() / "models.toml"); }

// True when every line of `original` still appears in `edited`, in the same order.
bool keeps_lines_in_order(const std::string& original, const std::string& edited) {
  size_t from = 0;
  size_t start = 0;
  while (start < original.size()) {
    const size_t end = original.find('\n', start);
    const std::string line = original.substr(start, end - start) + "\n";
    const size_t found = edited.find(line, from);
    if (found == std::string::npos) return false;
    from = found + line.size();
    start = end == std::string::npos ? original.size() : end + 1;
  }
  return true;
}

TEST(AgntctlModel, ListWithoutAFileSaysOffline) {
  AgntctlEnv env;
  const auto text = env.run({"model", "list"});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("the offline provider answers"), std::string::npos) << text.out;
  const auto json = env.run({"model", "--json"}).json();
  EXPECT_EQ(json["exists"], false);
  EXPECT_EQ(json["default"], nullptr);
  EXPECT_EQ(json["profiles"], Json::array());
  EXPECT_EQ(json["chat"], "offline");
}

TEST(AgntctlModel, AddRouteRemoveKeepCommentsAndOrder) {
  AgntctlEnv env;
  write_file_atomic(env.config_dir() / "models.toml", kUserFile);

  auto result = env.run({"model", "add", "fast", "--endpoint", "http://127.0.0.1:8082/v1", "--model", "qwen2.5:3b"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "added profile fast\n");
  result = env.run({"model", "route", "chat", "fast"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  result = env.run({"model", "add", "claude", "--provider", "anthropic", "--model", "claude-sonnet-4-5",
                    "--api-key-env", "ANTHROPIC_API_KEY"});
  ASSERT_EQ(result.exit_code, 0) << result.err;

  const std::string edited = models_file(env);
  EXPECT_TRUE(keeps_lines_in_order(kUserFile, edited)) << edited;
  EXPECT_LT(edited.find("[local]"), edited.find("[profiles.fast]"));
  EXPECT_LT(edited.find("[profiles.fast]"), edited.find("[profiles.claude]"));
  EXPECT_LT(edited.find("[profiles.claude]"), edited.find("# Task routing"));
  EXPECT_NE(edited.find("plan = \"local\"   # planning is cheap\nchat = \"fast\"\n"), std::string::npos) << edited;

  const auto list = env.run({"model", "list", "--json"}).json();
  ASSERT_EQ(list["profiles"].size(), 4u);
  EXPECT_EQ(list["profiles"][0]["name"], "default");
  EXPECT_EQ(list["profiles"][0]["is_default"], true);
  EXPECT_EQ(list["profiles"][1]["name"], "local");
  EXPECT_EQ(list["profiles"][2]["name"], "fast");
  EXPECT_EQ(list["profiles"][2]["model"], "qwen2.5:3b");
  EXPECT_EQ(list["profiles"][2]["api_key_env"], "AGNTOS_API_KEY");  // inherited from [default]
  EXPECT_EQ(list["profiles"][3]["provider"], "anthropic");
  EXPECT_EQ(list["profiles"][3]["endpoint"], "https://api.anthropic.com/v1");
  EXPECT_EQ(list["routes"], (Json{{"plan", "local"}, {"chat", "fast"}}));
  EXPECT_EQ(list["chat"], "fast");

  result = env.run({"model", "remove", "fast", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.json()["routes_removed"], Json::array({"chat"}));
  result = env.run({"model", "remove", "claude"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(models_file(env), kUserFile);  // back to exactly what the user wrote
}

TEST(AgntctlModel, UpdatingAProfileChangesOnlyTheGivenKeys) {
  AgntctlEnv env;
  write_file_atomic(env.config_dir() / "models.toml", kUserFile);
  const auto result = env.run({"model", "add", "default", "--endpoint", "http://10.0.0.5:8081/v1"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "updated profile default\n");
  std::string expected = kUserFile;
  const std::string old_line = "endpoint = \"http://127.0.0.1:8081/v1\"   # llama.cpp server";
  expected.replace(expected.find(old_line), old_line.size(), "endpoint = \"http://10.0.0.5:8081/v1\"   # llama.cpp server");
  EXPECT_EQ(models_file(env), expected);
}

TEST(AgntctlModel, AddCreatesTheFile) {
  AgntctlEnv env;
  const auto result = env.run({"model", "add", "default", "--endpoint", "http://127.0.0.1:8081/v1", "--model", "m"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto list = env.run({"model", "list", "--json"}).json();
  EXPECT_EQ(list["exists"], true);
  EXPECT_EQ(list["default"], "default");
  EXPECT_EQ(list["profiles"][0]["provider"], "openai");
  EXPECT_EQ(models_file(env).substr(0, 1), "#");
}

TEST(AgntctlModel, MistakesChangeNothing) {
  AgntctlEnv env;
  write_file_atomic(env.config_dir() / "models.toml", kUserFile);
  auto result = env.run({"model", "route", "chat", "nosuch"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("no profile nosuch"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("default, local"), std::string::npos) << result.err;

  result = env.run({"model", "remove", "nosuch"});
  EXPECT_EQ(result.exit_code, 1);
  result = env.run({"model", "remove", "default"});
  EXPECT_EQ(result.exit_code, 3);
  result = env.run({"model", "add", "bad name", "--endpoint", "http://x/v1", "--model", "m"});
  EXPECT_EQ(result.exit_code, 2);
  result = env.run({"model", "add", "fast", "--endpoint", "http://x/v1"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("--model"), std::string::npos) << result.err;
  result = env.run({"model", "add", "fast", "--endpoint", "ftp://x", "--model", "m"});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_NE(result.err.find("nothing was written"), std::string::npos) << result.err;
  EXPECT_EQ(models_file(env), kUserFile);
}

TEST(AgntctlModel, APastedKeyIsRefusedAndNeverEchoed) {
  AgntctlEnv env;
  write_file_atomic(env.config_dir() / "models.toml", kUserFile);
  const auto result = env.run({"model", "add", "default", "--api-key-env", "sk-proj-SECRETVALUE"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err.find("SECRETVALUE"), std::string::npos) << result.err;
  EXPECT_EQ(result.out.find("SECRETVALUE"), std::string::npos) << result.out;
  EXPECT_EQ(models_file(env), kUserFile);
}

TEST(AgntctlModel, ListSaysWhetherTheKeyVariableIsSetButNeverItsValue) {
  AgntctlEnv env;
  write_file_atomic(env.config_dir() / "models.toml", kUserFile);
  env.env["AGNTOS_API_KEY"] = "sk-very-secret-value";
  const auto text = env.run({"model", "list"});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("key: $AGNTOS_API_KEY (set)"), std::string::npos) << text.out;
  const auto json = env.run({"model", "list", "--json"});
  EXPECT_EQ(json.json()["profiles"][0]["api_key_set"], true);
  EXPECT_EQ(text.out.find("sk-very-secret-value"), std::string::npos);
  EXPECT_EQ(json.out.find("sk-very-secret-value"), std::string::npos);
}

TEST(AgntctlModel, ABrokenFileIsReportedWithItsLine) {
  AgntctlEnv env;
  write_file_atomic(env.config_dir() / "models.toml", "[default]\nprovider = \"gemini\"\n");
  const auto result = env.run({"model", "list"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("models.toml:2:"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace agntos::testing
