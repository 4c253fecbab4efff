// SPDX-License-Identifier: MIT
#pragma once
// Audit entries of the user-level tools (write_file, edit_file, run_bash): action type Generic,
// written to the config dir's audit.jsonl when this process can write it, otherwise to the
// state dir's (SPEC §3.4).

#include <filesystem>
#include <string>
#include <vector>

#include "common/audit.h"
#include "common/paths.h"

namespace agntctl {

// The log a user-level entry goes to.
std::filesystem::path generic_audit_log(const agntos::Paths& paths);

// Records one Generic entry. `tool` is "write_file", "edit_file" or "run_bash".
agntos::AuditEntry record_generic(const agntos::Paths& paths, const std::string& tool, const std::string& summary,
                                  const std::vector<std::string>& files, const std::string& status = "Success",
                                  const std::string& error = {});

// Refuses (Errc::protected_path) a path inside the config dir, the state dir or the socket:
// changes there go through propose/apply, and the agent must not touch its own state.
void refuse_protected_path(const agntos::Paths& paths, const std::filesystem::path& path);

}  // namespace agntctl
