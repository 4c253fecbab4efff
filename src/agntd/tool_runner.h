// SPDX-License-Identifier: MIT
#pragma once
// Runs the model's tool calls as agntctl subprocesses, and describes gated calls for the
// approval request.
//
// ToolExecutor is the seam the turn loop uses; AgntctlTools is the real one. Every call is
// `agntctl --json <command> ...` from an argv vector (agntos::run_process), in the daemon's
// config and state dirs, without the API key variable in its environment (so run_bash cannot
// print it into a session). The result is one line of compact JSON: agntctl's object on
// success, {"error":{"code","message"}} on failure, capped at [limits] tool_output_chars.

#include <atomic>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agntd/tools.h"
#include "common/paths.h"
#include "common/process.h"

namespace agntd {

// What a tool call gave. `result` is agntctl's own JSON answer (a JSON string when it printed
// plain text) or, on failure, {"error":{"code","message"}}: clients receive it as it is in
// `tool_result`. `text` is the same rendered once for the model (capped at the tool output
// limit) and stored in the session.
struct ToolOutcome {
  Json result;
  bool success = false;
  std::string text;
};

// The failed outcome {"error":{"code","message"}}.
ToolOutcome tool_failure(std::string_view code, std::string_view message);
// The message of a failed outcome's JSON, or the output itself.
std::string tool_error_message(const ToolOutcome& outcome);

// What the user is asked to approve (SPEC §6.3).
struct ApprovalRequest {
  std::string request_id;
  std::string kind;  // "apply" | "rollback"
  std::optional<std::string> proposal_id;
  std::string summary;
  std::string effect;  // what happens, in words (which change an undo chose, and why)
  std::string diff;    // the config tree diff, recomputed from content by agntctl's plan
  std::string closure;  // packages added, removed and changed by the built system, in words
  std::string digest;   // the plan digest; the yes is bound to it (agntctl --digest)
  std::optional<std::string> store_path;  // the system built for the plan, activated as is
  std::optional<long> confirm_timeout_s;  // a confirm-or-revert timer runs this long after activation
};

// A change a gated call activated behind a confirm-or-revert timer (docs/pipeline.md "Confirm
// or revert"). agntd never confirms it: the client is told (confirm_needed) and confirms over a
// new connection, as deploy-rs confirms over a new SSH connection; otherwise the watchdog
// reverts it at the deadline.
struct ConfirmNeeded {
  std::string audit_id;
  long timeout_s = 0;
  std::string deadline;    // ISO 8601 UTC, as in the audit entry's action.confirm
  long long seconds_left = 0;  // at the moment the tool returned
};

// The timer a successful apply or rollback armed, read from agntctl's answer (the audit entry,
// whose action.confirm is an object exactly when a timer runs); nullopt when none runs.
std::optional<ConfirmNeeded> confirm_needed_of(const ToolOutcome& outcome);

struct ApprovalDecision {
  bool approved = false;
  std::string approved_by;  // "client:<uid>" when approved
  std::string reason;       // why not, when denied
};

using ProgressFn = std::function<void(std::string_view text)>;

class ToolExecutor {
public:
  virtual ~ToolExecutor() = default;
  // Runs the call. `cancel` kills a running tool; `progress` gets its stderr as it arrives
  // (the rebuild output of apply and rollback). Never throws for a failed tool.
  virtual ToolOutcome execute(const ToolSpec& tool, const Json& args, const ToolContext& context,
                              const std::atomic<bool>& cancel, const ProgressFn& progress) = 0;
  // The approval request for a gated call (request_id left empty), from agntctl's own plan
  // of it. Throws agntos::Error with the plan's refusal when the call would be refused anyway
  // (stale or unknown proposal, nothing to undo): the model is told that instead of the user
  // being asked.
  virtual ApprovalRequest describe(const ToolSpec& tool, const Json& args) = 0;
};

class AgntctlTools : public ToolExecutor {
public:
  // `unset_env`: variables removed from the tools' environment (the API key variable).
  AgntctlTools(std::filesystem::path agntctl, agntos::Paths paths, size_t output_chars,
               std::vector<std::string> unset_env = {});

  ToolOutcome execute(const ToolSpec& tool, const Json& args, const ToolContext& context,
                      const std::atomic<bool>& cancel, const ProgressFn& progress) override;
  ApprovalRequest describe(const ToolSpec& tool, const Json& args) override;

  // Runs `agntctl --json <args>` for the daemon's own requests (status, audit, confirm); returns
  // the parsed object, or throws agntos::Error with agntctl's message and code (Errc::failed
  // when agntctl gave none).
  Json run_json(const std::vector<std::string>& args, const std::atomic<bool>* cancel = nullptr) const;

  const std::filesystem::path& agntctl() const { return m_agntctl; }

private:
  agntos::ProcessOptions options() const;

  std::filesystem::path m_agntctl;
  agntos::Paths m_paths;
  size_t m_output_chars;
  std::vector<std::string> m_unset_env;
};

// The agntctl binary: $AGNTOS_AGNTCTL, else the agntctl beside the running agntd, else the
// one on PATH. Throws Error(Errc::not_found) when there is none.
std::filesystem::path locate_agntctl();

}  // namespace agntd
