// SPDX-License-Identifier: MIT
#include "agntd/tools.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "common/error.h"

namespace agntd {
namespace {

using Args = std::vector<std::string>;

ToolInvocation build(std::string_view name, const Json& args, const ToolContext& context = {}) {
  const ToolSpec* tool = find_tool(name);
  EXPECT_NE(tool, nullptr) << name;
  return tool->build(args, context);
}

TEST(Tools, TableHasTheTenToolsOfTheSpec) {
  std::set<std::string> names;
  for (const auto& tool : tool_table()) names.insert(tool.name);
  EXPECT_EQ(names, (std::set<std::string>{"inspect", "propose", "apply", "rollback", "audit", "memory", "read_file",
                                          "write_file", "edit_file", "run_bash"}));
}

TEST(Tools, OnlyApplyAndRollbackAreGated) {
  for (const auto& tool : tool_table()) {
    const bool gated = std::string_view(tool.name) == "apply" || std::string_view(tool.name) == "rollback";
    EXPECT_EQ(tool.gate.gated(), gated) << tool.name;
  }
}

// Read from the table itself: every gated call builds the --plan of the agntctl command its
// gate names, with that action, and every word of a tool's choice list is accepted as it is
// listed in its schema.
TEST(Tools, EveryGatedActionPlansTheAgntctlCommandItsGateNames) {
  ToolContext plan;
  plan.plan_only = true;
  for (const auto& tool : tool_table()) {
    if (!tool.gate.gated()) continue;
    std::vector<Json> calls;
    if (tool.gate.action_key.empty()) {
      calls.push_back(Json{{"id", "p-1"}});
    } else {
      for (const auto action : tool.gate.actions)
        if (!action.empty()) calls.push_back(Json{{std::string(tool.gate.action_key), action}});
    }
    ASSERT_FALSE(calls.empty()) << tool.name;
    for (const auto& args : calls) {
      EXPECT_TRUE(needs_approval(tool, args)) << tool.name << " " << args;
      const auto argv = tool.build(args, plan).args;
      EXPECT_NE(std::find(argv.begin(), argv.end(), std::string(tool.gate.drives)), argv.end()) << tool.name;
      EXPECT_NE(std::find(argv.begin(), argv.end(), "--plan"), argv.end()) << tool.name;
      if (!tool.gate.action_key.empty()) {
        EXPECT_NE(std::find(argv.begin(), argv.end(), args[std::string(tool.gate.action_key)].get<std::string>()),
                  argv.end()) << tool.name;
      }
    }
  }
}

TEST(Tools, ChoiceListsAreTheSchemasEnumsAndTheBuildersAcceptEveryWord) {
  for (const auto& tool : tool_table()) {
    if (tool.choice_key.empty()) continue;
    const auto& schema = *std::find_if(tool_schemas().begin(), tool_schemas().end(),
                                       [&](const auto& s) { return s.name == tool.name; });
    Json words = Json::array();
    for (const auto& word : tool.choices) {
      words.push_back(word.name);
      Json args{{std::string(tool.choice_key), word.name}};
      // Arguments some actions need, so that only the choice itself is under test.
      for (const char* key : {"id", "thing", "query", "target"})
        if (!args.contains(key)) args[key] = "x";
      EXPECT_NO_THROW(tool.build(args, ToolContext{})) << tool.name << " " << word.name;
    }
    EXPECT_EQ(schema.parameters["properties"][std::string(tool.choice_key)]["enum"], words) << tool.name;
    Json bad{{std::string(tool.choice_key), "no-such-word"}};
    EXPECT_THROW(tool.build(bad, ToolContext{}), agntos::Error) << tool.name;
  }
}

TEST(Tools, EverySchemaIsAnObjectSchemaWhoseRequiredKeysExist) {
  for (const auto& schema : tool_schemas()) {
    EXPECT_EQ(schema.parameters["type"], "object") << schema.name;
    ASSERT_TRUE(schema.parameters["properties"].is_object()) << schema.name;
    for (const auto& key : schema.parameters.value("required", Json::array()))
      EXPECT_TRUE(schema.parameters["properties"].contains(key.get<std::string>())) << schema.name << " " << key;
    EXPECT_FALSE(schema.description.empty());
  }
}

TEST(Tools, RollbackListNeedsNoApprovalButUndoAndGenerationDo) {
  const ToolSpec& rollback = *find_tool("rollback");
  EXPECT_FALSE(needs_approval(rollback, Json{{"action", "list"}}));
  EXPECT_FALSE(needs_approval(rollback, Json::object()));
  EXPECT_TRUE(needs_approval(rollback, Json{{"action", "undo"}}));
  EXPECT_TRUE(needs_approval(rollback, Json{{"action", "generation"}, {"target", "3"}}));
  EXPECT_TRUE(needs_approval(*find_tool("apply"), Json{{"id", "p-1"}}));
  EXPECT_FALSE(needs_approval(*find_tool("propose"), Json{{"intent", "install htop"}}));
}

TEST(Tools, ProposeRecordsTheUsersWordsSessionAndModel) {
  ToolContext context;
  context.user_prompt = "please install htop";
  context.session_id = "s-1";
  context.model = "qwen";
  const auto invocation =
      build("propose", Json{{"intent", "install htop"}, {"rationale", "asked"}, {"prompt", "model's words"}}, context);
  EXPECT_EQ(invocation.args, (Args{"--json", "propose", "--prompt=please install htop", "--rationale=asked",
                                   "--session-id=s-1", "--model=qwen", "install htop"}));
}

TEST(Tools, ProposeTakesAModuleWithItsText) {
  const auto invocation = build("propose", Json{{"module", "modules/fw.nix"}, {"nix", "{ }"}});
  EXPECT_EQ(invocation.args, (Args{"--json", "propose", "--module=modules/fw.nix", "--nix={ }"}));
  EXPECT_THROW(build("propose", Json{{"module", "modules/fw.nix"}}), agntos::Error);
  EXPECT_THROW(build("propose", Json::object()), agntos::Error);
  EXPECT_THROW(build("propose", Json{{"intent", "--config-dir=/tmp/x"}}), agntos::Error);
}

TEST(Tools, ApplyPassesYesOnlyWithTheGatesApproval) {
  EXPECT_EQ(build("apply", Json{{"id", "p-12"}}).args, (Args{"--json", "apply", "--", "p-12"}));
  ToolContext approved;
  approved.approved_by = "client:1000";
  EXPECT_EQ(build("apply", Json{{"id", "p-12"}}, approved).args,
            (Args{"--json", "apply", "--yes", "--approved-by=client:1000", "--", "p-12"}));
}

TEST(Tools, ValuesThatLookLikeOptionsStayPositional) {
  EXPECT_EQ(build("apply", Json{{"id", "--yes"}}).args, (Args{"--json", "apply", "--", "--yes"}));
  EXPECT_EQ(build("read_file", Json{{"path", "--config-dir=/"}}).args, (Args{"--json", "read_file", "--", "--config-dir=/"}));
}

TEST(Tools, RollbackAuditMemoryAndFileToolsBuildTheirArgv) {
  ToolContext approved;
  approved.approved_by = "tty";
  EXPECT_EQ(build("rollback", Json{{"action", "list"}}, approved).args, (Args{"--json", "rollback", "--", "list"}));
  EXPECT_EQ(build("rollback", Json{{"action", "undo"}, {"target", "a-1"}}, approved).args,
            (Args{"--json", "rollback", "--yes", "--approved-by=tty", "--", "undo", "a-1"}));
  EXPECT_EQ(build("audit", Json{{"action", "search"}, {"query", "htop"}, {"limit", 5}}).args,
            (Args{"--json", "audit", "--limit=5", "--query=htop", "--", "search"}));
  EXPECT_EQ(build("audit", Json{{"action", "show"}, {"id", "a-1"}}).args, (Args{"--json", "audit", "--", "show", "a-1"}));
  EXPECT_EQ(build("memory", Json{{"action", "add"}, {"file", "user"}, {"content", "likes vim"}}).args,
            (Args{"--json", "memory", "--content=likes vim", "--", "add", "user"}));
  EXPECT_EQ(build("memory", Json{{"action", "search"}, {"query", "htop"}}).args,
            (Args{"--json", "memory", "--", "search", "htop"}));
  EXPECT_EQ(build("read_file", Json{{"path", "/etc/hosts"}, {"offset", "2"}}).args,
            (Args{"--json", "read_file", "--offset=2", "--", "/etc/hosts"}));
  const auto write = build("write_file", Json{{"path", "/tmp/x"}, {"content", "hello"}});
  EXPECT_EQ(write.args, (Args{"--json", "write_file", "--", "/tmp/x"}));
  EXPECT_EQ(write.stdin_text, "hello");
  EXPECT_EQ(build("edit_file", Json{{"path", "f"}, {"old", "a"}, {"new", "b"}, {"all", true}}).args,
            (Args{"--json", "edit_file", "--old=a", "--new=b", "--all", "--", "f"}));
  EXPECT_EQ(build("run_bash", Json{{"command", "uname -a"}, {"timeout", 5}}).args,
            (Args{"--json", "run_bash", "--timeout=5", "--", "uname -a"}));
  EXPECT_EQ(build("inspect", Json::object()).args, (Args{"--json", "inspect"}));
  EXPECT_EQ(build("inspect", Json{{"target", "option"}, {"query", "time zone"}}).args,
            (Args{"--json", "inspect", "--", "option", "time zone"}));
  EXPECT_EQ(build("inspect", Json{{"target", "cpu"}, {"query", "ignored"}}).args, (Args{"--json", "inspect", "--", "cpu"}));
}

TEST(Tools, MissingOrMistypedArgumentsAreUsageErrorsNamingThem) {
  try {
    build("apply", Json::object());
    FAIL();
  } catch (const agntos::Error& e) {
    EXPECT_EQ(e.code(), agntos::Errc::usage);
    EXPECT_NE(std::string(e.what()).find("'id'"), std::string::npos);
  }
  EXPECT_THROW(build("read_file", Json{{"path", 3}}), agntos::Error);
  EXPECT_THROW(build("audit", Json{{"action", "delete"}}), agntos::Error);
  EXPECT_THROW(build("memory", Json{{"action", "remove"}, {"target", "x"}}), agntos::Error);
}

TEST(Tools, CapOutputKeepsShortTextAndMarksCutText) {
  EXPECT_EQ(cap_output("hello", 5), "hello");
  EXPECT_EQ(cap_output("hello world", 5), "hello\n[output truncated: showed 5 of 11 characters]");
  // Characters, not bytes: "é" is one character and is never split.
  EXPECT_EQ(cap_output("ééé", 2), "éé\n[output truncated: showed 2 of 3 characters]");
}

}  // namespace
}  // namespace agntd

