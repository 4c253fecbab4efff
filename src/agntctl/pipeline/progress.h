// SPDX-License-Identifier: MIT
#pragma once
// Rebuild output as the person (or agntd) watching sees it: on stderr, each line indented,
// so stdout stays the command's result (text or --json).

#include "agntctl/pipeline/backend.h"

namespace agntctl {

ProgressSink stderr_progress();

}  // namespace agntctl
