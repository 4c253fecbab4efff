// SPDX-License-Identifier: MIT
#pragma once
// The rows of docs/BENCHMARKS.md that concern agntd: resident memory (idle, and after 100
// scripted turns), the daemon's own time per tool round, and how long a streamed token takes
// to reach the client.

#include "support/context.h"

namespace agntos::bench {

void daemon_memory_row(const Context& context);
void daemon_round_row(const Context& context);

}  // namespace agntos::bench
