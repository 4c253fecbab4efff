// SPDX-License-Identifier: MIT
#include "common/models_config.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "common/error.h"
#include "common/files.h"
#include "support/temp_dir.h"

namespace agntos {
namespace {

std::string error_of(std::string_view text) {
  try {
    ModelsConfig::parse(text, "models.toml");
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ModelsConfig, AMissingFileMeansOffline) {
  testing::TempDir dir;
  const auto config = ModelsConfig::load(dir / "models.toml");
  EXPECT_FALSE(config.file_exists);
  EXPECT_TRUE(config.profiles.empty());
  const auto profile = config.resolve("chat");
  EXPECT_EQ(profile.provider, ProviderKind::offline);
  EXPECT_EQ(profile.name, "offline");
}

TEST(ModelsConfig, ReadsTheSpecExampleAndRoutesChat) {
  const auto config = ModelsConfig::parse(R"(
[default]
provider = "openai"          # any OpenAI-compatible endpoint
endpoint = "http://127.0.0.1:8081/v1/"
model = "qwen2.5-coder:7b"
api_key_env = "AGNTOS_API_KEY"
max_tokens = 4096
temperature = 0.7
supports_tools = true
[profiles.fast]
endpoint = "http://127.0.0.1:8082/v1"
[routing]
chat = "fast"
)",
                                          "models.toml");
  ASSERT_EQ(config.profiles.size(), 2u);
  const ModelProfile& base = config.profiles[0];
  EXPECT_EQ(base.name, "default");
  EXPECT_EQ(base.endpoint, "http://127.0.0.1:8081/v1");  // trailing slash dropped
  EXPECT_EQ(base.temperature, 0.7);

  const auto chat = config.resolve("chat");
  EXPECT_EQ(chat.name, "fast");
  EXPECT_EQ(chat.provider, ProviderKind::openai);
  EXPECT_EQ(chat.endpoint, "http://127.0.0.1:8082/v1");
  EXPECT_EQ(chat.model, "qwen2.5-coder:7b");       // inherited from [default]
  EXPECT_EQ(chat.api_key_env, "AGNTOS_API_KEY");  // inherited
  EXPECT_EQ(chat.max_tokens, 4096);
  EXPECT_EQ(config.resolve("summarize").name, "default");  // no route: the default
  EXPECT_EQ(config.route("chat"), "fast");
}

TEST(ModelsConfig, ReadsAPrototypeFileWithLegacyFlatTables) {
  const auto config = ModelsConfig::parse(R"(# models.toml from the Rust prototype
[default]
endpoint = "http://localhost:11434/v1"
model = "qwen2.5-coder:7b"
max_tokens = 2048

[local-big]
endpoint = "http://gpu-box:8080/v1"
model = "qwen2.5-coder:32b"
temperature = 0

[claude]
provider = "anthropic"
model = "claude-sonnet-4-5"
api_key_env = "ANTHROPIC_API_KEY"

[ui]
theme = "dark"   # not a profile: no endpoint or model

[routing]
chat = "claude"
plan = "local-big"
)",
                                          "models.toml");
  ASSERT_EQ(config.profiles.size(), 3u);
  EXPECT_EQ(config.profiles[0].name, "default");  // file order
  EXPECT_EQ(config.profiles[1].name, "local-big");
  EXPECT_EQ(config.profiles[2].name, "claude");
  EXPECT_EQ(config.profiles[1].temperature, 0.0);
  EXPECT_EQ(config.profiles[1].max_tokens, 2048);

