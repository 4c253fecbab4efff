// SPDX-License-Identifier: MIT
#pragma once

namespace agntd {

// The whole program; main() hands argc/argv here through agntos::run_main.
int run(int argc, char** argv);

}  // namespace agntd
