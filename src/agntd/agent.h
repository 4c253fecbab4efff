// SPDX-License-Identifier: MIT
#pragma once
// What every conversation of the daemon shares, whichever path it comes from (socket, legacy
// one-shot, REPL): the paths, sessions.db, the provider for the configured model, and the
// turn loop with the prompt and the tools.
//
// A Session is one conversation. It is created (or loaded from sessions.db with its history)
// with the model profile models.toml routes "chat" to, a provider for it (the offline one
// when there is no models.toml or it says provider = "offline"), and the memory snapshot and
// skill index frozen for its lifetime. Every message a turn adds is stored at once, with the
// API key, should it ever appear in a message, replaced by "[redacted]".
//
// Sessions are not thread-safe: the caller runs one turn at a time per session. Agent itself
// is safe to use from several threads (sessions.db is behind a mutex).

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "agntd/llm/http_transport.h"
#include "agntd/llm/provider.h"
#include "agntd/log.h"
#include "agntd/prompt.h"
#include "agntd/turn.h"
#include "common/models_config.h"
#include "common/paths.h"
#include "common/session_store.h"

namespace agntd {

struct Session {
  std::string id;
  agntos::ModelProfile profile;
  std::shared_ptr<llm::Provider> provider;
  std::string memory;  // frozen memory snapshot
  std::string skills;  // frozen skill index
  Conversation conversation;
  bool resumed = false;
  bool titled = false;
};

class Agent {
public:
  // Opens (creates) sessions.db in the state dir, which is created with mode 0700.
  Agent(agntos::Paths paths, Logger& log);

  // A new session, stored at once. Throws when models.toml is malformed.
  std::unique_ptr<Session> create_session();
  // A stored session with its history. Throws Error(Errc::not_found) for an unknown id.
  std::unique_ptr<Session> load_session(const std::string& id);

  // One turn (turn.h) with the settings, prompt and tools of this moment.
  TurnResult run_turn(Session& session, const std::string& prompt, TurnObserver& observer,
                      const std::atomic<bool>& cancel);

  std::vector<agntos::SessionInfo> list_sessions(size_t limit);
  std::vector<agntos::SessionSearchHit> search_history(const std::string& query, size_t limit);
  std::vector<agntos::StoredMessage> stored_messages(const std::string& session_id);
  // [{"id","summary"}] of the pending proposals, oldest first.
  Json pending_proposals();
  // `agntctl --json <args>` (tool_runner.h).
  Json run_agntctl(const std::vector<std::string>& args, const std::atomic<bool>* cancel = nullptr);

  // Gives back what finished turns allocated and no longer use (sessions.db's page cache, the
  // heap's free pages), so a daemon that ran many turns stays close to an idle one.
  void release_memory();

  const agntos::Paths& paths() const { return m_paths; }
  Logger& log() { return m_log; }

private:
  std::shared_ptr<llm::Provider> make_provider(const agntos::ModelProfile& profile);
  std::unique_ptr<Session> open(std::string id, bool resumed, const agntos::ModelProfile& profile);
  std::string redact(std::string text) const;
  void record(const std::string& session_id, const llm::Message& message);

  agntos::Paths m_paths;
  Logger& m_log;
  std::filesystem::path m_agntctl;
  std::shared_ptr<llm::HttpTransport> m_transport;
  std::mutex m_store_mutex;
  std::unique_ptr<agntos::SessionStore> m_store;
  mutable std::mutex m_secrets_mutex;
  std::vector<std::string> m_secrets;  // API key values seen, to keep them out of sessions.db
};

// Retry and timeout settings of the HTTP providers; AGNTOS_LLM_BACKOFF_MS overrides the first
// backoff (tests use a few milliseconds).
llm::ProviderOptions provider_options_from_environment();

}  // namespace agntd
