// SPDX-License-Identifier: MIT
#include "agntctl/command_table.h"

#include <array>

#include "agntctl/commands.h"

namespace agntctl {
namespace {

constexpr std::array kCommands{
    CommandSpec{"inspect", nullptr, "show system state: system, cpu, memory, gpu, disk, network, nixos, agntos",
                Mutates::no, Confirmation::no, run_inspect},
    CommandSpec{"propose", nullptr, "stage a validated change to the config dir and show its diff", Mutates::yes,
                Confirmation::no, run_propose},
    CommandSpec{"proposals", nullptr, "list staged proposals (stale ones marked), show one, discard them",
                Mutates::yes, Confirmation::no, run_proposals},
    CommandSpec{"apply", nullptr, "apply a staged proposal and rebuild, as one transaction", Mutates::yes,
                Confirmation::yes, run_apply},
    // Recovers by itself: its --watch mode (the watchdog) must not wait for the config lock.
    CommandSpec{"confirm", nullptr, "keep a change that its confirm-or-revert timer would revert", Mutates::no,
                Confirmation::no, run_confirm},
    CommandSpec{"rollback", nullptr, "list generations, undo an apply exactly, or roll back the whole system",
                Mutates::yes, Confirmation::yes, run_rollback},
    CommandSpec{"audit", nullptr, "list, show and search the audit log", Mutates::no, Confirmation::no, run_audit},
    CommandSpec{"memory", nullptr, "curated memory: show, add, replace, remove, consolidate, search", Mutates::yes,
                Confirmation::no, run_memory},
    CommandSpec{"read_file", "read", "print a file with line numbers", Mutates::no, Confirmation::no, run_read},
    CommandSpec{"write_file", "write", "create or replace a file atomically", Mutates::yes, Confirmation::no,
                run_write},
    CommandSpec{"edit_file", "edit", "replace exact text in a file", Mutates::yes, Confirmation::no, run_edit},
    CommandSpec{"run_bash", "bash", "run a shell command with a timeout and output caps", Mutates::yes,
                Confirmation::no, run_bash},
    CommandSpec{"skills", nullptr, "list and show skills", Mutates::no, Confirmation::no, run_skills},
    CommandSpec{"model", nullptr, "list, route, add and remove LLM profiles in models.toml", Mutates::yes,
                Confirmation::no, run_model},
    CommandSpec{"doctor", nullptr, "check the installation: Nix, config dir, git state, drift", Mutates::no,
                Confirmation::no, run_doctor},
};

}  // namespace

std::span<const CommandSpec> command_table() { return kCommands; }

const CommandSpec* find_command(std::string_view name) {
  for (const auto& command : kCommands)
    if (name == command.name || (command.alias && name == command.alias)) return &command;
  return nullptr;
}

}  // namespace agntctl
