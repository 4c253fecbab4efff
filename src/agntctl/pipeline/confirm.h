// SPDX-License-Identifier: MIT
#pragma once
// The human's yes (SPEC §3.2 step 2, §4 promise 1).

#include <optional>
#include <string>

namespace agntctl {

// With --yes: returns `approved_by` if given (e.g. "client:1000" from agntd), else "--yes".
// Otherwise, on a terminal: shows `details` (the diff) on stderr through visible_text (control
// characters shown, never obeyed: the diff holds text the model wrote), asks `question` with default
// No and returns "tty" on y/yes. Anything else, or no terminal, throws Error(Errc::not_confirmed).
std::string obtain_confirmation(bool yes, const std::optional<std::string>& approved_by, const std::string& question,
                                const std::string& details);

}  // namespace agntctl
