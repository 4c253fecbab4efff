// SPDX-License-Identifier: MIT
// PLACEHOLDER: replaced by the real implementation of 'agntctl skills'.
#include "agntctl/commands.h"
#include "common/error.h"
namespace agntctl {
Output run_skills(Invocation& inv) {
  CLI::App app{"skills"};
  inv.parse(app);
  throw agntos::Error(agntos::Errc::failed, "skills is not built yet");
}
}  // namespace agntctl
