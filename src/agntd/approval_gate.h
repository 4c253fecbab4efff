// SPDX-License-Identifier: MIT
#pragma once
// The approval gate of one session (SPEC §4, §6.3): the only place where a human's yes or no
// for a change is waited for and decided.
//
// States and events:
//
//   closed  --ask(id, owner)-->  pending(id)   (announce() runs once the answer can be taken)
//   pending --answer(id, owner, yes|no)-->  decided
//   pending --cancel flag | interrupt() wakes | timeout | deny_pending(reason) | close(reason)-->  decided (no)
//   decided --ask returns the decision-->  closed
//   any     --close(reason)-->  shut: every later ask is denied at once with that reason
//
// An answer is taken only for the request id that is pending and only from the uid that
// started the turn (`owner`); a second answer is a conflict. Everything that is not a yes
// from that uid, in time, for that id, is a no with a reason the model and the audit see.
// Thread-safe: the turn's thread blocks in ask(); clients answer from the poll thread.

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "agntd/tool_runner.h"

namespace agntd {

class ApprovalGate {
public:
  explicit ApprovalGate(std::chrono::milliseconds timeout) : m_timeout(timeout) {}
  ApprovalGate(const ApprovalGate&) = delete;
  ApprovalGate& operator=(const ApprovalGate&) = delete;

  // Opens `request_id` for answers from `owner`, runs `announce` (outside the gate's lock: it
  // sends the approval request to the clients), then blocks until an event decides it.
  ApprovalDecision ask(const std::string& request_id, uid_t owner, const std::atomic<bool>& cancel,
                       const std::function<void()>& announce);

  // A client's answer. Throws Error: not_found when `request_id` is not the pending request,
  // refused when `uid` is not the owner, conflict when it was already answered.
  void answer(const std::string& request_id, uid_t uid, bool approved, const std::string& reason = {});

  // Denies the pending request (if one is waiting for an answer) with `reason`.
  void deny_pending(const std::string& reason);
  // Wakes ask() so it sees its cancel flag.
  void interrupt();
  // Denies the pending request and every later one with `reason` (daemon shutdown).
  void close(const std::string& reason);

  // The request id waiting for an answer, if any.
  std::optional<std::string> pending() const;

private:
  const std::chrono::milliseconds m_timeout;
  mutable std::mutex m_mutex;
  std::condition_variable m_cv;
  std::optional<std::string> m_pending;
  uid_t m_owner = 0;
  std::optional<ApprovalDecision> m_decision;
  std::optional<std::string> m_closed;
};

// The approval timeout: AGNTOS_APPROVAL_TIMEOUT seconds when set, else 5 minutes.
std::chrono::milliseconds approval_timeout_from_environment();

}  // namespace agntd
