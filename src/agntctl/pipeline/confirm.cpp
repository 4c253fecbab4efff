// SPDX-License-Identifier: MIT
#include "agntctl/pipeline/confirm.h"

#include <unistd.h>

#include <iostream>

#include "common/error.h"
#include "common/text.h"

namespace agntctl {

void ask_on_terminal(const std::string& question, const std::string& details) {
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
  if (answer != "y" && answer != "yes") throw agntos::Error(agntos::Errc::not_confirmed, "not confirmed; nothing was changed");
}

}  // namespace agntctl
