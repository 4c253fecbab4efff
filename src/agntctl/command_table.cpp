// SPDX-License-Identifier: MIT
#include "agntctl/command_table.h"

#include <array>

#include "agntctl/commands.h"

namespace agntctl {
namespace {

constexpr std::array kCommands{
    CommandSpec{"inspect", nullptr, "show system state: system, cpu, memory, gpu, disk, network, nixos, agntos",
                Mutates::no, Confirmation::no, run_inspect},
    CommandSpec{"audit", nullptr, "list, show and search the audit log", Mutates::no, Confirmation::no, run_audit},
    CommandSpec{"read_file", "read", "print a file with line numbers", Mutates::no, Confirmation::no, run_read},
    CommandSpec{"write_file", "write", "create or replace a file atomically", Mutates::yes, Confirmation::no,
                run_write},
    CommandSpec{"edit_file", "edit", "replace exact text in a file", Mutates::yes, Confirmation::no, run_edit},
    CommandSpec{"run_bash", "bash", "run a shell command with a timeout and output caps", Mutates::yes,
                Confirmation::no, run_bash},
};

}  // namespace

std::span<const CommandSpec> command_table() { return kCommands; }

const CommandSpec* find_command(std::string_view name) {
  for (const auto& command : kCommands)
    if (name == command.name || (command.alias && name == command.alias)) return &command;
  return nullptr;
}

}  // namespace agntctl
