// SPDX-License-Identifier: MIT
#include "agntd/agent.h"

#include <malloc.h>

#include <algorithm>
#include <cstdlib>

#include "agntd/llm/offline/offline_provider.h"
#include "agntd/tool_runner.h"
#include "common/error.h"
#include "common/files.h"
#include "common/memory.h"
#include "common/secret_env.h"
#include "common/settings.h"
#include "common/text.h"

namespace agntd {
namespace {

using agntos::Errc;
using agntos::Error;

std::string title_from(const std::string& prompt) {
  std::string title;
  for (char c : prompt) title += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  if (title.size() > 80) title = std::string(agntos::utf8_prefix(title, 77)) + "...";
  return title;
}

}  // namespace

llm::ProviderOptions provider_options_from_environment() {
  llm::ProviderOptions options;
  if (const char* backoff = std::getenv("AGNTOS_LLM_BACKOFF_MS"); backoff && *backoff) {
    try {
      options.retry.first_backoff = std::chrono::milliseconds(std::stol(backoff));
      options.retry.max_backoff = std::max(options.retry.first_backoff * 8, options.retry.first_backoff);
    } catch (const std::exception&) {
    }
  }
  return options;
}

Agent::Agent(agntos::Paths paths, Logger& log)
    : m_paths(std::move(paths)), m_log(log), m_agntctl(locate_agntctl()) {
  agntos::make_directories(m_paths.state_dir, 0700);
  m_store = std::make_unique<agntos::SessionStore>(m_paths.sessions_db());
}

std::shared_ptr<llm::Provider> Agent::make_provider(const agntos::ModelProfile& profile) {
  if (profile.provider == agntos::ProviderKind::offline) return std::make_shared<OfflineProvider>(profile);
  {
    std::lock_guard lock(m_secrets_mutex);
    if (!m_transport) m_transport = std::make_shared<llm::CurlTransport>();
    try {
      if (auto key = agntos::read_api_key(profile); key && key->size() >= 4 &&
                                                   std::find(m_secrets.begin(), m_secrets.end(), *key) == m_secrets.end())
        m_secrets.push_back(*key);
    } catch (const Error&) {
      // An unset key is reported by the first request, with the variable's name.
    }
  }
  return std::shared_ptr<llm::Provider>(llm::make_http_provider(profile, m_transport, provider_options_from_environment()));
}

std::unique_ptr<Session> Agent::open(std::string id, bool resumed, const agntos::ModelProfile& profile) {
  auto session = std::make_unique<Session>();
  session->id = std::move(id);
  session->profile = profile;
  session->provider = make_provider(session->profile);
  session->resumed = resumed;
  const auto settings = agntos::Settings::load(m_paths);
  session->memory = agntos::memory_snapshot(m_paths, settings);
  try {
    session->skills = skill_index_text(m_paths);
  } catch (const std::exception& e) {
    m_log.warning("skills_unreadable", Json{{"message", e.what()}});
  }
  const std::string session_id = session->id;
  session->conversation.record = [this, session_id](const llm::Message& message) { record(session_id, message); };
  return session;
}

std::unique_ptr<Session> Agent::create_session() {
  const auto models = agntos::ModelsConfig::load(m_paths.models_file());
  const auto profile = models.resolve("chat");
  std::string id;
  {
    std::lock_guard lock(m_store_mutex);
    id = m_store->create_session(std::nullopt, profile.name,
                                 profile.model.empty() ? std::string(agntos::provider_name(profile.provider)) : profile.model);
  }
  auto session = open(id, false, profile);
  m_log.info("session_created", Json{{"session_id", session->id}, {"profile", session->profile.name},
                                     {"provider", agntos::provider_name(session->profile.provider)}});
  return session;
}

std::unique_ptr<Session> Agent::load_session(const std::string& id) {
  std::vector<agntos::StoredMessage> stored;
  std::optional<agntos::SessionInfo> info;
  {
    std::lock_guard lock(m_store_mutex);
    info = m_store->session(id);
    if (info) stored = m_store->messages(id);
  }
  if (!info) throw Error(Errc::not_found, "no session " + id + "; send {\"type\":\"sessions\"} to list them");
  auto session = open(id, true, agntos::ModelsConfig::load(m_paths.models_file()).resolve("chat"));
  session->titled = info->title.has_value();
  for (const auto& message : stored) {
    if (message.role == "system") continue;
    Json json{{"role", message.role},
              {"content", message.content},
              {"tool_calls", Json::array()},
              {"tool_call_id", agntos::json_or_null(message.tool_call_id)},
              {"name", agntos::json_or_null(message.tool_name)}};
    if (message.tool_calls_json) {
      try {
        json["tool_calls"] = Json::parse(*message.tool_calls_json);
      } catch (const std::exception&) {
      }
    }
    try {
      session->conversation.messages.push_back(llm::message_from_json(json));
    } catch (const Error& e) {
      m_log.warning("stored_message_skipped", Json{{"session_id", id}, {"seq", message.seq}, {"message", e.what()}});
    }
  }
  repair_history(session->conversation.messages);
  session->conversation.total = session->conversation.messages.size();
  session->conversation.keep_recent(TurnLimits{}.history_messages);
  m_log.info("session_resumed", Json{{"session_id", id}, {"messages", session->conversation.total}});
  return session;
}

std::string Agent::redact(std::string text) const {
  std::lock_guard lock(m_secrets_mutex);
  return agntos::redact_secrets(std::move(text), m_secrets);
}

void Agent::record(const std::string& session_id, const llm::Message& message) {
  agntos::NewMessage stored;
  stored.role = std::string(llm::role_name(message.role));
  stored.content = redact(message.content);
  if (!message.name.empty() && message.role == llm::Role::tool) stored.tool_name = message.name;
  if (!message.tool_call_id.empty()) stored.tool_call_id = message.tool_call_id;
  if (!message.tool_calls.empty()) stored.tool_calls_json = redact(agntos::dump_json(llm::to_json(message)["tool_calls"]));
  std::lock_guard lock(m_store_mutex);
  m_store->add_message(session_id, stored);
}

TurnResult Agent::run_turn(Session& session, const std::string& prompt, TurnObserver& observer,
                           const std::atomic<bool>& cancel) {
  // An API key the user pastes never reaches the model, sessions.db or the audit log.
  const std::string text = redact(prompt);
  const auto settings = agntos::Settings::load(m_paths);
  if (!session.titled) {
    std::lock_guard lock(m_store_mutex);
    m_store->set_title(session.id, title_from(text));
    session.titled = true;
  }
  std::vector<std::string> unset;
  if (!session.profile.api_key_env.empty()) unset.push_back(session.profile.api_key_env);
  AgntctlTools tools(m_agntctl, m_paths, static_cast<size_t>(std::max(200L, settings.limits.tool_output_chars)), unset);

  PromptSections sections;
  sections.memory = session.memory;
  sections.skills = session.skills;
  sections.system = system_snapshot_text();
  sections.proposals = pending_proposals_text(m_paths);

  TurnLimits limits;
  limits.max_rounds = std::max(1L, settings.limits.max_rounds);
  ToolContext context;
  context.session_id = session.id;
  context.model = session.profile.model.empty() ? std::string(agntos::provider_name(session.profile.provider))
                                                : session.profile.model;
  TurnInputs inputs{*session.provider, tools, observer, cancel, system_prompt(sections), context, limits};
  return agntd::run_turn(session.conversation, text, inputs);
}

void Agent::release_memory() {
  {
    std::lock_guard lock(m_store_mutex);
    m_store->database().release_memory();
  }
  ::malloc_trim(0);
}

std::vector<agntos::SessionInfo> Agent::list_sessions(size_t limit) {
  std::lock_guard lock(m_store_mutex);
  return m_store->list_sessions(limit);
}

std::vector<agntos::SessionSearchHit> Agent::search_history(const std::string& query, size_t limit) {
  std::lock_guard lock(m_store_mutex);
  return m_store->search(query, limit);
}

std::vector<agntos::StoredMessage> Agent::stored_messages(const std::string& session_id) {
  std::lock_guard lock(m_store_mutex);
  return m_store->messages(session_id);
}

Json Agent::pending_proposals() {
  Json list = Json::array();
  for (const auto& line : agntos::split_lines(pending_proposals_text(m_paths, 1000))) {
    const auto space = line.find(' ');
    if (line.starts_with("p-"))
      list.push_back(Json{{"id", line.substr(0, space)}, {"summary", space == std::string::npos ? "" : line.substr(space + 1)}});
  }
  return list;
}

Json Agent::run_agntctl(const std::vector<std::string>& args, const std::atomic<bool>* cancel) {
  return AgntctlTools(m_agntctl, m_paths, std::string::npos).run_json(args, cancel);
}

}  // namespace agntd
