// SPDX-License-Identifier: MIT
// agntctl run_bash COMMAND [--timeout S] [--cwd DIR]: a shell command in the sandbox.
#include <iostream>

#include "agntctl/commands.h"
#include "agntctl/generic_audit.h"
#include "agntctl/sandbox.h"
#include "common/error.h"
#include "common/process.h"
#include "common/settings.h"
#include "common/text.h"

namespace agntctl {

Output run_bash(Invocation& inv) {
  CLI::App app{"Run a command with bash -c inside the bubblewrap sandbox, with a timeout and output caps.\n"
               "The whole process group is killed on timeout. Imperative system changes are refused:\n"
               "use 'agntctl propose'."};
  std::string command;
  double timeout = 120;
  std::string cwd;
  size_t max_output = 64 * 1024;
  app.add_option("command", command, "the shell command")->required();
  app.add_option("--timeout", timeout, "seconds before the command is killed (default 120)")
      ->check(CLI::PositiveNumber);
  app.add_option("--cwd", cwd, "working directory");
  app.add_option("--max-output", max_output, "bytes kept of stdout and of stderr (default 65536)");
  inv.parse(app);

  const auto& paths = inv.paths();
  if (!cwd.empty()) refuse_protected_path(paths, cwd);
  refuse_imperative_change(command);
  const auto& settings = inv.settings();
  const auto plan = plan_bash(command, paths, settings);
  if (plan.warning) std::cerr << *plan.warning << "\n";

  agntos::ProcessOptions options;
  options.timeout = std::chrono::milliseconds(static_cast<long long>(timeout * 1000));
  options.output_cap = max_output;
  if (!cwd.empty()) options.cwd = cwd;
  const auto result = agntos::run_process(plan.argv, options);

  auto status = agntos::AuditStatus::success;
  std::string error;
  if (result.timed_out) {
    status = agntos::AuditStatus::failed;
    error = "timed out after " + std::to_string(static_cast<long long>(timeout)) + " s; the process group was killed";
  } else if (result.exit_code != 0) {
    status = agntos::AuditStatus::failed;
    error = result.term_signal ? "killed by signal " + std::to_string(result.term_signal)
                               : "exit code " + std::to_string(result.exit_code);
  }
  const std::string shown = command.size() > 200 ? std::string(agntos::utf8_prefix(command, 200)) + "..." : command;
  const auto entry = record_generic(paths, "run_bash", "Ran: " + shown, {}, status, error);

  auto marked = [](const std::string& text, size_t total) {
    return total > text.size() ? text + "\n[output cut: " + std::to_string(total - text.size()) + " more bytes]\n"
                               : text;
  };
  Output output;
  output.exit_status = status == agntos::AuditStatus::success ? 0 : 1;
  output.json = Json{{"command", command},
                     {"exit_code", result.exit_code >= 0 ? Json(result.exit_code) : Json(nullptr)},
                     {"signal", result.term_signal ? Json(result.term_signal) : Json(nullptr)},
                     {"timed_out", result.timed_out},
                     {"stdout", result.out},
                     {"stderr", result.err},
                     {"stdout_truncated", result.out_truncated()},
                     {"stderr_truncated", result.err_truncated()},
                     {"duration_ms", result.duration.count()},
                     {"sandboxed", plan.sandboxed},
                     {"audit_id", entry.id}};
  if (!inv.json()) {
    std::cout << marked(result.out, result.out_total);
    std::cerr << marked(result.err, result.err_total);
    if (!error.empty()) std::cerr << "agntctl bash: " << error << "\n";
  }
  return output;
}

}  // namespace agntctl
