// SPDX-License-Identifier: MIT
#include "agntctl/command_table.h"
#include "common/run_main.h"

int main(int argc, char** argv) { return agntos::run_main(argc, argv, agntctl::dispatch); }
