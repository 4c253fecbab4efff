// SPDX-License-Identifier: MIT
// PLACEHOLDER: replaced by the real implementation of 'agntctl doctor'.
#include "agntctl/commands.h"
#include "common/error.h"
namespace agntctl {
Output run_doctor(Invocation& inv) {
  CLI::App app{"doctor"};
  inv.parse(app);
  throw agntos::Error(agntos::Errc::failed, "doctor is not built yet");
}
}  // namespace agntctl
