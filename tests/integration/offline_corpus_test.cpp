// SPDX-License-Identifier: MIT
// The offline assistant's request corpus (issue 13), run through the real agntd and agntctl:
// each request of tests/integration/offline_corpus.json is said in a new session of one
// daemon (no models.toml: the offline provider), on a system prepared with a few changes, a
// note and a past conversation. Every approval the daemon asks for is denied, so the system
// stays as prepared and each request is judged alone.
//
// A case names its category, the words said, and what must happen:
//   calls        tool calls that must be made, in this order (others may come between); each
//                with "tool", and optionally "args" (keys that must be equal) and "args_has"
//                (keys whose string value must contain the text)
//   never        tools that must not be called
//   no_calls     true: no tool at all
//   approval     text the approval request's summary must contain (an approval must be asked)
//   answer_has / answer_lacks   texts the final answer must / must not contain (any case)
//   then         further cases said in the same session, after this one
// The test reports the pass rate per category and fails unless every case passes.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>

#include "common/files.h"
#include "common/text.h"
#include "integration/agntd_daemon.h"

namespace agntd::testing {
namespace {

namespace fs = std::filesystem;
using agntos::testing::AgntctlEnv;

struct Turn {
  std::vector<Json> calls;    // tool_call messages
  std::vector<Json> approvals;
  std::string answer;
  bool completed = false;
};

Turn say(SocketClient& client, const std::string& words) {
  Turn turn;
  client.send(Json{{"type", "chat"}, {"prompt", words}});
  for (;;) {
    auto message = client.next(180s);
    if (!message) return turn;
    const auto type = message->value("type", "");
    if (type == "tool_call") turn.calls.push_back(*message);
    if (type == "approval_request") {
      turn.approvals.push_back(*message);
      client.send(Json{{"type", "deny"}, {"request_id", (*message)["request_id"]}, {"reason", "corpus run"}});
    }
    if (type == "turn_complete") {
      turn.answer = message->value("content", "");
      turn.completed = true;
      return turn;
    }
  }
}

bool contains_nocase(const std::string& text, const std::string& part) {
  return agntos::to_lower(text).find(agntos::to_lower(part)) != std::string::npos;
}

bool call_matches(const Json& actual, const Json& expected) {
  if (actual.value("name", "") != expected.value("tool", "")) return false;
  const Json& args = actual.contains("args") ? actual["args"] : Json::object();
  if (expected.contains("args"))
    for (const auto& [key, value] : expected["args"].items())
      if (!args.contains(key) || args[key] != value) return false;
  if (expected.contains("args_has"))
    for (const auto& [key, value] : expected["args_has"].items())
      if (!args.contains(key) || !args[key].is_string() ||
          args[key].get<std::string>().find(value.get<std::string>()) == std::string::npos)
        return false;
  return true;
}

// What is wrong with `turn` for `expected` ("" when nothing).
std::string judge(const Turn& turn, const Json& expected) {
  std::string problems;
  if (!turn.completed) problems += " the turn did not complete;";
  if (expected.contains("calls")) {
    size_t at = 0;
    for (const auto& want : expected["calls"]) {
      while (at < turn.calls.size() && !call_matches(turn.calls[at], want)) ++at;
      if (at == turn.calls.size()) {
        problems += " missing call " + want.dump() + ";";
        break;
      }
      ++at;
    }
  }
  if (expected.contains("never"))
    for (const auto& tool : expected["never"])
      for (const auto& call : turn.calls)
        if (call.value("name", "") == tool.get<std::string>()) problems += " called " + call.dump() + ";";
  if (expected.value("no_calls", false) && !turn.calls.empty()) problems += " made tool calls;";
  if (expected.contains("approval")) {
    const auto want = expected["approval"].get<std::string>();
    const bool asked = std::any_of(turn.approvals.begin(), turn.approvals.end(), [&](const Json& approval) {
      return contains_nocase(approval.value("summary", ""), want);
    });
    if (!asked) problems += " no approval asked for \"" + want + "\";";
  }
  for (const auto& text : expected.value("answer_has", Json::array()))
    if (!contains_nocase(turn.answer, text.get<std::string>())) problems += " answer lacks \"" + text.get<std::string>() + "\";";
  for (const auto& text : expected.value("answer_lacks", Json::array()))
    if (contains_nocase(turn.answer, text.get<std::string>())) problems += " answer has \"" + text.get<std::string>() + "\";";
  return problems;
}

std::string describe(const Turn& turn) {
  std::string text = "calls:";
  for (const auto& call : turn.calls) text += " " + call.value("name", "") + call.value("args", Json::object()).dump();
  return text + "\nanswer: " + turn.answer;
}

class OfflineCorpusTest : public ::testing::Test {
protected:
  void SetUp() override {
    env.use_profile_backend();
    // The system the requests meet: htop installed because the user asked for a nicer top,
    // port 22 opened, a note about the user, and an earlier conversation about docker.
    auto change = [&](std::vector<std::string> args, const std::string& prompt) {
      args.insert(args.begin(), {"propose", "--json", "--prompt", prompt});
      const auto proposed = env.run(args);
      ASSERT_EQ(proposed.exit_code, 0) << proposed.err;
      ASSERT_EQ(env.run({"apply", proposed.json()["id"], "--yes"}).exit_code, 0);
    };
    change({"install", "htop"}, "I want a nicer top");
    change({"set", "networking.firewall.allowedTCPPorts", "[22]"}, "open port 22 for ssh");
    ASSERT_EQ(env.run({"memory", "add", "user", "--section", "Preferences", "--content", "I like vim keybindings"}).exit_code, 0);
    daemon.emplace(env);
    ASSERT_TRUE(daemon->wait_ready()) << daemon->output();
    SocketClient client(daemon->socket());
    client.send(Json{{"type", "init"}});
    client.expect("session_ready");
    say(client, "could you enable docker for my containers?");
  }

