// SPDX-License-Identifier: MIT
#include "agntctl/generic_audit.h"

#include <unistd.h>

#include "common/error.h"
#include "common/files.h"

namespace agntctl {

std::filesystem::path generic_audit_log(const agntos::Paths& paths) {
  const auto config_log = paths.audit_log();
  std::error_code ec;
  if (std::filesystem::exists(config_log, ec) ? ::access(config_log.c_str(), W_OK) == 0
                                              : ::access(paths.config_dir.c_str(), W_OK) == 0)
    return config_log;
  return paths.state_audit_log();
}

agntos::AuditEntry record_generic(const agntos::Paths& paths, const std::string& tool, const std::string& summary,
                                  const std::vector<std::string>& files, agntos::AuditStatus status,
                                  const std::string& error) {
  auto entry = agntos::AuditEntry::make(agntos::AuditActionType::generic, summary);
  entry.action.tool = tool;
  entry.files_changed = files;
  entry.result.status = status;
  if (!error.empty()) entry.result.error = error;
  // The state dir's log is private like the rest of the state dir; the config dir's is read by
  // every user's agntctl.
  const auto log = generic_audit_log(paths);
  agntos::AuditLog(log, log == paths.state_audit_log() ? 0600 : 0644).append(entry);
  return entry;
}

namespace {

// /proc/<digits>, /proc/self or /proc/thread-self, then anything.
bool is_process_path(const std::filesystem::path& path) {
  auto it = path.begin();
  if (it == path.end() || *it != "/" || ++it == path.end() || *it != "proc" || ++it == path.end()) return false;
  const std::string entry = it->string();
  return entry == "self" || entry == "thread-self" ||
         (!entry.empty() && entry.find_first_not_of("0123456789") == std::string::npos);
}

[[noreturn]] void refuse(const std::filesystem::path& path, const std::string& why) {
  throw agntos::Error(agntos::Errc::protected_path, path.string() + " is a protected path: " + why);
}

}  // namespace

void refuse_process_path(const std::filesystem::path& path) {
  std::error_code ec;
  const auto written = std::filesystem::absolute(path, ec).lexically_normal();
  if (is_process_path(written) || is_process_path(agntos::resolve_path(path)))
    refuse(path, "the files of processes (/proc/<pid>, /proc/self) hold their secrets and are never read or written "
                 "by these tools");
}

void refuse_protected_path(const agntos::Paths& paths, const std::filesystem::path& path) {
  refuse_process_path(path);
  if (agntos::path_is_within(path, paths.config_dir))
    refuse(path, "it is inside the config dir " + paths.config_dir.string() +
                     "; system changes go through 'agntctl propose' and 'agntctl apply'");
  if (agntos::path_is_within(path, paths.state_dir))
    refuse(path, "it is inside the agent state dir " + paths.state_dir.string() +
                     "; use 'agntctl memory' for memory, and leave sessions and logs to agntd");
  if (agntos::path_is_within(path, paths.socket)) refuse(path, "it is the agntd socket");
  const auto user_config = paths.user_skills_dir.parent_path();
  if (!user_config.empty() && agntos::path_is_within(path, user_config))
    refuse(path, "it is inside " + user_config.string() +
                     ", where the user keeps AgntOS skills; skills are written by people, not by the agent");
}

}  // namespace agntctl
