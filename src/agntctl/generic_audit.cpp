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
                                  const std::vector<std::string>& files, const std::string& status,
                                  const std::string& error) {
  auto entry = agntos::AuditEntry::make("Generic", summary);
  entry.action["tool"] = tool;
  entry.files_changed = files;
  entry.status = status;
  if (!error.empty()) entry.error = error;
  agntos::AuditLog(generic_audit_log(paths)).append(entry);
  return entry;
}

void refuse_protected_path(const agntos::Paths& paths, const std::filesystem::path& path) {
  if (agntos::path_is_within(path, paths.config_dir))
    throw agntos::Error(agntos::Errc::protected_path,
                        path.string() + " is inside the config dir " + paths.config_dir.string() +
                            "; system changes go through 'agntctl propose' and 'agntctl apply'");
  if (agntos::path_is_within(path, paths.state_dir))
    throw agntos::Error(agntos::Errc::protected_path,
                        path.string() + " is inside the agent state dir " + paths.state_dir.string() +
                            "; use 'agntctl memory' for memory, and leave sessions and logs to agntd");
  if (agntos::path_is_within(path, paths.socket))
    throw agntos::Error(agntos::Errc::protected_path, path.string() + " is the agntd socket; it cannot be written");
}

}  // namespace agntctl
