// SPDX-License-Identifier: MIT
// PLACEHOLDER: replaced by the real implementation of 'agntctl rollback'.
#include "agntctl/commands.h"
#include "common/error.h"
namespace agntctl {
Output run_rollback(Invocation& inv) {
  CLI::App app{"rollback"};
  inv.parse(app);
  throw agntos::Error(agntos::Errc::failed, "rollback is not built yet");
}
}  // namespace agntctl
