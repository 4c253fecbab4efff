// SPDX-License-Identifier: MIT
// PLACEHOLDER: replaced by the real implementation of 'agntctl propose'.
#include "agntctl/commands.h"
#include "common/error.h"
namespace agntctl {
Output run_propose(Invocation& inv) {
  CLI::App app{"propose"};
  inv.parse(app);
  throw agntos::Error(agntos::Errc::failed, "propose is not built yet");
}
}  // namespace agntctl
