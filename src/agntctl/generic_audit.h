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
                                  const std::vector<std::string>& files, agntos::AuditStatus status = agntos::AuditStatus::success,
                                  const std::string& error = {});

// Refuses (Errc::protected_path) a path that write_file and edit_file must not change: inside
// the config dir (changes go through propose/apply), the state dir or the socket (the agent
// must not touch its own state), the user's AgntOS config dir holding the user skills
// ($XDG_CONFIG_HOME/agntos: skills are put there by people only, so text the model writes
// never becomes a skill), or the files of a process (refuse_process_path).
void refuse_protected_path(const agntos::Paths& paths, const std::filesystem::path& path);

// Refuses (Errc::protected_path) /proc/<pid>/..., /proc/self/... and /proc/thread-self/...,
// as written or after symlinks are resolved: a process's environment, memory, maps, command
// line, descriptors, root and cwd hold its secrets (the API key of agntd). The refusal comes
// before the file is opened or even looked at, and its text depends only on the path as
// given, so it tells nothing about whether the file exists or what it holds. read_file,
// write_file and edit_file all call it.
void refuse_process_path(const std::filesystem::path& path);

}  // namespace agntctl
