// SPDX-License-Identifier: MIT
#include "agntd/server.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>

#include "agntd/approval_gate.h"
#include "agntd/client_connection.h"
#include "agntd/peer_check.h"
#include "agntd/unix_socket.h"
#include "common/error.h"
#include "common/text.h"

namespace agntd {
namespace {

using agntos::Errc;
using agntos::Error;

constexpr size_t kMaxWorkers = 64;  // turns and agntctl requests running at once
constexpr const char* kEveryClientGone = "every client of the session disconnected";
constexpr size_t kMaxAnnouncedConfirms = 256;

}  // namespace

struct Server::Client {
  Client(uint64_t client_id, agntos::Fd fd, uid_t peer_uid) : id(client_id), connection(std::move(fd)), uid(peer_uid) {}
  uint64_t id;
  ClientConnection connection;  // reading: poll thread only; writing: under m_mutex
  uid_t uid;
  // Guarded by m_mutex.
  std::string session_id;
  bool read_closed = false;
  bool legacy_pending = false;
  bool close_after_flush = false;
};

struct Server::LiveSession {
  explicit LiveSession(std::chrono::milliseconds approval_timeout) : gate(approval_timeout) {}
  std::string id;
  std::string profile;
  std::string model;
  std::unique_ptr<Session> session;  // used by the turn worker while turn_running
  ApprovalGate gate;
  // Guarded by m_mutex.
  std::set<uint64_t> clients;
  bool turn_running = false;
  uid_t turn_uid = 0;
  size_t message_count = 0;
  std::optional<Json> approval_message;  // resent to clients that attach while it waits
  // Set by cancel and shutdown, read by the turn.
  std::atomic<bool> cancel{false};
};

// Sends a turn's events to the clients of its session and runs the approval gate.
class Server::Observer : public TurnObserver {
public:
  Observer(Server& server, std::shared_ptr<LiveSession> live, bool legacy)
      : m_server(server), m_live(std::move(live)), m_legacy(legacy) {}

  void on_token(std::string_view text, llm::Channel channel) override { broadcast(token_message(text, channel)); }
  void on_tool_call(const llm::ToolCall& call, const Json& args) override {
    m_server.m_agent.log().info("tool_call", Json{{"session_id", m_live->id}, {"tool", call.name}});
    broadcast(tool_call_message(call, args));
  }
  void on_tool_result(const llm::ToolCall& call, const ToolOutcome& outcome) override {
    broadcast(tool_result_message(call, outcome));
  }
  void on_progress(std::string_view text) override { broadcast(progress_message(text)); }
  void on_usage(const llm::Usage& usage) override { broadcast(usage_message(usage)); }
  void on_confirm_needed(const ConfirmNeeded& needed) override {
    std::lock_guard lock(m_server.m_mutex);
    // Bounded: an entry goes when its change is confirmed; the oldest go first otherwise.
    if (m_server.m_confirm_fresh_from.size() >= kMaxAnnouncedConfirms)
      m_server.m_confirm_fresh_from.erase(m_server.m_confirm_fresh_from.begin());
    m_server.m_confirm_fresh_from[needed.audit_id] = m_server.m_next_client;
    m_server.m_agent.log().info("confirm_needed", Json{{"session_id", m_live->id}, {"audit_id", needed.audit_id},
                                                       {"deadline", needed.deadline}, {"clients", m_live->clients.size()}});
    m_server.broadcast_locked(*m_live, confirm_needed_message(needed));
  }

