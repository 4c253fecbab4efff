// SPDX-License-Identifier: MIT
#include "agntctl/command_table.h"

#include <array>

#include "agntctl/commands.h"

namespace agntctl {
namespace {

// The actions of each command: what each needs before it runs and whether it asks the human.
// One unnamed action for a command without actions.
constexpr ActionSpec kReads[] = {{"", Need::none, Confirmation::no}};
constexpr ActionSpec kWrites[] = {{"", Need::recovery, Confirmation::no}};  // write and edit files
constexpr ActionSpec kRuns[] = {{"", Need::recovery | Need::settings, Confirmation::no}};  // bash, memory
constexpr ActionSpec kPropose[] = {{"", Need::recovery | Need::config_dir | Need::settings, Confirmation::no}};
constexpr ActionSpec kApply[] = {{"", kChanges, Confirmation::yes}};
// Recovers by itself: its --watch mode (the watchdog) must not wait for the config lock.
constexpr ActionSpec kConfirm[] = {{"", Need::root, Confirmation::no}};
// The words are agntos::kRollbackActions (the agent's tool table uses them too; a test compares).
constexpr ActionSpec kRollback[] = {
    {"list", Need::recovery | Need::settings, Confirmation::no},  // lists what is live: recovered first
    {"undo", kChanges, Confirmation::yes},
    {"generation", kChanges, Confirmation::yes},
};
constexpr ActionSpec kProposals[] = {
    {"list", Need::recovery, Confirmation::no},
    {"show", Need::recovery, Confirmation::no},
    {"discard", Need::recovery | Need::lock, Confirmation::no},
};
constexpr ActionSpec kModel[] = {
    {"list", Need::none, Confirmation::no},
    {"route", Need::recovery | Need::lock, Confirmation::no},
    {"add", Need::recovery | Need::lock, Confirmation::no},
    {"remove", Need::recovery | Need::lock, Confirmation::no},
};

constexpr std::array kCommands{
    CommandSpec{"inspect", nullptr, "show system state: system, cpu, memory, gpu, disk, network, nixos, agntos",
                kReads, run_inspect},
    CommandSpec{"propose", nullptr, "stage a validated change to the config dir and show its diff", kPropose,
                run_propose},
    CommandSpec{"proposals", nullptr, "list staged proposals (stale ones marked), show one, discard them",
                kProposals, run_proposals},
    CommandSpec{"apply", nullptr, "apply a staged proposal and rebuild, as one transaction", kApply, run_apply},
    CommandSpec{"confirm", nullptr, "keep a change that its confirm-or-revert timer would revert", kConfirm,
                run_confirm},
    CommandSpec{"rollback", nullptr, "list generations, undo an apply exactly, or roll back the whole system",
                kRollback, run_rollback},
    CommandSpec{"audit", nullptr, "list, show and search the audit log", kReads, run_audit},
    CommandSpec{"memory", nullptr, "curated memory: show, add, replace, remove, consolidate, search", kRuns,
                run_memory},
    CommandSpec{"read_file", "read", "print a file with line numbers", kReads, run_read},
    CommandSpec{"write_file", "write", "create or replace a file atomically", kWrites, run_write},
    CommandSpec{"edit_file", "edit", "replace exact text in a file", kWrites, run_edit},
    CommandSpec{"run_bash", "bash", "run a shell command with a timeout and output caps", kRuns, run_bash},
    CommandSpec{"skills", nullptr, "list and show skills", kReads, run_skills},
    CommandSpec{"model", nullptr, "list, route, add and remove LLM profiles in models.toml", kModel, run_model},
    CommandSpec{"doctor", nullptr, "check the installation: Nix, config dir, git state, drift", kReads, run_doctor},
};

}  // namespace

std::span<const CommandSpec> command_table() { return kCommands; }

const CommandSpec* find_command(std::string_view name) {
  for (const auto& command : kCommands)
    if (name == command.name || (command.alias && name == command.alias)) return &command;
  return nullptr;
}

}  // namespace agntctl
