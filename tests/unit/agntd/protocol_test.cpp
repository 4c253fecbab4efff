// SPDX-License-Identifier: MIT
#include "agntd/protocol.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace agntd {
namespace {

std::string usage_error(std::string_view line) {
  try {
    parse_request(line);
  } catch (const agntos::Error& e) {
    EXPECT_EQ(e.code(), agntos::Errc::usage);
    return e.what();
  }
  ADD_FAILURE() << "accepted: " << line;
  return {};
}

TEST(Protocol, ParsesEveryRequestType) {
  EXPECT_EQ(parse_request(R"({"type":"init"})").type, RequestType::init);
  EXPECT_EQ(parse_request(R"({"type":"init","session_id":"s-1f"})").session_id, "s-1f");
  EXPECT_EQ(parse_request(R"({"type":"init","session_id":null})").session_id, std::nullopt);
  EXPECT_EQ(parse_request(R"({"type":"chat","prompt":"install htop"})").prompt, "install htop");
  EXPECT_EQ(parse_request(R"({"type":"approve","request_id":"r-1"})").request_id, "r-1");
  const auto deny = parse_request(R"({"type":"deny","request_id":"r-1","reason":"not now"})");
  EXPECT_EQ(deny.type, RequestType::deny);
  EXPECT_EQ(deny.reason, "not now");
  EXPECT_EQ(parse_request(R"({"type":"cancel"})").type, RequestType::cancel);
  EXPECT_EQ(parse_request(R"({"type":"status","target":"cpu"})").target, "cpu");
  const auto audit = parse_request(R"({"type":"audit","action":"search","query":"htop","limit":5})");
  EXPECT_EQ(audit.action, "search");
  EXPECT_EQ(audit.limit, 5);
  EXPECT_EQ(parse_request(R"({"type":"audit"})").action, "list");
  EXPECT_EQ(parse_request(R"({"type":"sessions"})").type, RequestType::sessions);
  EXPECT_EQ(parse_request(R"({"type":"history","query":"htop"})").query, "htop");
  EXPECT_EQ(parse_request(R"({"type":"history","session_id":"s-1"})").session_id, "s-1");
  const auto confirm = parse_request(R"({"type":"confirm","audit_id":"a-18f0"})");
  EXPECT_EQ(confirm.type, RequestType::confirm);
  EXPECT_EQ(confirm.audit_id, "a-18f0");
}

TEST(Protocol, LegacyOneShotPromptIsRecognised) {
  const auto request = parse_request(R"({"prompt":"why is htop installed?"})");
  EXPECT_EQ(request.type, RequestType::legacy_prompt);
  EXPECT_EQ(request.prompt, "why is htop installed?");
}

TEST(Protocol, MalformedRequestsAreUsageErrorsThatSayWhy) {
  EXPECT_NE(usage_error("not json").find("not JSON"), std::string::npos);
  EXPECT_NE(usage_error("[1,2]").find("not a JSON object"), std::string::npos);
  EXPECT_NE(usage_error("{}").find("no \"type\""), std::string::npos);
  EXPECT_NE(usage_error(R"({"type":"launch"})").find("unknown request type"), std::string::npos);
  EXPECT_NE(usage_error(R"({"type":"chat"})").find("needs \"prompt\""), std::string::npos);
  EXPECT_NE(usage_error(R"({"type":"chat","prompt":42})").find("must be a string"), std::string::npos);
  EXPECT_NE(usage_error(R"({"type":"chat","prompt":"  "})").find("non-empty"), std::string::npos);
  EXPECT_NE(usage_error(R"({"type":"approve"})").find("request_id"), std::string::npos);
  EXPECT_NE(usage_error(R"({"type":"init","session_id":"../etc"})").find("s-<hex>"), std::string::npos);
  EXPECT_NE(usage_error(R"({"type":"audit","action":"drop"})").find("list | show | search | why"), std::string::npos);
  EXPECT_NE(usage_error(R"({"type":"audit","action":"show"})").find("needs an id"), std::string::npos);
  EXPECT_NE(usage_error(R"({"type":"sessions","limit":"5"})").find("integer"), std::string::npos);
  EXPECT_NE(usage_error(R"({"type":"sessions","limit":0})").find("between 1 and 1000"), std::string::npos);
  EXPECT_NE(usage_error(R"({"type":"history"})").find("query"), std::string::npos);
  EXPECT_NE(usage_error(R"({"type":7})").find("must be a string"), std::string::npos);
  EXPECT_NE(usage_error(R"({"type":"confirm"})").find("needs \"audit_id\""), std::string::npos);
  EXPECT_NE(usage_error(R"({"type":"confirm","audit_id":"--yes"})").find("a-<hex>"), std::string::npos);
  EXPECT_NE(usage_error(R"({"type":"confirm","audit_id":"p-18f0"})").find("a-<hex>"), std::string::npos);
}

TEST(Protocol, TurnCompleteSaysHowTheTurnEndedAndCarriesNoAnswerWhenItFailed) {
  TurnResult answered;
  answered.content = "done";
  EXPECT_EQ(turn_complete_message(answered).dump(), R"({"type":"turn_complete","content":"done","end":"answered"})");
  TurnResult failed;
  failed.end = TurnEnd::failed;
  failed.content = "partial";
  failed.error = "endpoint down";
  EXPECT_EQ(turn_complete_message(failed).dump(), R"({"type":"turn_complete","content":"","end":"failed"})");
}

TEST(Protocol, ServerMessagesAreFlatWithFixedKeys) {
  llm::ToolCall call{"c1", "apply", R"({"id":"p-1"})"};
  EXPECT_EQ(to_line(tool_call_message(call, Json{{"id", "p-1"}})),
            R"({"type":"tool_call","id":"c1","name":"apply","args":{"id":"p-1"},"status":"running"})" "\n");
  EXPECT_EQ(tool_result_message(call, ToolOutcome{Json{{"id", "a-1"}}, true, "{\"id\":\"a-1\"}"}).dump(),
            R"({"type":"tool_result","id":"c1","name":"apply","output":{"id":"a-1"},"success":true})");
  ApprovalRequest approval;
  approval.request_id = "r-1";
  approval.kind = "rollback";
  approval.summary = "Undo a-1";
  approval.effect = "Undoes a-1";
  approval.closure = "packages:\n  - htop 3.3.0\nclosure -600 B";
  approval.diff = "restores x";
  approval.digest = "d1";
  EXPECT_EQ(approval_request_message(approval).dump(),
            R"({"type":"approval_request","request_id":"r-1","kind":"rollback","proposal_id":null,"summary":"Undo a-1",)"
            R"("effect":"Undoes a-1","closure":"packages:\n  - htop 3.3.0\nclosure -600 B","diff":"restores x","digest":"d1",)"
            R"("confirm_timeout_s":null})");
  EXPECT_EQ(token_message("hi", llm::Channel::thinking).dump(), R"({"type":"token","content":"hi","channel":"thinking"})");
  EXPECT_EQ(usage_message(llm::Usage{10, 2}).dump(), R"({"type":"usage","prompt_tokens":10,"completion_tokens":2})");
  EXPECT_EQ(error_message("bad", "usage").dump(), R"({"type":"error","message":"bad","code":"usage"})");
  EXPECT_EQ(legacy_response_message("ok").dump(), R"({"response":"ok"})");
  EXPECT_EQ(confirm_needed_message(ConfirmNeeded{"a-1f", 60, "2026-12-02T01:00:00.000Z", 58}).dump(),
            R"({"type":"confirm_needed","audit_id":"a-1f","timeout_s":60,"deadline":"2026-12-02T01:00:00.000Z",)"
            R"("seconds_left":58})");
  EXPECT_EQ(confirm_response_message("a-1f", Json{{"id", "a-20"}}).dump(),
            R"({"type":"confirm_response","audit_id":"a-1f","entry":{"id":"a-20"}})");
  EXPECT_EQ(history_response_message("q", std::nullopt, Json::array(), Json::array()).dump(),
            R"({"type":"history_response","query":"q","session_id":null,"results":[],"messages":[]})");
}

TEST(Protocol, InvalidUtf8NeverBreaksALine) {
  const auto line = to_line(token_message(std::string("a\xff" "b"), llm::Channel::content));
  EXPECT_EQ(line.back(), '\n');
  Json parsed;
  EXPECT_NO_THROW(parsed = Json::parse(line));
  EXPECT_EQ(parsed["type"], "token");
}

}  // namespace
}  // namespace agntd