  const auto chat = config.resolve();
  EXPECT_EQ(chat.provider, ProviderKind::anthropic);
  // An explicit provider without an endpoint uses that provider's public API, not [default]'s.
  EXPECT_EQ(chat.endpoint, "https://api.anthropic.com/v1");
  EXPECT_EQ(chat.model, "claude-sonnet-4-5");
  EXPECT_EQ(chat.max_tokens, 2048);  // not provider-specific: inherited
  EXPECT_EQ(config.resolve("plan").model, "qwen2.5-coder:32b");
  ASSERT_EQ(config.routes.size(), 2u);
  EXPECT_EQ(config.routes[0], (std::pair<std::string, std::string>{"chat", "claude"}));
}

TEST(ModelsConfig, ProviderFollowsFromTheKeysGiven) {
  const auto config = ModelsConfig::parse(R"(
[profiles.compatible]
endpoint = "http://127.0.0.1:1/v1"
model = "m"
[profiles.nothing]
model = "m"
[profiles.claude]
provider = "anthropic"
model = "claude"
[profiles.openai]
provider = "openai"
model = "gpt"
)",
                                          "models.toml");
  EXPECT_EQ(config.find("compatible")->provider, ProviderKind::openai);
  EXPECT_EQ(config.find("nothing")->provider, ProviderKind::offline);
  EXPECT_EQ(config.find("claude")->endpoint, "https://api.anthropic.com/v1");
  EXPECT_EQ(config.find("openai")->endpoint, "https://api.openai.com/v1");
  EXPECT_EQ(config.resolve().provider, ProviderKind::offline);  // no [default], no route
}

TEST(ModelsConfig, MistakesAreNamedWithTheirLine) {
  EXPECT_EQ(error_of("[default]\nprovider = \"gemini\"\n"),
            "models.toml:2: [default]: provider = \"gemini\" is not one of \"openai\", \"anthropic\", \"offline\"");
  EXPECT_EQ(error_of("[default]\nendpoint = \"http://x/v1\"\nmodel = \"m\"\n[routing]\nchat = \"fats\"\n"),
            "models.toml:5: [routing] chat = \"fats\" names no profile (known: default)");
  EXPECT_EQ(error_of("[default]\nendpoint = \"http://x/v1\"\nmax_tokens = \"many\"\n"),
            "models.toml:3: [default]: max_tokens must be a positive integer");
  EXPECT_EQ(error_of("[default]\nendpoint = \"http://x/v1\"\n"),
            "models.toml:1: [default]: model is required for provider openai (set it here or in [default])");
  EXPECT_EQ(error_of("[default]\nendpoint = \"ftp://x\"\nmodel = \"m\"\n"),
            "models.toml:1: [default]: endpoint \"ftp://x\" must start with http:// or https://");
  EXPECT_NE(error_of("[default\nmodel = 1").find("models.toml:1:"), std::string::npos);
  EXPECT_EQ(error_of("[fast]\nmodel = \"a\"\nendpoint = \"http://x\"\n[profiles.fast]\nmodel = \"b\"\nendpoint = \"http://y\"\n"),
            "models.toml:4: profile 'fast' is defined twice");
}

TEST(ModelsConfig, AKeyPastedIntoApiKeyEnvIsRefusedWithoutRepeatingIt) {
  const std::string message =
      error_of("[default]\nendpoint = \"http://x/v1\"\nmodel = \"m\"\napi_key_env = \"sk-live-abc123!\"\n");
  EXPECT_EQ(message.find("sk-live-abc123"), std::string::npos) << message;
  EXPECT_NE(message.find("must be the NAME of an environment variable"), std::string::npos) << message;
}

TEST(ModelsConfig, TheKeyIsReadFromTheNamedVariableOnlyWhenAsked) {
  auto config = ModelsConfig::parse("[default]\nendpoint = \"http://x/v1\"\nmodel = \"m\"\napi_key_env = \"AGNTOS_MC_KEY\"\n",
                                    "models.toml");
  const ModelProfile profile = config.resolve();
  ::unsetenv("AGNTOS_MC_KEY");
  try {
    read_api_key(profile);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("the environment variable AGNTOS_MC_KEY"), std::string::npos) << e.what();
  }
  ::setenv("AGNTOS_MC_KEY", "sk-value-42", 1);
  EXPECT_EQ(read_api_key(profile), "sk-value-42");
  EXPECT_EQ(profile.to_json().dump().find("sk-value-42"), std::string::npos);
  EXPECT_EQ(profile.to_json()["api_key_env"], "AGNTOS_MC_KEY");
  ::unsetenv("AGNTOS_MC_KEY");

  ModelProfile keyless = profile;
  keyless.api_key_env.clear();
  EXPECT_EQ(read_api_key(keyless), std::nullopt);
  EXPECT_EQ(keyless.to_json()["api_key_env"], nullptr);
}

