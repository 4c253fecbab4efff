// SPDX-License-Identifier: MIT
// The daemon end to end: the real agntd and agntctl binaries, the offline provider (no
// models.toml), the profile backend with the demo package set, driven through the socket.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <thread>

#include "common/files.h"
#include "common/process.h"
#include "common/text.h"
#include "agntd/tools.h"
#include "integration/agntd_daemon.h"
#include "support/other_user.h"

namespace agntd::testing {
namespace {

namespace fs = std::filesystem;
using agntos::testing::AgntctlEnv;

std::string client_uid() { return "client:" + std::to_string(::getuid()); }

bool has_apply_entry(const AgntctlEnv& env) {
  for (const auto& entry : audit_entries(env))
    if (entry["action"]["type"] == "Apply") return true;
  return false;
}

class AgntdTest : public ::testing::Test {
protected:
  void SetUp() override { env.use_profile_backend(); }

  void start(const std::map<std::string, std::string>& extra = {}) {
    daemon.emplace(env, extra);
    ASSERT_TRUE(daemon->wait_ready()) << daemon->output();
  }
  SocketClient connect() { return SocketClient(daemon->socket()); }

  // init, then chat "install htop" up to the approval request; returns it.
  Json chat_until_approval(SocketClient& client, const std::string& prompt = "install htop",
                           std::vector<Json>* seen = nullptr) {
    client.send(Json{{"type", "init"}});
    const auto ready = client.expect("session_ready");
    session_id = ready.value("session_id", "");
    client.send(Json{{"type", "chat"}, {"prompt", prompt}});
    return client.expect("approval_request", seen);
  }

