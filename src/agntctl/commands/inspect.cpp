// SPDX-License-Identifier: MIT
// placeholder replaced by the inspect implementation
#include "agntctl/commands.h"
#include "common/error.h"
namespace agntctl {
Output run_inspect(Invocation& inv) {
  CLI::App app{"inspect"};
  inv.parse(app);
  throw agntos::Error(agntos::Errc::failed, "inspect is not built yet");
}
}  // namespace agntctl
