// SPDX-License-Identifier: MIT
#pragma once

#include <span>
#include <string_view>

#include "agntctl/command.h"

namespace agntctl {

// Every agntctl command, in the order `agntctl --help` lists them.
std::span<const CommandSpec> command_table();
// The command called `name` or its alias, or nullptr.
const CommandSpec* find_command(std::string_view name);

// The program: global options, table lookup, output printing.
int dispatch(int argc, char** argv);

}  // namespace agntctl