  AgntctlEnv env;
  std::optional<DaemonProcess> daemon;
  std::string session_id;
};

TEST_F(AgntdTest, InstallHtopGoesThroughProposeApprovalAndApply) {
  start();
  auto client = connect();
  std::vector<Json> before;
  const auto approval = chat_until_approval(client, "install htop", &before);
  ASSERT_EQ(types_of(before), (std::vector<std::string>{"tool_call", "tool_result", "tool_call"}));
  EXPECT_EQ(before[0]["name"], "propose");
  EXPECT_EQ(before[0]["args"]["intent"], "install htop");
  EXPECT_EQ(before[0]["status"], "running");
  EXPECT_EQ(before[1]["success"], true);
  EXPECT_EQ(before[2]["name"], "apply");
  EXPECT_EQ(approval["kind"], "apply");
  const std::string proposal = approval["proposal_id"];
  EXPECT_EQ(before[2]["args"]["id"], proposal);
  EXPECT_EQ(approval["summary"], "Install package: htop");
  EXPECT_NE(approval["diff"].get<std::string>().find("packages/htop.nix"), std::string::npos);
  EXPECT_FALSE(fs::exists(env.config_dir() / "packages" / "htop.nix"));

  client.send(Json{{"type", "approve"}, {"request_id", approval["request_id"]}});
  std::vector<Json> after;
  const auto done = client.expect("turn_complete", &after);
  ASSERT_FALSE(after.empty());
  EXPECT_EQ(after.front()["type"], "progress");
  Json apply_result;
  for (const auto& message : after)
    if (message["type"] == "tool_result") apply_result = message;
  ASSERT_TRUE(apply_result.is_object()) << Json(after).dump();
  EXPECT_EQ(apply_result["name"], "apply");
  EXPECT_EQ(apply_result["success"], true) << apply_result.dump();
  EXPECT_EQ(after.back()["type"], "token");
  EXPECT_EQ(done["end"], "answered");
  EXPECT_NE(done["content"].get<std::string>().find("Installed htop"), std::string::npos);

  EXPECT_TRUE(fs::exists(env.config_dir() / "packages" / "htop.nix"));
  EXPECT_FALSE(fs::exists(env.config_dir() / "proposals" / (proposal + ".json")));
  bool audited = false;
  for (const auto& entry : audit_entries(env)) {
    if (entry["action"]["type"] != "Apply") continue;
    audited = true;
    EXPECT_EQ(entry["approved_by"], client_uid());
    EXPECT_EQ(entry["prompt"], "install htop");
    EXPECT_EQ(entry["session_id"], session_id);
    EXPECT_EQ(entry["model"], "offline");
    EXPECT_EQ(entry["result"]["status"], "Success");
  }
  EXPECT_TRUE(audited);
}

TEST_F(AgntdTest, DenyAppliesNothingAndKeepsTheProposal) {
  start();
  auto client = connect();
  const auto approval = chat_until_approval(client);
  client.send(Json{{"type", "deny"}, {"request_id", approval["request_id"]}, {"reason", "not today"}});
  const auto result = client.expect("tool_result");
  EXPECT_EQ(result["success"], false);
  EXPECT_NE(result["output"].dump().find("not today"), std::string::npos);
  const auto done = client.expect("turn_complete");
  EXPECT_NE(done["content"].get<std::string>().find("Nothing was changed"), std::string::npos);
  EXPECT_FALSE(fs::exists(env.config_dir() / "packages" / "htop.nix"));
  EXPECT_FALSE(has_apply_entry(env));
  EXPECT_TRUE(fs::exists(env.config_dir() / "proposals" / (approval["proposal_id"].get<std::string>() + ".json")));
}

TEST_F(AgntdTest, AnUnansweredApprovalTimesOutAsADenial) {
  start({{"AGNTOS_APPROVAL_TIMEOUT", "1"}});
  auto client = connect();
  chat_until_approval(client);
  const auto result = client.expect("tool_result", nullptr, 30s);
  EXPECT_EQ(result["success"], false);
  EXPECT_NE(result["output"].dump().find("no answer within"), std::string::npos);
  client.expect("turn_complete");
  EXPECT_FALSE(fs::exists(env.config_dir() / "packages" / "htop.nix"));
  EXPECT_FALSE(has_apply_entry(env));
}

TEST_F(AgntdTest, AClientThatDisconnectsBeforeApprovingAppliesNothing) {
  start();
  {
    auto client = connect();
    chat_until_approval(client);
  }  // the only client of the session goes away
  // The turn ends with the denial, which the session's history records.
  auto observer = connect();
  bool ended = false;
  for (int i = 0; i < 300 && !ended; ++i) {
    observer.send(Json{{"type", "history"}, {"session_id", session_id}});
    const auto history = observer.expect("history_response");
    for (const auto& message : history["messages"])
      if (message["role"] == "tool" && message["content"].get<std::string>().find("every client of the session disconnected") !=
                                           std::string::npos)
        ended = true;
    if (!ended) std::this_thread::sleep_for(100ms);
  }
  EXPECT_TRUE(ended);
  EXPECT_FALSE(fs::exists(env.config_dir() / "packages" / "htop.nix"));
  EXPECT_FALSE(has_apply_entry(env));
}

TEST_F(AgntdTest, CancelWhileWaitingForApprovalDeniesAndEndsTheTurn) {
  start();
  auto client = connect();
  chat_until_approval(client);
  client.send(Json{{"type", "cancel"}});
  const auto result = client.expect("tool_result");
  EXPECT_EQ(result["success"], false);
  const auto done = client.expect("turn_complete");
  EXPECT_EQ(done["end"], "cancelled");
  EXPECT_FALSE(fs::exists(env.config_dir() / "packages" / "htop.nix"));
  // The session is still usable.
  client.send(Json{{"type", "chat"}, {"prompt", "hello"}});
  EXPECT_EQ(client.expect("turn_complete")["end"], "answered");
}

TEST_F(AgntdTest, LegacyOneShotPromptCanNeverApply) {
  start();
  auto client = connect();
  client.send(Json{{"prompt", "install htop"}});
  const auto answer = client.next(120s);
  ASSERT_TRUE(answer.has_value());
  ASSERT_TRUE(answer->contains("response")) << answer->dump();
  EXPECT_EQ(answer->size(), 1u);
  EXPECT_NE((*answer)["response"].get<std::string>().find("no client is attached"), std::string::npos) << answer->dump();
  EXPECT_FALSE(client.next(5s).has_value());
  EXPECT_TRUE(client.eof());
  EXPECT_FALSE(fs::exists(env.config_dir() / "packages" / "htop.nix"));
  EXPECT_FALSE(has_apply_entry(env));
  // The one-shot conversation is stored like any other.
  auto other = connect();
  other.send(Json{{"type", "history"}, {"query", "install htop"}});
  EXPECT_FALSE(other.expect("history_response")["results"].empty());
}

TEST_F(AgntdTest, MalformedLinesGetAnErrorAndTheConnectionStaysUsable) {
  start();
  auto client = connect();
  for (const char* line : {"this is not json", "[1,2,3]", "{\"type\":\"fly\"}", "{\"type\":\"chat\"}",
                           "{\"type\":\"chat\",\"prompt\":7}", "{\"type\":\"approve\",\"request_id\":\"r-1\"}",
                           "{\"type\":\"cancel\"}", "{\"type\":\"init\",\"session_id\":\"s-0\"}", "{\"no\":\"type\"}"}) {
    client.send_raw(std::string(line) + "\n");
    const auto reply = client.next(30s);
    ASSERT_TRUE(reply.has_value()) << line;
    EXPECT_EQ((*reply)["type"], "error") << line;
    EXPECT_FALSE((*reply)["message"].get<std::string>().empty());
  }
  client.send_raw(std::string(2 << 20, 'x') + "\n");
  EXPECT_EQ(client.expect("error")["code"], "too_large");
  client.send(Json{{"type", "sessions"}});
  EXPECT_TRUE(client.expect("sessions_response")["sessions"].is_array());
  client.send(Json{{"type", "chat"}, {"prompt", "hello"}});
  EXPECT_EQ(client.expect("turn_complete")["end"], "answered");
}

TEST_F(AgntdTest, SeveralClientsAtOnceEachInTheirSessionAndOneWatchingAnother) {
  start();
  auto first = connect();
  auto second = connect();
  first.send(Json{{"type", "init"}});
  const std::string first_session = first.expect("session_ready")["session_id"];
  second.send(Json{{"type", "init"}});
  const std::string second_session = second.expect("session_ready")["session_id"];
  EXPECT_NE(first_session, second_session);
  auto watcher = connect();
  watcher.send(Json{{"type", "init"}, {"session_id", first_session}});
  EXPECT_EQ(watcher.expect("session_ready")["session_id"], first_session);

  first.send(Json{{"type", "chat"}, {"prompt", "show cpu"}});
  second.send(Json{{"type", "chat"}, {"prompt", "what changed recently"}});
  const auto first_done = first.expect("turn_complete");
  const auto second_done = second.expect("turn_complete");
  EXPECT_NE(first_done["content"].get<std::string>().find("CPU: "), std::string::npos);
  EXPECT_NE(second_done["content"].get<std::string>().find("audit log is empty"), std::string::npos);
  std::vector<Json> watched;
  EXPECT_EQ(watcher.expect("turn_complete", &watched)["content"], first_done["content"]);
  EXPECT_EQ(types_of(watched).front(), "tool_call");

  // A second chat while a turn runs in the same session is refused; the first one goes on.
  first.send(Json{{"type", "chat"}, {"prompt", "install htop"}});
  first.expect("approval_request");
  watcher.send(Json{{"type", "chat"}, {"prompt", "hello"}});
  EXPECT_EQ(watcher.expect("error")["code"], "conflict");
}

TEST_F(AgntdTest, AnotherClientOfTheSessionCanApprove) {
  start();
  auto first = connect();
  const auto approval = chat_until_approval(first);
  auto second = connect();
  // Not attached: refused.
  second.send(Json{{"type", "approve"}, {"request_id", approval["request_id"]}});
  EXPECT_EQ(second.expect("error")["code"], "refused");
  second.send(Json{{"type", "init"}, {"session_id", session_id}});
  second.expect("session_ready");
  EXPECT_EQ(second.expect("approval_request")["request_id"], approval["request_id"]);  // replayed
  second.send(Json{{"type", "approve"}, {"request_id", approval["request_id"]}});
  EXPECT_EQ(first.expect("turn_complete")["end"], "answered");
  EXPECT_TRUE(fs::exists(env.config_dir() / "packages" / "htop.nix"));
}

TEST_F(AgntdTest, ASessionResumesWithItsHistory) {
  start();
  std::string proposal;
  {
    auto client = connect();
    const auto approval = chat_until_approval(client);
    proposal = approval["proposal_id"];
    client.send(Json{{"type", "deny"}, {"request_id", approval["request_id"]}});
    client.expect("turn_complete");
  }
  auto client = connect();
  client.send(Json{{"type", "init"}, {"session_id", session_id}});
  const auto ready = client.expect("session_ready");
  EXPECT_EQ(ready["session_id"], session_id);
  EXPECT_EQ(ready["resumed"], true);
  EXPECT_GE(ready["message_count"].get<int>(), 6);
  ASSERT_EQ(ready["pending_proposals"].size(), 1u);
  EXPECT_EQ(ready["pending_proposals"][0]["id"], proposal);
  // The earlier turn is part of the conversation: "yes apply it" finds its proposal.
  client.send(Json{{"type", "chat"}, {"prompt", "yes apply it"}});
  const auto approval = client.expect("approval_request");
  EXPECT_EQ(approval["proposal_id"], proposal);
  client.send(Json{{"type", "approve"}, {"request_id", approval["request_id"]}});
  EXPECT_EQ(client.expect("turn_complete")["end"], "answered");
  EXPECT_TRUE(fs::exists(env.config_dir() / "packages" / "htop.nix"));
}

TEST_F(AgntdTest, ResumingAnUnknownSessionIsAnError) {
  start();
  auto client = connect();
  client.send(Json{{"type", "init"}, {"session_id", "s-123abc"}});
  const auto error = client.expect("error");
  EXPECT_EQ(error["code"], "not_found");
  EXPECT_NE(error["message"].get<std::string>().find("s-123abc"), std::string::npos);
}

TEST_F(AgntdTest, SessionsHistoryStatusAndAuditRequests) {
  start();
  auto client = connect();
  client.send(Json{{"type", "chat"}, {"prompt", "remember that I prefer vim"}});
  const std::string session = client.expect("session_ready")["session_id"];
  client.expect("turn_complete");

  client.send(Json{{"type", "sessions"}});
  const auto sessions = client.expect("sessions_response")["sessions"];
  ASSERT_FALSE(sessions.empty());
  EXPECT_EQ(sessions[0]["id"], session);
  EXPECT_EQ(sessions[0]["title"], "remember that I prefer vim");

  client.send(Json{{"type", "history"}, {"query", "vim"}});
  const auto history = client.expect("history_response");
  EXPECT_EQ(history["query"], "vim");
  ASSERT_FALSE(history["results"].empty());
  EXPECT_EQ(history["results"][0]["session_id"], session);

  client.send(Json{{"type", "history"}, {"session_id", session}});
  const auto messages = client.expect("history_response")["messages"];
  ASSERT_GE(messages.size(), 4u);
  EXPECT_EQ(messages[0]["role"], "user");
  EXPECT_EQ(messages[0]["content"], "remember that I prefer vim");

  client.send(Json{{"type", "status"}, {"target", "memory"}});
  const auto status = client.expect("status_response");
  EXPECT_EQ(status["target"], "memory");
  EXPECT_TRUE(status["status"].is_object());

  client.send(Json{{"type", "audit"}, {"action", "list"}});
  const auto audit = client.expect("audit_response");
  EXPECT_EQ(audit["action"], "list");
  EXPECT_TRUE(audit["entries"].is_array());

  client.send(Json{{"type", "status"}, {"target", "nonsense"}});
  EXPECT_EQ(client.expect("error")["type"], "error");
}

TEST_F(AgntdTest, WhyAndUndoAfterAnApply) {
  start();
  auto client = connect();
  const auto approval = chat_until_approval(client, "please install btop, I want a nicer top");
  client.send(Json{{"type", "approve"}, {"request_id", approval["request_id"]}});
  client.expect("turn_complete");

  // The same answer as a request, with no model in between.
  client.send(Json{{"type", "audit"}, {"action", "why"}, {"query", "btop"}});
  const auto answer = client.expect("audit_response");
  EXPECT_EQ(answer["action"], "why");
  EXPECT_EQ(answer["why"]["present"], true) << answer.dump();
  ASSERT_EQ(answer["entries"].size(), 1u) << answer.dump();
  EXPECT_EQ(answer["entries"][0]["prompt"], "please install btop, I want a nicer top");
  client.send(Json{{"type", "audit"}, {"action", "why"}});
  EXPECT_NE(client.expect("error")["message"].get<std::string>().find("needs a query"), std::string::npos);

  client.send(Json{{"type", "chat"}, {"prompt", "why is btop installed?"}});
  const auto why = client.expect("turn_complete");
  EXPECT_NE(why["content"].get<std::string>().find("because you asked: \"please install btop, I want a nicer top\""),
            std::string::npos)
      << why.dump();

  client.send(Json{{"type", "chat"}, {"prompt", "undo the last change"}});
  const auto undo = client.expect("approval_request");
  EXPECT_EQ(undo["kind"], "rollback");
  EXPECT_TRUE(undo["proposal_id"].is_null());
  EXPECT_NE(undo["summary"].get<std::string>().find("Install package: btop"), std::string::npos);
  EXPECT_NE(undo["diff"].get<std::string>().find("packages/btop.nix"), std::string::npos);
  client.send(Json{{"type", "approve"}, {"request_id", undo["request_id"]}});
  EXPECT_EQ(client.expect("turn_complete")["end"], "answered");
  EXPECT_FALSE(fs::exists(env.config_dir() / "packages" / "btop.nix"));
  const auto entries = audit_entries(env);
  ASSERT_FALSE(entries.empty());
  EXPECT_EQ(entries.back()["action"]["type"], "Undo");
  EXPECT_EQ(entries.back()["approved_by"], client_uid());
}

// The daemon asks only for what agntctl would do (issue 8): a stale proposal, a change no
// longer in effect and an empty history are refused before the user is asked anything.
TEST_F(AgntdTest, NoApprovalIsRequestedForWhatAgntctlWouldRefuse) {
  const auto stale = env.run({"propose", "install", "htop", "--json"}).json()["id"].get<std::string>();
  fs::create_directories(env.config_dir() / "packages");
  agntos::write_file_atomic(env.config_dir() / "packages" / "htop.nix", "{ ... }: { }\n");  // by hand
  start();
  auto client = connect();
  client.send(Json{{"type", "init"}});
  client.expect("session_ready");
  for (const std::string& prompt : {"apply " + stale, std::string("undo the last change")}) {
    client.send(Json{{"type", "chat"}, {"prompt", prompt}});
    std::vector<Json> seen;
    client.expect("turn_complete", &seen);
    for (const auto& message : seen) EXPECT_NE(message["type"], "approval_request") << prompt << ": " << message.dump();
    bool refused = false;
    for (const auto& message : seen)
      if (message["type"] == "tool_result" && message["success"] == false) refused = true;
    EXPECT_TRUE(refused) << prompt;
  }
  EXPECT_TRUE(fs::exists(env.config_dir() / "proposals" / (stale + ".json")));
}

// The approval carries agntctl's plan; a proposal changed after the request is not applied.
TEST_F(AgntdTest, ApprovalIsBoundToThePlanDigest) {
  start();
  auto client = connect();
  const auto approval = chat_until_approval(client);
  EXPECT_EQ(approval["digest"].get<std::string>().size(), 64u) << approval.dump();
  EXPECT_FALSE(approval["effect"].get<std::string>().empty()) << approval.dump();
  // Swap the proposal's content between the request and the yes.
  const auto file = env.config_dir() / "proposals" / (approval["proposal_id"].get<std::string>() + ".json");
  auto proposal = Json::parse(agntos::read_file(file));
  proposal["changes"][0]["content"] = "{ ... }: { users.users.mallory.extraGroups = [ \"wheel\" ]; }\n";
  agntos::write_file_atomic(file, proposal.dump());
  client.send(Json{{"type", "approve"}, {"request_id", approval["request_id"]}});
  std::vector<Json> seen;
  client.expect("turn_complete", &seen);
  EXPECT_FALSE(fs::exists(env.config_dir() / "packages" / "htop.nix"));
  EXPECT_FALSE(has_apply_entry(env));
  bool stale = false;
  for (const auto& message : seen)
    if (message["type"] == "tool_result" && message["output"].dump().find("stale") != std::string::npos)
      stale = true;
  EXPECT_TRUE(stale);
}

TEST_F(AgntdTest, SocketIsPrivateAndRemovedOnSigterm) {
  start();
  struct stat info {};
  ASSERT_EQ(::stat(daemon->socket().c_str(), &info), 0);
  EXPECT_TRUE(S_ISSOCK(info.st_mode));
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(daemon->socket().parent_path().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700u);
  EXPECT_EQ(daemon->stop(SIGTERM), 0);
  EXPECT_FALSE(fs::exists(daemon->socket()));
  const auto log = agntos::read_file(env.state_dir() / "agntd.log");
  EXPECT_NE(log.find("\"event\":\"stopped\""), std::string::npos);
  for (const auto& line : agntos::split_lines(log))
    if (!line.empty()) {
      Json parsed;
      EXPECT_NO_THROW(parsed = Json::parse(line)) << line;
    }
}

TEST_F(AgntdTest, SigintDuringATurnStopsCleanly) {
  start();
  auto client = connect();
  chat_until_approval(client);
  EXPECT_EQ(daemon->stop(SIGINT), 0);
  EXPECT_FALSE(fs::exists(daemon->socket()));
  EXPECT_FALSE(fs::exists(env.config_dir() / "packages" / "htop.nix"));
}

TEST_F(AgntdTest, AGroupOrWorldWritableSocketDirIsRefused) {
  const auto dir = env.root() / "shared";
  fs::create_directories(dir);
  for (mode_t mode : {0777, 0770, 01777}) {
    ASSERT_EQ(::chmod(dir.c_str(), mode), 0);
    DaemonProcess refused(env, {{"AGNTOS_SOCKET", (dir / "agntd.sock").string()}});
    const auto status = refused.wait_exit(30s);
    ASSERT_TRUE(status.has_value());
    EXPECT_EQ(*status, 3);
    EXPECT_NE(refused.output().find("writable"), std::string::npos) << refused.output();
    EXPECT_FALSE(fs::exists(dir / "agntd.sock"));
  }
}

TEST_F(AgntdTest, ASecondDaemonOnTheSameSocketIsRefused) {
  start();
  DaemonProcess second(env);
  const auto status = second.wait_exit(30s);
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(*status, 4);
  EXPECT_NE(second.output().find("already serving"), std::string::npos);
  EXPECT_TRUE(daemon->running());
  auto client = connect();
  client.send(Json{{"type", "sessions"}});
  client.expect("sessions_response");
}

// Root connects to a daemon of another user: SO_PEERCRED refuses it. (As non-root, no one
// else can even reach the socket: it is 0600 in a 0700 dir.) The daemon runs from nobody's own
// copy of the binaries and data, in dirs nobody owns, so the test works wherever the checkout
// is (a clone in /root is out of nobody's reach).
TEST_F(AgntdTest, APeerOfAnotherUidIsRefused) {
  if (auto why = agntos::testing::OtherUser::unavailable_reason()) GTEST_SKIP() << *why;
  agntos::testing::OtherUser nobody;
  auto vars = daemon_environment(env);
  for (const char* dir : {"config", "state"}) {
    agntos::make_directories(nobody.home() / dir, 0700);
    nobody.give(nobody.home() / dir);
  }
  vars["AGNTOS_CONFIG_DIR"] = (nobody.home() / "config").string();
  vars["AGNTOS_STATE_DIR"] = (nobody.home() / "state").string();
  vars["AGNTOS_SOCKET"] = (nobody.home() / "run" / "agntd.sock").string();
  vars["XDG_CONFIG_HOME"] = (nobody.home() / "xdg-config").string();
  vars["AGNTOS_DATA_DIR"] = nobody.copy_data_dir().string();
  vars["AGNTOS_AGNTCTL"] = nobody.copy_for_user(agntos::testing::agntctl_binary()).string();
  const auto output = env.root() / "nobody-agntd.out";
  const pid_t pid = nobody.spawn({nobody.copy_for_user(agntd_binary()).string()}, vars, output);
  const fs::path socket = vars.at("AGNTOS_SOCKET");
  std::optional<SocketClient> client;
  for (int i = 0; i < 300 && !client; ++i) {
    try {
      client.emplace(socket);
    } catch (const std::exception&) {
      std::this_thread::sleep_for(20ms);
    }
  }
  ASSERT_TRUE(client.has_value()) << agntos::read_file_if_exists(output).value_or("");
  const auto reply = client->next(10s);
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ((*reply)["type"], "error");
  EXPECT_EQ((*reply)["code"], "permission");
  EXPECT_FALSE(client->next(5s).has_value());
  EXPECT_TRUE(client->eof());
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status));
}

