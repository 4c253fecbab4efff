// SPDX-License-Identifier: MIT
#pragma once
// The slash commands of agnt, in one table: /help prints it, tab completion and the
// "did you mean" suggestion read it, and dispatch_slash() runs from it.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace agnt {

class ChatClient;

struct SlashCommand {
  const char* name;     // without the slash
  const char* args;     // "" when it takes none
  const char* summary;
  void (*run)(ChatClient& client, const std::string& args);
};

std::span<const SlashCommand> slash_commands();

// Runs a line that starts with '/': a command of the table, else a skill (`/<skill> [text]`
// sends the skill's instructions and the text as the turn), else an error that names the
// closest command or skill.
void dispatch_slash(ChatClient& client, const std::string& line);

// The command or skill name closest to `name` (edit distance), or nullopt when none is close.
std::optional<std::string> closest_command(std::string_view name, const std::vector<std::string>& skills);

// "/name" words for completion: commands and skills that start with `prefix` ("/he").
std::vector<std::string> complete_slash(const std::string& prefix, const std::vector<std::string>& skills);

}  // namespace agnt
