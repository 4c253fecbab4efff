// SPDX-License-Identifier: MIT
// PLACEHOLDER: replaced by the real implementation of 'agntctl apply'.
#include "agntctl/commands.h"
#include "common/error.h"
namespace agntctl {
Output run_apply(Invocation& inv) {
  CLI::App app{"apply"};
  inv.parse(app);
  throw agntos::Error(agntos::Errc::failed, "apply is not built yet");
}
}  // namespace agntctl
