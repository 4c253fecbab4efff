// SPDX-License-Identifier: MIT
#pragma once
// The socket server (SPEC §6.5): NDJSON over a Unix socket, several clients at once.
//
// Threads: one poll loop accepts connections, reads lines and dispatches them; every turn
// and every request that runs agntctl (status, audit) runs on a worker thread of its own.
// Clients, sessions and pending approvals are shared state behind one mutex. Messages to a
// client are queued in its buffer and written without blocking (by the thread that queues
// them, the rest by the poll loop), so a slow client never stalls a turn.
//
// Dispatch: every line goes through parse_request() once; an invalid line, or any exception
// a handler throws, is answered with an `error` message and the connection stays usable.
// Peers of another uid (SO_PEERCRED) are refused when they connect.
//
// Sessions: a client is attached to at most one session (init, or the first chat). Every
// event of a turn goes to every client attached to its session. Each session has its
// ApprovalGate (approval_gate.h): an approval request waits for `approve`/`deny` from an
// attached client of the uid that started the turn; `cancel`, the timeout
// (AGNTOS_APPROVAL_TIMEOUT seconds, default 300), the disconnection of every attached client
// and shutdown all deny it. The legacy one-shot {"prompt"} runs in a session no client is
// attached to, so it can never approve a change.
//
// Confirm or revert (docs/protocol.md "confirm"): when an approved change waits for
// confirmation, its session's clients get `confirm_needed`; the daemon never confirms by itself.
// A `confirm` request runs `agntctl confirm <id>` (which refuses an id whose timer is not
// pending). It must come over a connection opened after the announcement: one that was open
// before proves nothing about reaching the machine now (deploy-rs' magic rollback confirms over a
// new SSH connection for the same reason). An id this daemon did not announce (a change applied
// with agntctl, or before a restart) may be confirmed from any connection. Every connection
// passed the checks of accept (same uid, not from a tool sandbox or a tool's descendant), the
// same ones a connection that approves has passed.
//
// Parts: a client's socket I/O is client_connection.h, the worker threads workers.h.

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "agntd/agent.h"
#include "agntd/protocol.h"
#include "agntd/workers.h"
#include "common/fd.h"

namespace agntd {

class Server {
public:
  // Prepares the socket's directory and listens (unix_socket.h); throws when it may not.
  Server(Agent& agent, std::filesystem::path socket_path);
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  // Stops everything still running and removes the socket.
  ~Server();

  // Serves until `stop_fd` becomes readable (the signal handler's self-pipe), then shuts
  // down: running turns are cancelled, pending approvals denied, workers joined.
  void run(int stop_fd);

private:
  struct Client;
  struct LiveSession;
  class Observer;

  void accept_clients();
  void read_client(Client& client);
  void handle_line(Client& client, std::string_view line);
  void dispatch(Client& client, const Request& request);
  void disconnect(uint64_t client_id);
  void shutdown();

  void handle_init(Client& client, const std::optional<std::string>& session_id);
  void handle_chat(Client& client, const std::string& prompt);
  void handle_decision(Client& client, const Request& request, bool approved);
  void handle_cancel(Client& client);
  void handle_confirm(Client& client, const std::string& audit_id);
  void handle_legacy(Client& client, const std::string& prompt);
  void start_turn(const std::shared_ptr<LiveSession>& live, const std::string& prompt, uid_t uid,
                  std::optional<uint64_t> legacy_client);

  // Queue a message (locks). Unknown clients are ignored: they have gone.
  void send(uint64_t client_id, const Json& message);
  void send_locked(uint64_t client_id, const std::string& line);
  void broadcast_locked(const LiveSession& live, const Json& message);
  void detach_locked(Client& client);
  void evict_if_idle_locked(const std::shared_ptr<LiveSession>& live);
  void wake();

  Agent& m_agent;
  std::filesystem::path m_socket_path;
  agntos::Fd m_listen;
  agntos::Fd m_wake_read;
  agntos::Fd m_wake_write;
  std::chrono::milliseconds m_approval_timeout;
  // accept() out of descriptors: the listening socket rests until then (see run()).
  std::chrono::steady_clock::time_point m_accept_paused_until{};
  std::chrono::milliseconds m_accept_backoff{0};

  std::mutex m_mutex;
  bool m_stopping = false;
  uint64_t m_next_client = 1;
  std::map<uint64_t, std::unique_ptr<Client>> m_clients;
  std::map<std::string, std::shared_ptr<LiveSession>> m_sessions;
  // Audit id -> the first client id accepted after its confirm_needed went out (fresh enough).
  std::map<std::string, uint64_t> m_confirm_fresh_from;
  std::unique_ptr<Workers> m_workers;
};

}  // namespace agntd