  ApprovalDecision request_approval(const ApprovalRequest& request, const std::atomic<bool>& cancel) override {
    auto& log = m_server.m_agent.log();
    uid_t owner = 0;
    {
      std::lock_guard lock(m_server.m_mutex);
      if (m_legacy || m_live->clients.empty()) {
        const std::string reason =
            "no client is attached to this session to approve it (one-shot requests never change the system)";
        log.info("approval_denied", Json{{"session_id", m_live->id}, {"request_id", request.request_id}, {"reason", reason}});
        return ApprovalDecision{false, "", reason};
      }
      owner = m_live->turn_uid;
    }
    const auto decision = m_live->gate.ask(request.request_id, owner, cancel, [&] {
      std::lock_guard lock(m_server.m_mutex);
      m_live->approval_message = approval_request_message(request);
      m_server.broadcast_locked(*m_live, *m_live->approval_message);
      log.info("approval_requested", Json{{"session_id", m_live->id}, {"request_id", request.request_id},
                                          {"kind", request.kind}, {"proposal_id", agntos::json_or_null(request.proposal_id)}});
      // Every client may have gone between the check above and now.
      if (m_live->clients.empty()) m_live->gate.deny_pending(kEveryClientGone);
    });
    {
      std::lock_guard lock(m_server.m_mutex);
      m_live->approval_message.reset();
    }
    log.info(decision.approved ? "approval_granted" : "approval_denied",
             Json{{"session_id", m_live->id}, {"request_id", request.request_id},
                  {"approved_by", decision.approved ? Json(decision.approved_by) : Json()},
                  {"reason", decision.approved ? Json() : Json(decision.reason)}});
    return decision;
  }

private:
  void broadcast(const Json& message) {
    std::lock_guard lock(m_server.m_mutex);
    m_server.broadcast_locked(*m_live, message);
  }

  Server& m_server;
  std::shared_ptr<LiveSession> m_live;
  bool m_legacy;
};

Server::Server(Agent& agent, std::filesystem::path socket_path)
    : m_agent(agent), m_socket_path(std::move(socket_path)), m_approval_timeout(approval_timeout_from_environment()),
      m_workers(std::make_unique<Workers>(kMaxWorkers)) {
  prepare_socket_dir(m_socket_path.parent_path().empty() ? std::filesystem::path(".") : m_socket_path.parent_path());
  m_listen = listen_unix(m_socket_path);
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) agntos::throw_errno("cannot create wake pipe");
  m_wake_read.reset(fds[0]);
  m_wake_write.reset(fds[1]);
}

Server::~Server() {
  shutdown();
  if (m_listen) ::unlink(m_socket_path.c_str());
}

void Server::wake() {
  const char byte = 1;
  [[maybe_unused]] const auto written = ::write(m_wake_write.get(), &byte, 1);
}

void Server::run(int stop_fd) {
  m_agent.log().info("listening", Json{{"socket", m_socket_path.string()}, {"pid", ::getpid()}});
  std::vector<pollfd> fds;
  std::vector<uint64_t> ids;
  bool busy_since_trim = false;
  for (;;) {
    fds.clear();
    ids.clear();
    fds.push_back(pollfd{stop_fd, POLLIN, 0});
    fds.push_back(pollfd{m_wake_read.get(), POLLIN, 0});
    // Out of descriptors, accept fails at once while the connection stays queued: leave the
    // socket out of the poll set for a while instead of spinning on it.
    const auto now = std::chrono::steady_clock::now();
    const bool accepting = now >= m_accept_paused_until;
    fds.push_back(pollfd{m_listen.get(), static_cast<short>(accepting ? POLLIN : 0), 0});
    std::vector<uint64_t> finished;
    {
      std::lock_guard lock(m_mutex);
      for (auto& [id, client] : m_clients) {
        if (client->connection.broken() || (client->close_after_flush && !client->connection.wants_write())) {
          finished.push_back(id);
          continue;
        }
        short events = client->read_closed ? 0 : POLLIN;
        if (client->connection.wants_write()) events |= POLLOUT;
        fds.push_back(pollfd{client->connection.fd(), events, 0});
        ids.push_back(id);
      }
    }
    if (!finished.empty()) {
      for (const auto id : finished) disconnect(id);
      continue;
    }
    int timeout_ms = 1000;
    if (!accepting)
      timeout_ms = static_cast<int>(std::clamp<long long>(
          std::chrono::duration_cast<std::chrono::milliseconds>(m_accept_paused_until - now).count() + 1, 1, 1000));
    const int ready = ::poll(fds.data(), fds.size(), timeout_ms);
    if (ready < 0) {
      if (errno == EINTR) continue;
      agntos::throw_errno("poll failed");
    }
    if (ready == 0 && busy_since_trim) {
      // A second with nothing to do: give the memory of finished turns back to the system.
      m_agent.release_memory();
      busy_since_trim = false;
    }
    busy_since_trim = busy_since_trim || ready > 0;
    m_workers->reap();
    if (fds[0].revents) break;
    if (fds[1].revents) {
      char buffer[256];
      while (::read(m_wake_read.get(), buffer, sizeof buffer) > 0) {
      }
    }
    if (fds[2].revents & POLLIN) accept_clients();
    for (size_t i = 3; i < fds.size(); ++i) {
      if (!fds[i].revents) continue;
      const auto it = m_clients.find(ids[i - 3]);  // only this thread adds or removes clients
      if (it == m_clients.end()) continue;
      Client& client = *it->second;
      if (fds[i].revents & POLLOUT) {
        std::lock_guard lock(m_mutex);
        client.connection.queue("");
      }
      if (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) read_client(client);
    }
  }
  m_agent.log().info("stopping", Json{{"socket", m_socket_path.string()}});
  shutdown();
}

