// SPDX-License-Identifier: MIT
// The approval gate's state machine (src/agntd/approval_gate.h): only a yes from the turn's
// uid, for the pending id, in time, approves; every other way out is a no with its reason.
#include "agntd/approval_gate.h"

#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "common/error.h"

namespace agntd {
namespace {

using namespace std::chrono_literals;

constexpr uid_t kOwner = 1000;

// Runs ask() on a thread; `when_open` runs once the gate takes answers (from announce()).
struct Asking {
  Asking(ApprovalGate& gate, std::string id, std::function<void()> when_open = {},
         std::atomic<bool>* cancel_flag = nullptr)
      : cancel(cancel_flag ? *cancel_flag : own_cancel) {
    result = std::async(std::launch::async, [&gate, id, when_open, this] {
      return gate.ask(id, kOwner, cancel, [&] {
        opened.set_value();
        if (when_open) when_open();
      });
    });
    opened.get_future().wait();
  }
  ApprovalDecision decision() { return result.get(); }

  std::atomic<bool> own_cancel{false};
  std::atomic<bool>& cancel;
  std::promise<void> opened;
  std::future<ApprovalDecision> result;
};

TEST(ApprovalGate, TheOwnersYesForThePendingIdApproves) {
  ApprovalGate gate(10s);
  Asking asking(gate, "r-1");
  EXPECT_EQ(gate.pending(), "r-1");
  gate.answer("r-1", kOwner, true);
  const auto decision = asking.decision();
  EXPECT_TRUE(decision.approved);
  EXPECT_EQ(decision.approved_by, "client:1000");
  EXPECT_FALSE(gate.pending().has_value());
}

TEST(ApprovalGate, ANoKeepsTheUsersReason) {
  ApprovalGate gate(10s);
  Asking asking(gate, "r-1");
  gate.answer("r-1", kOwner, false, "not today");
  const auto decision = asking.decision();
  EXPECT_FALSE(decision.approved);
  EXPECT_EQ(decision.reason, "denied by the user: not today");
}

TEST(ApprovalGate, AnotherUidCannotAnswerAndTheRequestStaysOpen) {
  ApprovalGate gate(10s);
  Asking asking(gate, "r-1");
  try {
    gate.answer("r-1", kOwner + 1, true);
    FAIL() << "another uid answered";
  } catch (const agntos::Error& e) {
    EXPECT_EQ(e.code(), agntos::Errc::refused);
  }
  EXPECT_EQ(gate.pending(), "r-1");
  gate.answer("r-1", kOwner, false);
  EXPECT_FALSE(asking.decision().approved);
}

TEST(ApprovalGate, AnAnswerForAnotherIdIsNotFoundAndDecidesNothing) {
  ApprovalGate gate(10s);
  try {
    gate.answer("r-1", kOwner, true);
    FAIL() << "answered a request nobody asked";
  } catch (const agntos::Error& e) {
    EXPECT_EQ(e.code(), agntos::Errc::not_found);
  }
  Asking asking(gate, "r-2");
  EXPECT_THROW(gate.answer("r-1", kOwner, true), agntos::Error);
  EXPECT_EQ(gate.pending(), "r-2");
  gate.answer("r-2", kOwner, false);
  EXPECT_FALSE(asking.decision().approved);
}

TEST(ApprovalGate, ASecondAnswerIsAConflictAndTheFirstStands) {
  ApprovalGate gate(10s);
  // Both answers arrive before ask() wakes: the second must not replace the first.
  Asking asking(gate, "r-1", [&] {
    gate.answer("r-1", kOwner, false);
    try {
      gate.answer("r-1", kOwner, true);
      ADD_FAILURE() << "second answer taken";
    } catch (const agntos::Error& e) {
      // After the first answer the request no longer waits: not found (it was answered).
      EXPECT_TRUE(e.code() == agntos::Errc::not_found || e.code() == agntos::Errc::conflict) << e.what();
    }
  });
  EXPECT_FALSE(asking.decision().approved);
}

TEST(ApprovalGate, NoAnswerInTimeIsANoThatSaysSo) {
  ApprovalGate gate(50ms);
  Asking asking(gate, "r-1");
  const auto decision = asking.decision();
  EXPECT_FALSE(decision.approved);
  EXPECT_EQ(decision.reason, "no answer within 1 seconds");
  // A late yes finds nothing to approve.
  EXPECT_THROW(gate.answer("r-1", kOwner, true), agntos::Error);
}

TEST(ApprovalGate, CancellingTheTurnDenies) {
  ApprovalGate gate(10s);
  std::atomic<bool> cancel{false};
  Asking asking(gate, "r-1", {}, &cancel);
  cancel = true;
  gate.interrupt();
  const auto decision = asking.decision();
  EXPECT_FALSE(decision.approved);
  EXPECT_EQ(decision.reason, "the turn was cancelled");
}

TEST(ApprovalGate, TheLastClientLeavingDenies) {
  ApprovalGate gate(10s);
  Asking asking(gate, "r-1");
  gate.deny_pending("every client of the session disconnected");
  const auto decision = asking.decision();
  EXPECT_FALSE(decision.approved);
  EXPECT_EQ(decision.reason, "every client of the session disconnected");
}

TEST(ApprovalGate, DenyingWithNothingPendingChangesNothing) {
  ApprovalGate gate(10s);
  gate.deny_pending("gone");  // before any ask: no effect on the next one
  Asking asking(gate, "r-1");
  gate.answer("r-1", kOwner, true);
  EXPECT_TRUE(asking.decision().approved);
}

TEST(ApprovalGate, ShutdownDeniesThePendingRequestAndEveryLaterOne) {
  ApprovalGate gate(10s);
  Asking asking(gate, "r-1");
  gate.close("the daemon is shutting down");
  EXPECT_EQ(asking.decision().reason, "the daemon is shutting down");
  bool announced = false;
  std::atomic<bool> cancel{false};
  const auto later = gate.ask("r-2", kOwner, cancel, [&] { announced = true; });
  EXPECT_FALSE(later.approved);
  EXPECT_EQ(later.reason, "the daemon is shutting down");
  EXPECT_FALSE(announced) << "a closed gate must not show an approval request";
}

TEST(ApprovalGate, AnAnnouncementThatFailsAsksNobodyAndLeavesTheGateUsable) {
  ApprovalGate gate(10s);
  std::atomic<bool> cancel{false};
  EXPECT_THROW(gate.ask("r-1", kOwner, cancel, [] { throw std::runtime_error("client gone"); }), std::runtime_error);
  EXPECT_FALSE(gate.pending().has_value());
  Asking asking(gate, "r-2");
  gate.answer("r-2", kOwner, true);
  EXPECT_TRUE(asking.decision().approved);
}

TEST(ApprovalGate, AYesInsideTheAnnouncementIsTaken) {
  // A client may answer as soon as it sees the request, before ask() starts to wait.
  ApprovalGate gate(10s);
  Asking asking(gate, "r-1", [&] { gate.answer("r-1", kOwner, true); });
  EXPECT_TRUE(asking.decision().approved);
}

}  // namespace
}  // namespace agntd