  AgntctlEnv env;
  std::optional<DaemonProcess> daemon;
};

TEST_F(OfflineCorpusTest, RealisticRequestsGetTheExpectedToolCallsAndAnswers) {
  const auto corpus = Json::parse(agntos::read_file(agntos::testing::source_dir() / "tests" / "integration" / "offline_corpus.json"));
  ASSERT_TRUE(corpus.is_array());
  std::map<std::string, std::pair<int, int>> by_category;  // passed, total
  int passed = 0;
  int total = 0;
  std::string failures;
  for (const auto& item : corpus) {
    SocketClient client(daemon->socket());
    client.send(Json{{"type", "init"}});
    client.expect("session_ready");
    std::vector<Json> turns{item};
    for (const auto& more : item.value("then", Json::array())) turns.push_back(more);
    for (const auto& expected : turns) {
      const auto words = expected.value("say", "");
      const auto turn = say(client, words);
      const auto problems = judge(turn, expected);
      auto& [ok, count] = by_category[item.value("category", "?")];
      ++count;
      ++total;
      if (problems.empty()) {
        ++ok;
        ++passed;
      } else {
        failures += "\n[" + item.value("category", "?") + "] \"" + words + "\":" + problems + "\n  " + describe(turn);
      }
    }
  }
  std::string report = "offline corpus: " + std::to_string(passed) + "/" + std::to_string(total) + " passed";
  for (const auto& [category, counts] : by_category)
    report += "\n  " + category + ": " + std::to_string(counts.first) + "/" + std::to_string(counts.second);
  std::printf("%s\n", report.c_str());
  EXPECT_GE(total, 150);
  EXPECT_EQ(passed, total) << report << failures;
  // Nothing was approved, so nothing changed: the tree holds only what SetUp applied.
  EXPECT_TRUE(fs::exists(env.config_dir() / "packages" / "htop.nix"));
  EXPECT_FALSE(fs::exists(env.config_dir() / "packages" / "ripgrep.nix"));
}

}  // namespace
}  // namespace agntd::testing