TEST(ModelsConfig, LoadsFromAFile) {
  testing::TempDir dir;
  write_file_atomic(dir / "models.toml", "[default]\nprovider = \"offline\"\n");
  const auto config = ModelsConfig::load(dir / "models.toml");
  EXPECT_TRUE(config.file_exists);
  EXPECT_EQ(config.resolve().provider, ProviderKind::offline);
  EXPECT_EQ(config.resolve().name, "default");
}

// --- ModelsTomlEditor -------------------------------------------------------------------------

const std::string kCommented = R"(# My LLM setup
# (edited by hand)

[default]   # the local box
endpoint = "http://127.0.0.1:8081/v1"   # llama.cpp
model = "qwen2.5-coder:7b"

# A faster model for chat
[profiles.fast]
  endpoint = "http://127.0.0.1:8082/v1"
  model = "qwen2.5:3b"

# Routes
[routing]
plan = "default"  # planning stays local
)";

TEST(ModelsTomlEditor, UnchangedTextIsReproducedExactly) {
  EXPECT_EQ(ModelsTomlEditor(kCommented).text(), kCommented);
  EXPECT_EQ(ModelsTomlEditor("").text(), "");
}

TEST(ModelsTomlEditor, AddingAProfileKeepsEveryOtherLine) {
  ModelsTomlEditor editor(kCommented);
  EXPECT_TRUE(editor.set_profile("claude", {{"provider", "anthropic"}, {"model", "claude-sonnet-4-5"}}));
  EXPECT_EQ(editor.text(), R"(# My LLM setup
# (edited by hand)

[default]   # the local box
endpoint = "http://127.0.0.1:8081/v1"   # llama.cpp
model = "qwen2.5-coder:7b"

# A faster model for chat
[profiles.fast]
  endpoint = "http://127.0.0.1:8082/v1"
  model = "qwen2.5:3b"

[profiles.claude]
provider = "anthropic"
model = "claude-sonnet-4-5"

# Routes
[routing]
plan = "default"  # planning stays local
)");
  EXPECT_NO_THROW(ModelsConfig::parse(editor.text(), "models.toml"));
}

TEST(ModelsTomlEditor, ChangingKeysKeepsTheirPlaceIndentAndComment) {
  ModelsTomlEditor editor(kCommented);
  EXPECT_FALSE(editor.set_profile("default", {{"endpoint", "http://10.0.0.2:8081/v1"}, {"api_key_env", "KEY_VAR"}}));
  EXPECT_FALSE(editor.set_profile("fast", {{"model", "qwen2.5:1.5b"}}));
  const std::string text = editor.text();
  EXPECT_NE(text.find("[default]   # the local box\nendpoint = \"http://10.0.0.2:8081/v1\"   # llama.cpp\n"
                      "model = \"qwen2.5-coder:7b\"\napi_key_env = \"KEY_VAR\"\n\n# A faster model"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  model = \"qwen2.5:1.5b\"\n"), std::string::npos) << text;
}

TEST(ModelsTomlEditor, RemovingAProfileLeavesCommentsOutsideIt) {
  ModelsTomlEditor editor(kCommented);
  EXPECT_TRUE(editor.remove_profile("fast"));
  EXPECT_FALSE(editor.remove_profile("fast"));
  EXPECT_EQ(editor.text(), R"(# My LLM setup
# (edited by hand)

[default]   # the local box
endpoint = "http://127.0.0.1:8081/v1"   # llama.cpp
model = "qwen2.5-coder:7b"

# A faster model for chat

# Routes
[routing]
plan = "default"  # planning stays local
)");
}

