// SPDX-License-Identifier: MIT
// PLACEHOLDER: replaced by the real implementation of 'agntctl memory'.
#include "agntctl/commands.h"
#include "common/error.h"
namespace agntctl {
Output run_memory(Invocation& inv) {
  CLI::App app{"memory"};
  inv.parse(app);
  throw agntos::Error(agntos::Errc::failed, "memory is not built yet");
}
}  // namespace agntctl
