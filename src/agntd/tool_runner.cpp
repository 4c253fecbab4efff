// SPDX-License-Identifier: MIT
#include "agntd/tool_runner.h"

#include <unistd.h>

#include <cstdlib>
#include <set>

#include "common/audit.h"
#include "common/error.h"
#include "common/files.h"
#include "common/git_repo.h"
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

ToolOutcome outcome_of(const agntos::ProcessResult& result, size_t cap) {
  if (result.cancelled) return tool_failure("cancelled", "cancelled by the user; the tool was stopped");
  if (result.timed_out) return tool_failure("timeout", "the tool ran too long and was stopped");
  const auto json = parse_object(result.out);
  ToolOutcome outcome;
  if (result.exit_code == 0) {
    outcome.success = true;
    outcome.output = json ? json->dump(-1, ' ', false, Json::error_handler_t::replace) : agntos::trim(result.out);
  } else if (json && json->contains("error")) {
    outcome.output = Json{{"error", (*json)["error"]}}.dump(-1, ' ', false, Json::error_handler_t::replace);
  } else {
    const auto err = agntos::trim(result.err);
    outcome = tool_failure("failed", err.empty() ? "agntctl exited with status " + std::to_string(result.exit_code)
                                                 : last_chars(err, 2000));
  }
  outcome.output = cap_output(outcome.output, cap);
  return outcome;
}

bool is_id(const std::string& text, std::string_view prefix) {
  if (text.size() <= prefix.size() + 1 || text.compare(0, prefix.size(), prefix) != 0 || text[prefix.size()] != '-')
    return false;
  return text.find_first_not_of("0123456789abcdef", prefix.size() + 1) == std::string::npos;
}

std::string arg_string(const Json& args, const char* key) {
  if (args.is_object() && args.contains(key) && args[key].is_string()) return args[key].get<std::string>();
  return {};
}

}  // namespace

ToolOutcome tool_failure(std::string_view code, std::string_view message) {
  return ToolOutcome{Json{{"error", {{"code", code}, {"message", message}}}}.dump(-1, ' ', false, Json::error_handler_t::replace),
                     false};
}

