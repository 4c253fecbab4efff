// SPDX-License-Identifier: MIT
#include "agntd/tool_runner.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "common/error.h"
#include "common/files.h"
#include "common/ids.h"
#include "common/text.h"

namespace agntd {
namespace {

namespace fs = std::filesystem;
using agntos::Errc;
using agntos::Error;

// Rebuilds can take long; cancel is the way to stop one early. run_bash has its own timeout.
constexpr auto kToolTimeout = std::chrono::minutes(30);

std::optional<Json> parse_object(std::string_view text) {
  try {
    auto value = Json::parse(text);
    if (value.is_object()) return value;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

std::string last_chars(const std::string& text, size_t count) {
  return text.size() <= count ? text : "…" + text.substr(text.size() - count);
}

std::string rendered(const Json& result) { return result.is_string() ? result.get<std::string>() : agntos::dump_json(result); }

ToolOutcome outcome_of(const agntos::ProcessResult& result, size_t cap) {
  if (result.cancelled) return tool_failure("cancelled", "cancelled by the user; the tool was stopped");
  if (result.timed_out) return tool_failure("timeout", "the tool ran too long and was stopped");
  const auto json = parse_object(result.out);
  ToolOutcome outcome;
  if (result.exit_code == 0) {
    outcome.success = true;
    outcome.result = json ? *json : Json(agntos::trim(result.out));
  } else if (json && json->contains("error")) {
    outcome.result = Json{{"error", (*json)["error"]}};
  } else if (json) {
    // A failure that still answered: run_bash's command failed, and its exit code, stdout and
    // stderr are what the model needs to see why.
    outcome.result = *json;
  } else {
    const auto err = agntos::trim(result.err);
    outcome = tool_failure("failed", err.empty() ? "agntctl exited with status " + std::to_string(result.exit_code)
                                                 : last_chars(err, 2000));
  }
  outcome.text = cap_output(rendered(outcome.result), cap);
  return outcome;
}

// Unix time in milliseconds of "2026-11-24T10:00:03.123Z" (the audit log's format); nullopt
// for anything else.
std::optional<long long> unix_ms_of(const std::string& iso) {
  std::tm tm{};
  int millis = 0;
  int end = 0;
  if (std::sscanf(iso.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                  &tm.tm_min, &tm.tm_sec, &millis, &end) != 7 ||
      static_cast<size_t>(end) != iso.size())
    return std::nullopt;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<long long>(::timegm(&tm)) * 1000 + millis;
}

}  // namespace

std::optional<ConfirmNeeded> confirm_needed_of(const ToolOutcome& outcome) {
  if (!outcome.success || !outcome.result.is_object()) return std::nullopt;
  const Json& action = outcome.result.value("action", Json::object());
  if (!action.is_object() || !action.contains("confirm") || !action["confirm"].is_object()) return std::nullopt;
  const Json& confirm = action["confirm"];
  ConfirmNeeded needed;
  needed.audit_id = outcome.result.value("id", std::string());
  if (!agntos::is_id(needed.audit_id, "a")) return std::nullopt;
  needed.timeout_s = confirm.value("timeout_s", 60L);
  needed.deadline = confirm.value("deadline", std::string());
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
  const auto deadline_ms = unix_ms_of(needed.deadline);
  needed.seconds_left = deadline_ms ? std::max(0LL, (*deadline_ms - now_ms) / 1000) : needed.timeout_s;
  return needed;
}

ToolOutcome tool_failure(std::string_view code, std::string_view message) {
  Json result{{"error", {{"code", code}, {"message", message}}}};
  auto text = agntos::dump_json(result);
  return ToolOutcome{std::move(result), false, std::move(text)};
}

std::string tool_error_message(const ToolOutcome& outcome) {
  if (outcome.result.is_object() && outcome.result.contains("error")) {
    const Json& error = outcome.result["error"];
    if (error.is_object() && error.contains("message") && error["message"].is_string())
      return error["message"].get<std::string>();
    if (error.is_string()) return error.get<std::string>();
  }
  return outcome.text;
}

fs::path locate_agntctl() {
  if (const char* env = std::getenv("AGNTOS_AGNTCTL"); env && *env) {
    if (::access(env, X_OK) == 0) return env;
    throw Error(Errc::not_found, std::string("AGNTOS_AGNTCTL names ") + env + ", which is not an executable");
  }
  std::error_code ec;
  const auto self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const auto beside = self.parent_path() / "agntctl";
    if (::access(beside.c_str(), X_OK) == 0) return beside;
    // A build tree keeps each program in its own folder: build/src/agntd/agntd, build/src/agntctl/agntctl.
    const auto sibling = self.parent_path().parent_path() / "agntctl" / "agntctl";
    if (::access(sibling.c_str(), X_OK) == 0) return sibling;
  }
  if (auto found = agntos::find_program("agntctl")) return *found;
  throw Error(Errc::not_found, "agntctl not found beside agntd or on PATH; set AGNTOS_AGNTCTL to its path");
}

AgntctlTools::AgntctlTools(fs::path agntctl, agntos::Paths paths, size_t output_chars, std::vector<std::string> unset_env)
    : m_agntctl(std::move(agntctl)), m_paths(std::move(paths)), m_output_chars(output_chars), m_unset_env(std::move(unset_env)) {}

agntos::ProcessOptions AgntctlTools::options() const {
  agntos::ProcessOptions options;
  options.env_set["AGNTOS_CONFIG_DIR"] = m_paths.config_dir.string();
  options.env_set["AGNTOS_STATE_DIR"] = m_paths.state_dir.string();
  // The socket this daemon actually serves (--socket wins over the environment), so that
  // run_bash hides that one and not only the default.
  options.env_set["AGNTOS_SOCKET"] = std::filesystem::absolute(m_paths.socket).string();
  options.env_unset = m_unset_env;
  options.timeout = kToolTimeout;
  return options;
}

ToolOutcome AgntctlTools::execute(const ToolSpec& tool, const Json& args, const ToolContext& context,
                                  const std::atomic<bool>& cancel, const ProgressFn& progress) {
  ToolInvocation invocation;
  try {
    invocation = tool.build(args, context);
  } catch (const Error& e) {
    return tool_failure("invalid_arguments", std::string(e.what()) + " (see the " + tool.name + " schema)");
  }
  std::vector<std::string> argv{m_agntctl.string()};
  argv.insert(argv.end(), invocation.args.begin(), invocation.args.end());
  auto options = this->options();
  options.stdin_text = invocation.stdin_text;
  options.cancel = &cancel;
  if (progress && needs_approval(tool, args))
    options.on_output = [&progress](agntos::OutputStream stream, std::string_view chunk) {
      if (stream == agntos::OutputStream::err) progress(chunk);
    };
  try {
    const auto result = agntos::run_process(argv, options);
    return outcome_of(result, m_output_chars);
  } catch (const Error& e) {
    return tool_failure(e.code_name(), e.what());
  }
}

Json AgntctlTools::run_json(const std::vector<std::string>& args, const std::atomic<bool>* cancel) const {
  std::vector<std::string> argv{m_agntctl.string(), "--json"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto options = this->options();
  options.timeout = std::chrono::minutes(2);
  options.cancel = cancel;
  const auto result = agntos::run_process(argv, options);
  const auto outcome = outcome_of(result, std::string::npos);
  if (!outcome.success) {
    const Json& error = outcome.result.is_object() ? outcome.result.value("error", Json::object()) : Json::object();
    const auto code = error.is_object() ? agntos::errc_from_name(error.value("code", std::string())) : std::nullopt;
    throw Error(code.value_or(Errc::failed), tool_error_message(outcome));
  }
  if (!outcome.result.is_object()) throw Error(Errc::failed, "agntctl printed no JSON object for: " + agntos::join(args, " "));
  return outcome.result;
}

ApprovalRequest AgntctlTools::describe(const ToolSpec& tool, const Json& args) {
  // agntctl plans the call itself (`--plan`): the user is shown exactly what the command would
  // do, and asked nothing when it would refuse. The daemon reads no proposal, audit entry or
  // commit of its own.
  ToolContext context;
  context.plan_only = true;
  ToolInvocation invocation = tool.build(args, context);
  std::vector<std::string> argv{m_agntctl.string()};
  argv.insert(argv.end(), invocation.args.begin(), invocation.args.end());
  auto options = this->options();
  options.timeout = std::chrono::minutes(5);
  const auto outcome = outcome_of(agntos::run_process(argv, options), std::string::npos);
  if (!outcome.success) throw Error(Errc::failed, tool_error_message(outcome));
  const auto plan = outcome.result.is_object() ? std::optional<Json>(outcome.result) : std::nullopt;
  if (!plan) throw Error(Errc::failed, "agntctl printed no plan for " + std::string(tool.name));
  if (const Json& refusal = (*plan)["refusal"]; refusal.is_object()) {
    const auto code = agntos::errc_from_name(refusal.value("code", std::string())).value_or(Errc::refused);
    throw Error(code, refusal.value("message", std::string("refused")));
  }
  ApprovalRequest request;
  request.kind = std::string(tool.gate.drives);
  if (request.kind == "apply") request.proposal_id = plan->value("target", std::string());
  request.summary = plan->value("summary", std::string());
  request.effect = plan->value("effect", std::string());
  request.diff = plan->value("diff", std::string());
  request.digest = plan->value("digest", std::string());
  if (const Json& closure = (*plan)["closure"]; closure.is_object()) request.closure = closure.value("text", std::string());
  if (const Json& confirm = (*plan)["confirm"]; confirm.is_object()) request.confirm_timeout_s = confirm.value("timeout_s", 60L);
  if (const Json& system = (*plan)["store_path"]; system.is_string() && request.kind == "apply") request.store_path = system;
  if (const Json& system = (*plan)["store_path"]; system.is_string() && args.value("action", "") == "undo")
    request.store_path = system;
  return request;
}

}  // namespace agntd
