// SPDX-License-Identifier: MIT
#include "agntctl/models_toml_editor.h"

#include <gtest/gtest.h>

#include <string>

#include "common/models_config.h"

namespace agntctl {
namespace {

using agntos::ModelsConfig;

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
}  // namespace agntctl
