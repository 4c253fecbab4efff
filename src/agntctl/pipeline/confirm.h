// SPDX-License-Identifier: MIT
#pragma once
// The human's yes on a terminal (SPEC §3.2 step 2, §4 promise 1); Invocation::confirm decides when
// it is asked and turns the answer into an Approval.

#include <string>

namespace agntctl {

// Shows `details` (the diff) on stderr through visible_text (control characters shown, never
// obeyed: the diff holds text the model wrote) and asks `question` with default No. Returns on
// y/yes; anything else, or no terminal, throws Error(Errc::not_confirmed).
void ask_on_terminal(const std::string& question, const std::string& details);

}  // namespace agntctl