std::string tool_error_message(const ToolOutcome& outcome) {
  if (auto json = parse_object(outcome.output); json && json->contains("error")) {
    const Json& error = (*json)["error"];
    if (error.is_object() && error.contains("message") && error["message"].is_string())
      return error["message"].get<std::string>();
    if (error.is_string()) return error.get<std::string>();
  }
  return outcome.output;
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
  if (progress && tool.gated == Gated::yes)
    options.on_output = [&progress](agntos::OutputStream stream, std::string_view chunk) {
      if (stream == agntos::OutputStream::err) progress(chunk);
    };
  try {
    return outcome_of(agntos::run_process(argv, options), m_output_chars);
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
  if (!outcome.success) throw Error(Errc::failed, tool_error_message(outcome));
  auto json = parse_object(outcome.output);
  if (!json) throw Error(Errc::failed, "agntctl printed no JSON object for: " + agntos::join(args, " "));
  return *json;
}

ApprovalRequest AgntctlTools::describe(const ToolSpec& tool, const Json& args) {
  ApprovalRequest request;
  const std::string name = tool.name;
  if (name == "apply") {
    request.kind = "apply";
    const auto id = arg_string(args, "id");
    if (!is_id(id, "p")) throw Error(Errc::usage, "'" + id + "' is not a proposal id (p-<hex>); propose first");
    const auto text = agntos::read_file_if_exists(m_paths.proposals_dir() / (id + ".json"));
    if (!text) throw Error(Errc::not_found, "there is no pending proposal " + id + " (already applied, or never made); propose again");
    const auto proposal = agntos::parse_json(*text, "proposal " + id);
    request.proposal_id = id;
    request.summary = proposal.value("summary", std::string("(no summary)"));
    request.diff = proposal.value("diff", std::string());
    return request;
  }
  if (name != "rollback") throw Error(Errc::failed, name + " needs no approval");
  request.kind = "rollback";
  const auto action = arg_string(args, "action");
  const auto target = arg_string(args, "target");
  if (action == "undo") {
    // The same choice agntctl rollback undo makes: the given entry, else the last successful
    // apply that was not undone yet.
    const auto entries = agntos::AuditLog(m_paths.audit_log()).read_all();
    std::set<std::string> undone;
    for (const auto& entry : entries)
      if (entry.undoes && entry.status == "Success") undone.insert(*entry.undoes);
    const agntos::AuditEntry* chosen = nullptr;
    for (const auto& entry : entries) {
      if (!target.empty() ? entry.id == target
                          : (entry.status == "Success" && entry.action_type() == "Apply" && !undone.count(entry.id)))
        chosen = &entry;
    }
    if (!chosen)
      throw Error(Errc::not_found, target.empty() ? std::string("there is no applied change left to undo")
                                                  : "no audit entry " + target + "; see audit list");
    request.summary = "Undo " + chosen->id + ": " + chosen->summary;
    std::string diff = "Restores exactly the files " + chosen->id + " (" + chosen->timestamp.substr(0, 19) +
                       ") changed, then rebuilds.\n";
    if (chosen->prompt) diff += "It was made for: \"" + *chosen->prompt + "\"\n";
    std::error_code ec;
    if (chosen->commit && fs::exists(m_paths.config_dir / ".git", ec)) {
      try {
        auto repo = agntos::GitRepo::open_or_init(m_paths.config_dir);
        if (auto parent = repo.parent_of(*chosen->commit)) {
          const auto before = repo.files_at(*parent);
          diff += "\n";
          for (const auto& file : chosen->files_changed) {
            const auto path = fs::path(file).lexically_relative(m_paths.config_dir).string();
            const auto it = before.find(path);
            diff += agntos::unified_diff(path, agntos::read_file_if_exists(m_paths.config_dir / path),
                                         it == before.end() ? std::nullopt : std::optional<std::string>(it->second));
          }
        }
      } catch (const Error&) {
        // The description is best effort; undo itself checks everything again.
      }
    } else {
      for (const auto& file : chosen->files_changed) diff += "  " + file + "\n";
    }
    request.diff = diff;
    return request;
  }
  if (action == "generation") {
    const auto list = run_json({"rollback", "list"});
    std::optional<long long> current;
    std::optional<long long> number;
    if (!target.empty()) {
      try {
        number = std::stoll(target);
      } catch (const std::exception&) {
        throw Error(Errc::usage, "'" + target + "' is not a generation number");
      }
    }
    const Json generations = list.value("generations", Json::array());
    for (const auto& generation : generations)
      if (generation.value("current", false)) current = generation.value("number", 0LL);
    if (!number)
      for (const auto& generation : generations)
        if (current && generation.value("number", 0LL) < *current) number = generation.value("number", 0LL);
    if (!number) throw Error(Errc::not_found, "there is no generation before the current one to roll back to");
    request.summary = "Roll the whole system back to generation " + std::to_string(*number) +
                      (current ? " (running: " + std::to_string(*current) + ")" : "");
    std::string diff = "Switches the system profile to generation " + std::to_string(*number) +
                       " and restores the config tree recorded for it. It reverts:\n";
    for (const auto& generation : generations) {
      const auto n = generation.value("number", 0LL);
      if (n <= *number || (current && n > *current)) continue;
      diff += "  generation " + std::to_string(n) + ": " +
              (generation["summary"].is_string() ? generation["summary"].get<std::string>() : "(not made by AgntOS)");
      if (generation["prompt"].is_string()) diff += " (\"" + generation["prompt"].get<std::string>() + "\")";
      diff += "\n";
    }
    request.diff = diff;
    return request;
  }
  throw Error(Errc::usage, "rollback action '" + action + "' needs no approval");
}

}  // namespace agntd
