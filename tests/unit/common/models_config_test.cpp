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

}  // namespace
}  // namespace agntos