void Server::shutdown() {
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
    for (auto& [id, live] : m_sessions) {
      live->cancel = true;
      live->gate.close("the daemon is shutting down");
    }
  }
  m_workers->join_all();
  std::lock_guard lock(m_mutex);
  m_clients.clear();
  m_sessions.clear();
}

void Server::accept_clients() {
  for (;;) {
    const int fd = ::accept4(m_listen.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) {
      if (errno == EINTR) continue;
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        // Back off, doubling up to a second, until an accept succeeds again.
        m_accept_backoff = std::clamp(m_accept_backoff * 2, std::chrono::milliseconds(50), std::chrono::milliseconds(1000));
        m_accept_paused_until = std::chrono::steady_clock::now() + m_accept_backoff;
        m_agent.log().warning("accept_failed", Json{{"errno", errno}, {"message", std::strerror(errno)},
                                                    {"retry_ms", m_accept_backoff.count()}});
      } else if (errno != EAGAIN && errno != EWOULDBLOCK) {
        m_agent.log().warning("accept_failed", Json{{"errno", errno}, {"message", std::strerror(errno)}});
      }
      return;
    }
    agntos::Fd connection(fd);
    m_accept_backoff = std::chrono::milliseconds(0);
    PeerCredentials peer;
    try {
      peer = peer_credentials(connection.get());
    } catch (const Error& e) {
      m_agent.log().warning("client_rejected", Json{{"reason", e.what()}});
      continue;
    }
    if (peer.uid != ::geteuid()) {
      const auto line = to_line(error_message("permission denied: this agntd serves uid " + std::to_string(::geteuid()) +
                                                  " only", "permission"));
      [[maybe_unused]] const auto sent = ::send(connection.get(), line.data(), line.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      m_agent.log().warning("client_rejected", Json{{"uid", peer.uid}, {"pid", peer.pid}, {"reason", "other uid"}});
      continue;
    }
    if (const auto refusal = peer_refusal(peer.pid, ::getpid())) {
      const auto line = to_line(error_message("permission denied: " + *refusal, "permission"));
      [[maybe_unused]] const auto sent = ::send(connection.get(), line.data(), line.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      m_agent.log().warning("client_rejected", Json{{"uid", peer.uid}, {"pid", peer.pid}, {"reason", *refusal}});
      continue;
    }
    std::lock_guard lock(m_mutex);
    auto client = std::make_unique<Client>(m_next_client++, std::move(connection), peer.uid);
    m_agent.log().info("client_connected", Json{{"client", client->id}, {"pid", peer.pid}, {"uid", peer.uid}});
    m_clients.emplace(client->id, std::move(client));
  }
}

void Server::read_client(Client& client) {
  const auto result = client.connection.read(
      [&](std::string_view line) { handle_line(client, line); },
      [&] {
        send(client.id, error_message("request line longer than " + std::to_string(ClientConnection::kMaxLine) +
                                          " bytes: discarded", "too_large"));
      });
  if (result == ClientConnection::Read::open) return;
  // End of input: a one-shot client that closed its writing side still gets its answer.
  {
    std::lock_guard lock(m_mutex);
    if (result == ClientConnection::Read::end_of_input && client.legacy_pending) {
      client.read_closed = true;
      return;
    }
  }
  disconnect(client.id);
}

void Server::handle_line(Client& client, std::string_view line) {
  if (agntos::trim(line).empty()) return;
  try {
    dispatch(client, parse_request(line));
  } catch (const Error& e) {
    m_agent.log().info("request_refused", Json{{"client", client.id}, {"code", e.code_name()}, {"message", e.what()}});
    send(client.id, error_message(e.what(), e.code_name()));
  } catch (const std::exception& e) {
    m_agent.log().error("request_failed", Json{{"client", client.id}, {"message", e.what()}});
    send(client.id, error_message(e.what()));
  }
}

void Server::dispatch(Client& client, const Request& request) {
  const uint64_t client_id = client.id;
  switch (request.type) {
    case RequestType::init:
      return handle_init(client, request.session_id);
    case RequestType::chat:
      return handle_chat(client, *request.prompt);
    case RequestType::approve:
      return handle_decision(client, request, true);
    case RequestType::deny:
      return handle_decision(client, request, false);
    case RequestType::cancel:
      return handle_cancel(client);
    case RequestType::legacy_prompt:
      return handle_legacy(client, *request.prompt);
    case RequestType::confirm:
      return handle_confirm(client, *request.audit_id);
    case RequestType::sessions: {
      Json sessions = Json::array();
      for (const auto& info : m_agent.list_sessions(static_cast<size_t>(request.limit.value_or(50))))
        sessions.push_back(info.to_json());
      return send(client_id, sessions_response_message(sessions));
    }
    case RequestType::history: {
      Json results = Json::array();
      Json messages = Json::array();
      if (request.query && !agntos::trim(*request.query).empty())
        for (const auto& hit : m_agent.search_history(*request.query, static_cast<size_t>(request.limit.value_or(20))))
          results.push_back(hit.to_json());
      if (request.session_id)
        for (const auto& message : m_agent.stored_messages(*request.session_id)) messages.push_back(message.to_json());
      return send(client_id, history_response_message(request.query, request.session_id, results, messages));
    }
    case RequestType::status:
    case RequestType::audit:
      break;
  }
  // status and audit run agntctl: on a worker, so the poll loop keeps serving.
  m_workers->spawn([this, client_id, request] {
    try {
      if (request.type == RequestType::status) {
        const auto target = request.target.value_or("system");
        send(client_id, status_response_message(target, m_agent.run_agntctl({"inspect", "--", target})));
        return;
      }
      const auto& action = *request.action;
      std::vector<std::string> args{"audit"};
      if (request.limit) args.push_back("--limit=" + std::to_string(*request.limit));
      if (action == "search") args.push_back("--query=" + *request.query);
      args.push_back("--");
      args.push_back(action);
      if (action == "show") args.push_back(*request.id);
      if (action == "why") args.push_back(*request.query);
      const auto result = m_agent.run_agntctl(args);
      if (action == "why") {
        const Json entry = result.value("entry", Json());
        send(client_id, audit_response_message(action, entry.is_object() ? Json::array({entry}) : Json::array(), result));
        return;
      }
      send(client_id, audit_response_message(action, action == "show" ? Json::array({result})
                                                                      : result.value("entries", Json::array())));
    } catch (const Error& e) {
      send(client_id, error_message(e.what(), e.code_name()));
    } catch (const std::exception& e) {
      send(client_id, error_message(e.what()));
    }
  });
}

void Server::handle_init(Client& client, const std::optional<std::string>& session_id) {
  std::shared_ptr<LiveSession> live;
  if (session_id) {
    std::lock_guard lock(m_mutex);
    if (auto it = m_sessions.find(*session_id); it != m_sessions.end()) live = it->second;
  }
  if (!live) {
    auto session = session_id ? m_agent.load_session(*session_id) : m_agent.create_session();
    live = std::make_shared<LiveSession>(m_approval_timeout);
    live->id = session->id;
    live->profile = session->profile.name;
    live->model = session->profile.model.empty() ? std::string(agntos::provider_name(session->profile.provider))
                                                 : session->profile.model;
    live->message_count = session->conversation.total;
    live->session = std::move(session);
  }
  const auto pending = m_agent.pending_proposals();
  std::lock_guard lock(m_mutex);
  // Only this thread adds sessions, so the entry is still absent or still `live`.
  m_sessions.emplace(live->id, live);
  if (client.session_id != live->id) {
    detach_locked(client);
    live->clients.insert(client.id);
    client.session_id = live->id;
  }
  m_agent.log().info("session_ready", Json{{"client", client.id}, {"session_id", live->id}, {"resumed", session_id.has_value()}});
  send_locked(client.id, to_line(session_ready_message(live->id, live->profile, live->model, pending,
                                                       session_id.has_value(), live->message_count)));
  if (live->approval_message && live->gate.pending()) send_locked(client.id, to_line(*live->approval_message));
}

void Server::handle_chat(Client& client, const std::string& prompt) {
  bool attached = false;
  {
    std::lock_guard lock(m_mutex);
    attached = !client.session_id.empty() && m_sessions.count(client.session_id);
  }
  if (!attached) handle_init(client, std::nullopt);
  std::lock_guard lock(m_mutex);
  const auto live = m_sessions.at(client.session_id);
  if (live->turn_running)
    throw Error(Errc::conflict, "a turn is already running in session " + live->id +
                                    "; wait for turn_complete or send {\"type\":\"cancel\"}");
  m_workers->require_room();
  start_turn(live, prompt, client.uid, std::nullopt);
}

void Server::handle_legacy(Client& client, const std::string& prompt) {
  m_workers->require_room();
  auto session = m_agent.create_session();
  auto live = std::make_shared<LiveSession>(m_approval_timeout);
  live->id = session->id;
  live->profile = session->profile.name;
  live->model = session->profile.model;
  live->session = std::move(session);
  std::lock_guard lock(m_mutex);
  m_sessions.emplace(live->id, live);
  client.legacy_pending = true;
  start_turn(live, prompt, client.uid, client.id);
}

void Server::start_turn(const std::shared_ptr<LiveSession>& live, const std::string& prompt, uid_t uid,
                        std::optional<uint64_t> legacy_client) {
  live->turn_running = true;
  live->turn_uid = uid;
  live->cancel = false;
  m_agent.log().info("turn_started", Json{{"session_id", live->id}, {"legacy", legacy_client.has_value()}});
  m_workers->spawn([this, live, prompt, legacy_client] {
    Observer observer(*this, live, legacy_client.has_value());
    TurnResult result;
    const auto started = std::chrono::steady_clock::now();
    try {
      result = m_agent.run_turn(*live->session, prompt, observer, live->cancel);
    } catch (const std::exception& e) {
      result.end = TurnEnd::failed;
      result.error = e.what();
    }
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    m_agent.log().log(result.end == TurnEnd::failed ? LogLevel::warning : LogLevel::info, "turn_complete",
                      Json{{"session_id", live->id}, {"end", turn_end_name(result.end)}, {"rounds", result.rounds},
                           {"tool_calls", result.tool_calls}, {"ms", elapsed.count()},
                           {"error", result.error.empty() ? Json() : Json(result.error)}});
    std::lock_guard lock(m_mutex);
    if (legacy_client) {
      send_locked(*legacy_client, to_line(legacy_response_message(
                                      result.end == TurnEnd::failed ? "Error: " + result.error : result.content)));
      if (auto it = m_clients.find(*legacy_client); it != m_clients.end()) {
        it->second->legacy_pending = false;
        it->second->close_after_flush = true;
      }
      wake();
    } else {
      if (result.end == TurnEnd::failed) broadcast_locked(*live, error_message(result.error, "turn_failed"));
      broadcast_locked(*live, turn_complete_message(result));
    }
    live->turn_running = false;
    live->message_count = live->session->conversation.total;
    evict_if_idle_locked(live);
  });
}

void Server::handle_decision(Client& client, const Request& request, bool approved) {
  std::lock_guard lock(m_mutex);
  std::shared_ptr<LiveSession> live;
  for (const auto& [id, candidate] : m_sessions)
    if (candidate->gate.pending() == request.request_id) live = candidate;
  if (!live)
    throw Error(Errc::not_found, "no pending approval " + *request.request_id + " (answered, timed out, or never asked)");
  if (!live->clients.count(client.id))
    throw Error(Errc::refused, "this connection is not attached to the session of " + *request.request_id +
                                   "; send init with its session_id first");
  live->gate.answer(*request.request_id, client.uid, approved, request.reason.value_or(""));
}

void Server::handle_cancel(Client& client) {
  std::lock_guard lock(m_mutex);
  const auto it = m_sessions.find(client.session_id);
  if (it == m_sessions.end() || !it->second->turn_running) throw Error(Errc::not_found, "no turn is running in this session");
  auto& live = *it->second;
  live.cancel = true;
  live.gate.interrupt();
  m_agent.log().info("turn_cancel", Json{{"session_id", live.id}, {"client", client.id}});
}

void Server::handle_confirm(Client& client, const std::string& audit_id) {
  {
    std::lock_guard lock(m_mutex);
    const auto it = m_confirm_fresh_from.find(audit_id);
    if (it != m_confirm_fresh_from.end() && client.id < it->second)
      throw Error(Errc::refused, "confirm " + audit_id + " over a new connection: this one was open before the change "
                                 "was activated, so it proves nothing about reaching the machine now");
  }
  const uint64_t client_id = client.id;
  m_agent.log().info("confirm_requested", Json{{"client", client_id}, {"audit_id", audit_id}});
  // agntctl decides: it confirms only a change whose timer is pending, and says what became of
  // any other (confirmed already, reverted by the watchdog, never gated).
  m_workers->spawn([this, client_id, audit_id] {
    try {
      const auto entry = m_agent.run_agntctl({"confirm", "--", audit_id});
      {
        std::lock_guard lock(m_mutex);
        m_confirm_fresh_from.erase(audit_id);
      }
      m_agent.log().info("confirmed", Json{{"client", client_id}, {"audit_id", audit_id}, {"entry", entry.value("id", "")}});
      send(client_id, confirm_response_message(audit_id, entry));
    } catch (const Error& e) {
      m_agent.log().info("confirm_refused", Json{{"client", client_id}, {"audit_id", audit_id}, {"message", e.what()}});
      send(client_id, error_message(e.what(), e.code_name()));
    } catch (const std::exception& e) {
      send(client_id, error_message(e.what()));
    }
  });
}

void Server::send(uint64_t client_id, const Json& message) {
  std::lock_guard lock(m_mutex);
  send_locked(client_id, to_line(message));
}

void Server::send_locked(uint64_t client_id, const std::string& line) {
  const auto it = m_clients.find(client_id);
  if (it == m_clients.end()) return;
  auto& connection = it->second->connection;
  connection.queue(line);
  if (connection.wants_write() || connection.broken()) wake();
}

void Server::broadcast_locked(const LiveSession& live, const Json& message) {
  const auto line = to_line(message);
  for (const auto id : live.clients) send_locked(id, line);
}

void Server::detach_locked(Client& client) {
  if (client.session_id.empty()) return;
  const auto it = m_sessions.find(client.session_id);
  client.session_id.clear();
  if (it == m_sessions.end()) return;
  const auto live = it->second;
  live->clients.erase(client.id);
  if (live->clients.empty()) live->gate.deny_pending(kEveryClientGone);
  evict_if_idle_locked(live);
}

void Server::evict_if_idle_locked(const std::shared_ptr<LiveSession>& live) {
  if (!live->clients.empty() || live->turn_running) return;
  const auto it = m_sessions.find(live->id);
  if (it != m_sessions.end() && it->second == live) m_sessions.erase(it);
}

void Server::disconnect(uint64_t client_id) {
  std::lock_guard lock(m_mutex);
  const auto it = m_clients.find(client_id);
  if (it == m_clients.end()) return;
  detach_locked(*it->second);
  m_agent.log().info("client_disconnected", Json{{"client", client_id}});
  m_clients.erase(it);
}

}  // namespace agntd
