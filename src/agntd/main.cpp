// SPDX-License-Identifier: MIT
#include "agntd/program.h"
#include "common/run_main.h"

int main(int argc, char** argv) { return agntos::run_main(argc, argv, agntd::run); }
