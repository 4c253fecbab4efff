// SPDX-License-Identifier: MIT
#include "agnt/program.h"
#include "common/run_main.h"

int main(int argc, char** argv) { return agntos::run_main(argc, argv, agnt::run); }