namespace agntd {
namespace {

TEST(Tools, ANulInAnArgumentIsRefusedNotCutShort) {
  // argv cannot carry a NUL: "/tmp/a\0/etc/x" would silently become "/tmp/a".
  for (const auto& [name, args] : std::vector<std::pair<std::string, Json>>{
           {"edit_file", Json{{"path", std::string("/tmp/a\0b", 8)}, {"old", "x"}, {"new", "y"}}},
           {"edit_file", Json{{"path", "/tmp/a"}, {"old", std::string("x\0y", 3)}, {"new", "y"}}},
           {"read_file", Json{{"path", std::string("/etc/hostname\0.txt", 18)}}},
           {"run_bash", Json{{"command", std::string("echo a\0; rm -rf ~", 17)}}},
           {"propose", Json{{"intent", std::string("install htop\0btop", 17)}}}}) {
    try {
      find_tool(name)->build(args, ToolContext{});
      ADD_FAILURE() << name << " accepted a NUL";
    } catch (const agntos::Error& e) {
      EXPECT_EQ(e.code(), agntos::Errc::usage);
      EXPECT_NE(std::string(e.what()).find("NUL"), std::string::npos) << e.what();
    }
  }
  // write_file's content goes through stdin, where any byte is fine.
  const auto write = find_tool("write_file")->build(Json{{"path", "/tmp/a"}, {"content", std::string("a\0b", 3)}}, {});
  EXPECT_EQ(write.stdin_text, std::string("a\0b", 3));
}

}  // namespace
}  // namespace agntd
