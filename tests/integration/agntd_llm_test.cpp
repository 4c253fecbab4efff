// SPDX-License-Identifier: MIT
// The daemon with a real HTTP provider against the scripted LLM server, in both the OpenAI
// and the Anthropic format: streamed tool calls split across many reads, cancel mid-stream,
// faults followed by turns that succeed, and a soak of 1,000 turns.
#include <gtest/gtest.h>

#include <random>
#include <thread>

#include "common/files.h"
#include "common/models_config.h"
#include "common/text.h"
#include "integration/agntd_daemon.h"
#include "support/scripted_llm_server.h"

namespace agntd::testing {
namespace {

namespace fs = std::filesystem;
using agntos::ProviderKind;
using agntos::testing::AgntctlEnv;
using agntos::testing::ScriptedAnswer;
using agntos::testing::ScriptedLlmServer;
using agntos::testing::ScriptedToolCall;
using agntos::testing::ScriptStep;

constexpr const char* kKeyVariable = "AGNTOS_TEST_LLM_KEY";
constexpr const char* kKey = "sk-test-9f8e7d6c5b4a-SECRET-key";

class AgntdLlmTest : public ::testing::TestWithParam<ProviderKind> {
protected:
  void SetUp() override {
    env.use_profile_backend();
    agntos::write_file_atomic(env.config_dir() / "models.toml",
                              "[default]\nprovider = \"" + std::string(agntos::provider_name(GetParam())) +
                                  "\"\nendpoint = \"" + server.base_url() +
                                  "\"\nmodel = \"scripted-model\"\napi_key_env = \"" + kKeyVariable +
                                  "\"\nmax_tokens = 512\n");
    daemon.emplace(env, std::map<std::string, std::string>{{kKeyVariable, kKey}});
    ASSERT_TRUE(daemon->wait_ready()) << daemon->output();
    client.emplace(daemon->socket());
    client->send(Json{{"type", "init"}});
    const auto ready = client->expect("session_ready");
    EXPECT_EQ(ready["profile"], "default");
    EXPECT_EQ(ready["model"], "scripted-model");
  }
  void TearDown() override {
    const auto failures = server.failures();
    EXPECT_TRUE(failures.empty()) << failures.front();
  }

  std::string stream(const ScriptedAnswer& answer) const {
    return GetParam() == ProviderKind::openai ? agntos::testing::openai_stream(answer)
                                              : agntos::testing::anthropic_stream(answer);
  }
  ScriptStep answer(const std::string& text) const {
    return ScriptStep::events(stream(ScriptedAnswer{.text = {text}})).split_every(11);
  }
  ScriptStep malformed() const {
    return ScriptStep::events(GetParam() == ProviderKind::openai ? "data: {\"choices\": [oops\n\n"
                                                                  : "event: message_start\ndata: {oops\n\n");
  }
  // Sends a chat and returns the turn's messages, turn_complete last.
  std::vector<Json> turn(const std::string& prompt, std::chrono::milliseconds timeout = 120s) {
    client->send(Json{{"type", "chat"}, {"prompt", prompt}});
    std::vector<Json> seen;
    seen.push_back(client->expect("turn_complete", &seen, timeout));
    return seen;
  }
  static std::string content_of(const std::vector<Json>& messages, const char* type = "token") {
    std::string text;
    for (const auto& message : messages)
      if (message["type"] == type && type == std::string("token")) text += message["content"].get<std::string>();
    return text;
  }
  static Json first(const std::vector<Json>& messages, const std::string& type) {
    for (const auto& message : messages)
      if (message["type"] == type) return message;
    return nullptr;
  }