// Every argv the tool table builds is one the real agntctl accepts (never a usage error), so
// the table cannot drift from the command line it drives.
TEST(AgntdTools, EveryToolInvocationIsAcceptedByAgntctl) {
  AgntctlEnv env;
  env.use_profile_backend();
  agntos::write_file_atomic(env.root() / "notes.txt", "alpha beta\n");
  const auto file = (env.root() / "notes.txt").string();
  const std::vector<std::pair<std::string, Json>> calls{
      {"inspect", Json::object()},
      {"inspect", {{"target", "cpu"}}},
      {"propose", {{"intent", "install htop"}, {"rationale", "the user asked"}}},
      {"propose", {{"module", "modules/motd.nix"}, {"nix", "{ ... }: { }"}}},
      {"apply", {{"id", "p-123"}}},
      {"rollback", {{"action", "list"}}},
      {"rollback", {{"action", "undo"}}},
      {"rollback", {{"action", "generation"}, {"target", "1"}}},
      {"audit", {{"action", "list"}, {"limit", 3}}},
      {"audit", {{"action", "search"}, {"query", "htop"}}},
      {"audit", {{"action", "show"}, {"id", "a-1"}}},
      {"memory", {{"action", "show"}}},
      {"memory", {{"action", "add"}, {"file", "user"}, {"section", "Preferences"}, {"content", "likes vim"}}},
      {"memory", {{"action", "replace"}, {"file", "user"}, {"target", "vim"}, {"replacement", "likes helix"}}},
      {"memory", {{"action", "remove"}, {"file", "user"}, {"target", "helix"}}},
      {"memory", {{"action", "search"}, {"query", "htop"}}},
      {"read_file", {{"path", file}, {"offset", 1}, {"limit", 5}}},
      {"write_file", {{"path", (env.root() / "new.txt").string()}, {"content", "hello"}}},
      {"edit_file", {{"path", file}, {"old", "alpha"}, {"new", "gamma"}, {"all", true}}},
      {"run_bash", {{"command", "echo hi"}, {"timeout", 5}}},
  };
  ToolContext context;
  context.user_prompt = "install htop";
  context.session_id = "s-1";
  context.model = "offline";
  for (const auto& [name, args] : calls) {
    const auto invocation = find_tool(name)->build(args, context);
    const auto result = env.run(invocation.args, invocation.stdin_text);
    EXPECT_NE(result.exit_code, 2) << name << " " << args.dump() << ": " << result.err;
    EXPECT_TRUE(result.json().is_object()) << name << " " << args.dump() << ": " << result.out;
  }
}

}  // namespace
}  // namespace agntd::testing
