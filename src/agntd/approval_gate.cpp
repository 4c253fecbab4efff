// SPDX-License-Identifier: MIT
#include "agntd/approval_gate.h"

#include <cstdlib>

#include "common/error.h"

namespace agntd {

using agntos::Errc;
using agntos::Error;

std::chrono::milliseconds approval_timeout_from_environment() {
  if (const char* value = std::getenv("AGNTOS_APPROVAL_TIMEOUT"); value && *value) {
    try {
      const double seconds = std::stod(value);
      if (seconds > 0) return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
    } catch (const std::exception&) {
    }
  }
  return std::chrono::minutes(5);
}

ApprovalDecision ApprovalGate::ask(const std::string& request_id, uid_t owner, const std::atomic<bool>& cancel,
                                   const std::function<void()>& announce) {
  std::unique_lock lock(m_mutex);
  if (m_closed) return ApprovalDecision{false, "", *m_closed};
  if (m_pending) throw Error(Errc::conflict, "approval " + *m_pending + " is still waiting for an answer");
  m_pending = request_id;
  m_owner = owner;
  m_decision.reset();
  lock.unlock();
  try {
    announce();
  } catch (...) {
    // Nobody was asked: the gate closes again so that the next request can be.
    lock.lock();
    m_pending.reset();
    m_decision.reset();
    throw;
  }
  lock.lock();
  const auto deadline = std::chrono::steady_clock::now() + m_timeout;
  m_cv.wait_until(lock, deadline, [&] { return m_decision.has_value() || cancel.load(); });
  ApprovalDecision decision;
  if (m_decision) {
    decision = *m_decision;
  } else if (cancel) {
    decision.reason = "the turn was cancelled";
  } else {
    decision.reason = "no answer within " + std::to_string((m_timeout.count() + 999) / 1000) + " seconds";
  }
  m_pending.reset();
  m_decision.reset();
  return decision;
}

void ApprovalGate::answer(const std::string& request_id, uid_t uid, bool approved, const std::string& reason) {
  std::lock_guard lock(m_mutex);
  if (m_pending != request_id)
    throw Error(Errc::not_found, "no pending approval " + request_id + " (answered, timed out, or never asked)");
  if (uid != m_owner) throw Error(Errc::refused, "only the user who started the turn may answer it");
  if (m_decision) throw Error(Errc::conflict, request_id + " was already answered");
  ApprovalDecision decision;
  decision.approved = approved;
  if (approved) decision.approved_by = "client:" + std::to_string(uid);
  else decision.reason = reason.empty() ? std::string("denied by the user") : "denied by the user: " + reason;
  m_decision = decision;
  m_cv.notify_all();
}

void ApprovalGate::deny_pending(const std::string& reason) {
  std::lock_guard lock(m_mutex);
  if (!m_pending || m_decision) return;
  m_decision = ApprovalDecision{false, "", reason};
  m_cv.notify_all();
}

void ApprovalGate::interrupt() {
  std::lock_guard lock(m_mutex);
  m_cv.notify_all();
}

void ApprovalGate::close(const std::string& reason) {
  std::lock_guard lock(m_mutex);
  m_closed = reason;
  if (m_pending && !m_decision) m_decision = ApprovalDecision{false, "", reason};
  m_cv.notify_all();
}

std::optional<std::string> ApprovalGate::pending() const {
  std::lock_guard lock(m_mutex);
  if (m_decision) return std::nullopt;
  return m_pending;
}

}  // namespace agntd