  ScriptedLlmServer server;
  AgntctlEnv env;
  std::optional<DaemonProcess> daemon;
  std::optional<SocketClient> client;
};

TEST_P(AgntdLlmTest, AFullTurnWithAToolCallSplitAcrossManyReads) {
  server.push(ScriptStep::events(stream(ScriptedAnswer{.text = {"Let me ", "check."},
                                                       .tool_calls = {ScriptedToolCall{"call_1", "inspect",
                                                                                       R"({"target":"cpu"})", 6}},
                                                       .usage = std::pair{100L, 20L}}))
                  .split_every(5));
  server.push(ScriptStep::events(stream(ScriptedAnswer{.text = {"You have ", "2 cores."}, .usage = std::pair{150L, 10L}}))
                  .split_every(3));
  const auto messages = turn("how many cores?");
  const auto& done = messages.back();
  EXPECT_EQ(done["end"], "answered");
  EXPECT_EQ(done["content"], "You have 2 cores.");
  EXPECT_EQ(content_of(messages), "Let me check.You have 2 cores.");
  const auto call = first(messages, "tool_call");
  ASSERT_TRUE(call.is_object());
  EXPECT_EQ(call["name"], "inspect");
  EXPECT_EQ(call["id"], "call_1");
  EXPECT_EQ(call["args"], (Json{{"target", "cpu"}}));
  const auto result = first(messages, "tool_result");
  EXPECT_EQ(result["success"], true);
  EXPECT_NE(result["output"].dump().find("\"threads\""), std::string::npos);
  const auto usage = first(messages, "usage");
  EXPECT_EQ(usage["prompt_tokens"], 100);
  EXPECT_EQ(usage["completion_tokens"], 20);

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  const auto body = requests[0].json();
  EXPECT_EQ(body["tools"].size(), 10u);
  EXPECT_NE(requests[0].body.find("You are AgntOS"), std::string::npos);
  EXPECT_NE(requests[1].body.find("call_1"), std::string::npos);
  EXPECT_NE(requests[1].body.find("threads"), std::string::npos);  // the tool result went back
}

TEST_P(AgntdLlmTest, CancelMidStreamStopsTheRequestAndTheNextTurnWorks) {
  std::vector<std::string> words(200, "word ");
  server.push(ScriptStep::events(stream(ScriptedAnswer{.text = words})).split_every(40, 50ms));
  client->send(Json{{"type", "chat"}, {"prompt", "write a long story"}});
  client->expect("token");
  const auto started = std::chrono::steady_clock::now();
  client->send(Json{{"type", "cancel"}});
  const auto done = client->expect("turn_complete", nullptr, 10s);
  EXPECT_EQ(done["end"], "cancelled");
  EXPECT_NE(done["content"].get<std::string>().find("[cancelled by the user]"), std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);

  server.push(answer("Still here."));
  EXPECT_EQ(turn("hello?").back()["content"], "Still here.");
}

TEST_P(AgntdLlmTest, CancelKillsARunningTool) {
  const auto settings = agntos::read_file(env.config_dir() / "agntos.toml");
  agntos::write_file_atomic(env.config_dir() / "agntos.toml", settings + "[policy]\nbash_sandbox = \"off\"\n");
  server.push(ScriptStep::events(stream(ScriptedAnswer{
      .tool_calls = {ScriptedToolCall{"call_sleep", "run_bash", R"({"command":"sleep 30","timeout":60})", 2}}})));
  client->send(Json{{"type", "chat"}, {"prompt", "wait a while"}});
  EXPECT_EQ(client->expect("tool_call")["name"], "run_bash");
  std::this_thread::sleep_for(300ms);  // the tool is running
  const auto started = std::chrono::steady_clock::now();
  client->send(Json{{"type", "cancel"}});
  std::vector<Json> seen;
  const auto done = client->expect("turn_complete", &seen, 20s);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  EXPECT_EQ(done["end"], "cancelled");
  const auto result = first(seen, "tool_result");
  ASSERT_TRUE(result.is_object());
  EXPECT_EQ(result["success"], false);
  EXPECT_NE(result["output"].dump().find("cancelled"), std::string::npos) << result.dump();
  EXPECT_EQ(server.requests().size(), 1u);  // no further LLM round after the cancel

  server.push(answer("Back."));
  EXPECT_EQ(turn("still there?").back()["content"], "Back.");
}

TEST_P(AgntdLlmTest, A500IsRetriedAndTheTurnSucceeds) {
  server.push(ScriptStep::error(500, "overloaded"));
  server.push(answer("Recovered."));
  const auto messages = turn("hi");
  EXPECT_EQ(messages.back()["end"], "answered");
  EXPECT_EQ(messages.back()["content"], "Recovered.");
  EXPECT_EQ(server.requests().size(), 2u);
}

TEST_P(AgntdLlmTest, PersistentFaultsGiveAClearErrorAndTheDaemonStillServes) {
  struct Fault {
    const char* name;
    std::vector<ScriptStep> steps;
    const char* message;
  };
  const auto dropped_stream = stream(ScriptedAnswer{.text = {"Half ", "an ", "answer ", "and ", "then"}});
  const std::vector<Fault> faults{
      {"429", std::vector<ScriptStep>(4, ScriptStep::error(429, "slow down").with_header("Retry-After", "0")), "429"},
      {"500", std::vector<ScriptStep>(4, ScriptStep::error(500, "internal error")), "500"},
      {"dropped connection", {ScriptStep::events(dropped_stream).drop_after(dropped_stream.find("answer"))}, ""},
      {"malformed JSON", {malformed()}, "malformed"},
  };
  for (const auto& fault : faults) {
    SCOPED_TRACE(fault.name);
    for (const auto& step : fault.steps) server.push(step);
    const auto messages = turn(std::string("fault ") + fault.name);
    EXPECT_EQ(messages.back()["end"], "failed");
    const auto error = first(messages, "error");
    ASSERT_TRUE(error.is_object()) << Json(messages).dump();
    EXPECT_NE(error["message"].get<std::string>().find(fault.message), std::string::npos) << error.dump();
    EXPECT_NE(error["message"].get<std::string>().find("127.0.0.1"), std::string::npos) << error.dump();
    EXPECT_EQ(server.steps_left(), 0u);

    server.push(answer(std::string("Fine after ") + fault.name));
    EXPECT_EQ(turn("are you there?").back()["content"], std::string("Fine after ") + fault.name);
  }
  EXPECT_TRUE(daemon->running());
}

TEST_P(AgntdLlmTest, AnUnsetKeyVariableIsAClearErrorThatNamesIt) {
  agntos::write_file_atomic(env.config_dir() / "models.toml",
                            "[default]\nprovider = \"" + std::string(agntos::provider_name(GetParam())) +
                                "\"\nendpoint = \"" + server.base_url() + "\"\nmodel = \"m\"\napi_key_env = \"AGNTOS_NO_SUCH_KEY\"\n");
  client->send(Json{{"type", "init"}});  // a new session reads models.toml again
  client->expect("session_ready");
  const auto messages = turn("hi");
  EXPECT_EQ(messages.back()["end"], "failed");
  EXPECT_NE(first(messages, "error")["message"].get<std::string>().find("AGNTOS_NO_SUCH_KEY"), std::string::npos);
  EXPECT_TRUE(server.requests().empty());
}

// 1,000 turns with faults injected: every turn ends with an answer or a clear error, the
// daemon is alive at the end, and the API key is nowhere in the state or config dir.
TEST_P(AgntdLlmTest, SoakOfAThousandTurnsWithFaults) {
  std::mt19937 random(42);
  int answered = 0;
  int failed = 0;
  for (int i = 0; i < 1000; ++i) {
    if (i % 100 == 0) {
      client->send(Json{{"type", "init"}});
      client->expect("session_ready");
    }
    const auto dice = random() % 20;
    const std::string reply = "answer " + std::to_string(i);
    bool expect_failure = false;
    std::string prompt = "turn " + std::to_string(i);
    if (dice == 0) {
      server.push(ScriptStep::error(500, "internal error"));
      server.push(answer(reply));
    } else if (dice == 1) {
      for (int k = 0; k < 4; ++k) server.push(ScriptStep::error(429, "slow down").with_header("Retry-After", "0"));
      expect_failure = true;
    } else if (dice == 2) {
      const auto text = stream(ScriptedAnswer{.text = {"partial ", "answer ", "lost"}});
      server.push(ScriptStep::events(text).drop_after(text.find("answer")));
      expect_failure = true;
    } else if (dice == 3) {
      server.push(malformed());
      expect_failure = true;
    } else if (dice == 4) {
      // The endpoint echoes the key in an error: it must not reach any file.
      for (int k = 0; k < 4; ++k) server.push(ScriptStep::error(500, std::string("bad key ") + kKey));
      expect_failure = true;
    } else if (dice == 5) {
      server.push(ScriptStep::events(stream(ScriptedAnswer{
          .tool_calls = {ScriptedToolCall{"call_" + std::to_string(i), "memory", R"({"action":"show"})", 3}}})));
      server.push(answer(reply));
    } else if (dice == 6) {
      prompt = std::string("my key is ") + kKey + ", keep it safe";
      server.push(answer(reply));
    } else {
      server.push(answer(reply));
    }
    const auto messages = turn(prompt, 60s);
    const auto& done = messages.back();
    ASSERT_EQ(done["type"], "turn_complete") << "turn " << i;
    if (expect_failure) {
      ASSERT_EQ(done["end"], "failed") << "turn " << i << ": " << Json(messages).dump();
      const auto error = first(messages, "error");
      ASSERT_TRUE(error.is_object()) << "turn " << i;
      EXPECT_FALSE(error["message"].get<std::string>().empty());
      EXPECT_EQ(error["message"].get<std::string>().find(kKey), std::string::npos) << error.dump();
      ++failed;
    } else {
      ASSERT_EQ(done["end"], "answered") << "turn " << i << ": " << Json(messages).dump();
      ASSERT_EQ(done["content"], reply) << "turn " << i;
      ++answered;
    }
    ASSERT_EQ(server.steps_left(), 0u) << "turn " << i;
  }
  std::cout << "[soak] " << answered << " answered, " << failed << " failed with a clear error\n";
  EXPECT_TRUE(daemon->running());
  client->send(Json{{"type", "sessions"}, {"limit", 20}});
  EXPECT_EQ(client->expect("sessions_response")["sessions"].size(), 11u);  // SetUp's and one per 100 turns
  EXPECT_EQ(daemon->stop(), 0);

  size_t files = 0;
  for (const auto& dir : {env.state_dir(), env.config_dir()}) {
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
      if (!entry.is_regular_file()) continue;
      ++files;
      const auto bytes = agntos::read_file(entry.path());
      EXPECT_EQ(bytes.find(kKey), std::string::npos) << "the API key is in " << entry.path();
      EXPECT_EQ(bytes.find("9f8e7d6c5b4a"), std::string::npos) << "part of the API key is in " << entry.path();
    }
  }
  EXPECT_GE(files, 2u);
  EXPECT_NE(agntos::read_file(env.state_dir() / "agntd.log").find("turn_complete"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Providers, AgntdLlmTest, ::testing::Values(ProviderKind::openai, ProviderKind::anthropic),
                         [](const ::testing::TestParamInfo<ProviderKind>& param) { return std::string(agntos::provider_name(param.param)); });

}  // namespace
}  // namespace agntd::testing
