// SPDX-License-Identifier: MIT
#pragma once
// The human's yes to one transaction (SPEC §4 promise 1), as a type: run_transaction takes an
// Approval, and only two places can make one. Invocation::confirm makes it for an action the
// command table marks as asking (--yes, or y on a terminal); the confirm timer's watchdog makes
// it for the revert an unconfirmed change owes (watchdog_approval). A new code path that changes
// the system without the human therefore does not compile without naming itself here.

#include <string>
#include <utility>

namespace agntctl {

class Invocation;

class Approval {
public:
  const std::string& by() const { return m_by; }  // recorded as the audit entry's approved_by

private:
  explicit Approval(std::string by) : m_by(std::move(by)) {}
  friend class Invocation;
  friend Approval watchdog_approval();
  std::string m_by;
};

}  // namespace agntctl
