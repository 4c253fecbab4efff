// SPDX-License-Identifier: MIT
#include "agntctl/pipeline/confirm.h"

#include <unistd.h>

#include <iostream>

#include "common/error.h"
#include "common/text.h"

namespace agntctl {

std::string obtain_confirmation(bool yes, const std::optional<std::string>& approved_by, const std::string& question,
                                const std::string& details) {
  if (approved_by && !yes)
    throw agntos::Error(agntos::Errc::usage, "--approved-by records who approved; it needs --yes");
  if (yes) return approved_by.value_or("--yes");
  if (!::isatty(STDIN_FILENO) || !::isatty(STDERR_FILENO))
    throw agntos::Error(agntos::Errc::not_confirmed,
                        "confirmation needed and there is no terminal to ask on; review the change and pass --yes");
  // The diff and summary hold text the model wrote: escape sequences in it must show, not act
  // (a hidden line would be approved unseen).
  std::cerr << agntos::visible_text(details) << (details.empty() || details.back() == '\n' ? "" : "\n")
            << agntos::visible_text(question) << " [y/N] " << std::flush;
  std::string answer;
  std::getline(std::cin, answer);
  answer = agntos::to_lower(agntos::trim(answer));
  if (answer == "y" || answer == "yes") return "tty";
  throw agntos::Error(agntos::Errc::not_confirmed, "not confirmed; nothing was changed");
}

}  // namespace agntctl
