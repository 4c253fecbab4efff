// SPDX-License-Identifier: MIT
#pragma once
// One handler per command, each in commands/<name>.cpp. The table in command_table.cpp is the
// only list of them.

#include "agntctl/command.h"

namespace agntctl {

Output run_inspect(Invocation&);
Output run_read(Invocation&);
Output run_write(Invocation&);
Output run_edit(Invocation&);
Output run_bash(Invocation&);
Output run_audit(Invocation&);
Output run_propose(Invocation&);
Output run_proposals(Invocation&);
Output run_apply(Invocation&);
Output run_confirm(Invocation&);
Output run_rollback(Invocation&);
Output run_memory(Invocation&);
Output run_skills(Invocation&);
Output run_model(Invocation&);
Output run_doctor(Invocation&);

}  // namespace agntctl
