// SPDX-License-Identifier: MIT
#pragma once
// `agntd --repl`: a foreground conversation for debugging. Prompts are read from stdin one
// line each, the answer streams to stdout, tool activity and progress go to stderr, and an
// approval is asked on the terminal ("Apply? [y/N]", default no, same timeout as the socket).
// Ctrl-C (SIGINT) cancels the running turn; SIGTERM or end of input ends the REPL. The
// conversation is a session in sessions.db like any other.

#include "agntd/agent.h"

namespace agntd {

// `signal_fd` delivers one byte per signal (the signal number). Returns the exit status.
int run_repl(Agent& agent, int signal_fd);

}  // namespace agntd