TEST(ModelsTomlEditor, RoutesAreSetInPlaceOrAppended) {
  ModelsTomlEditor editor(kCommented);
  editor.set_route("plan", "fast");
  editor.set_route("chat", "fast");
  EXPECT_NE(editor.text().find("[routing]\nplan = \"fast\"  # planning stays local\nchat = \"fast\"\n"), std::string::npos)
      << editor.text();
  EXPECT_TRUE(editor.remove_route("plan"));
  EXPECT_FALSE(editor.remove_route("plan"));

  ModelsTomlEditor bare("[default]\nmodel = \"m\"\n");
  bare.set_route("chat", "default");
  EXPECT_EQ(bare.text(), "[default]\nmodel = \"m\"\n\n[routing]\nchat = \"default\"\n");
}

TEST(ModelsTomlEditor, LegacyFlatTablesAreEditedWhereTheyAre) {
  ModelsTomlEditor editor("[default]\nmodel = \"m\"\n\n[local]\nendpoint = \"http://a/v1\"\nmodel = \"x\"\n");
  EXPECT_TRUE(editor.has_profile_table("local"));
  EXPECT_FALSE(editor.set_profile("local", {{"model", "y"}}));
  EXPECT_EQ(editor.text(), "[default]\nmodel = \"m\"\n\n[local]\nendpoint = \"http://a/v1\"\nmodel = \"y\"\n");
  EXPECT_TRUE(editor.remove_profile("local"));
  EXPECT_EQ(editor.text(), "[default]\nmodel = \"m\"\n");
}

TEST(ModelsTomlEditor, TextInsideMultiLineStringsIsNeverATable) {
  const std::string text = "[default]\nmodel = \"m\"\nnotes = \"\"\"\n[profiles.fast]\nmodel = \"fake\"\n\"\"\"\n";
  ModelsTomlEditor editor(text);
  EXPECT_FALSE(editor.has_profile_table("fast"));
  EXPECT_FALSE(editor.set_profile("default", {{"model", "n"}}));
  EXPECT_EQ(editor.text(), "[default]\nmodel = \"n\"\nnotes = \"\"\"\n[profiles.fast]\nmodel = \"fake\"\n\"\"\"\n");
}

// Found by fuzz/models_fuzzer: a """ in a comment (or a ''' inside a one-line string) was
// taken for the start of a multi-line string, so every table after it was invisible and
// 'agntctl model route' appended a second [routing], which made a valid file invalid.
TEST(ModelsTomlEditor, TripleQuotesInACommentOrAOneLineStringOpenNothing) {
  const std::string text =
      "# a \"\"\" in a comment\n"
      "[profiles.fast]\n"
      "model = \"'''\"  # and ''' here\n"
      "endpoint = \"http://127.0.0.1:8081/v1\"\n"
      "notes = \"\"\"x\"\"\"\"\n"
      "[routing]\n"
      "chat = \"fast\"\n";
  ASSERT_NO_THROW(ModelsConfig::parse(text, "models.toml"));
  ModelsTomlEditor editor(text);
  EXPECT_TRUE(editor.has_profile_table("fast"));
  editor.set_route("summary", "fast");
  const auto config = ModelsConfig::parse(editor.text(), "models.toml");
  EXPECT_EQ(config.route("chat"), "fast");
  EXPECT_EQ(config.route("summary"), "fast");
}

TEST(ModelsTomlEditor, ADefaultTableGoesBeforeTheOtherTables) {
  ModelsTomlEditor editor("# header\n\n# fast one\n[profiles.fast]\nmodel = \"m\"\n");
  EXPECT_TRUE(editor.set_profile("default", {{"endpoint", "http://x/v1"}}));
  EXPECT_EQ(editor.text(), "# header\n\n[default]\nendpoint = \"http://x/v1\"\n\n# fast one\n[profiles.fast]\nmodel = \"m\"\n");
}

TEST(ModelsTomlEditor, ValuesAreQuotedSafely) {
  EXPECT_EQ(toml_quote("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
  ModelsTomlEditor editor("");
  editor.set_profile("default", {{"model", "we\"ird = [x]"}, {"endpoint", "http://h/v1"}});
  EXPECT_EQ(ModelsConfig::parse(editor.text(), "t").resolve().model, "we\"ird = [x]");
}

}  // namespace
}  // namespace agntos
