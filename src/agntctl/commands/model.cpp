// SPDX-License-Identifier: MIT
// PLACEHOLDER: replaced by the real implementation of 'agntctl model'.
#include "agntctl/commands.h"
#include "common/error.h"
namespace agntctl {
Output run_model(Invocation& inv) {
  CLI::App app{"model"};
  inv.parse(app);
  throw agntos::Error(agntos::Errc::failed, "model is not built yet");
}
}  // namespace agntctl
