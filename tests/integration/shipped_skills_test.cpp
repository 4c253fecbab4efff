// SPDX-License-Identifier: MIT
// The agntctl commands the shipped skills (skills/*/SKILL.md) tell the agent to run exist as
// written: every `agntctl ...` code span of a skill, and every agntctl line of its fenced
// blocks, runs against the real agntctl (profile backend, temporary dirs) with its placeholders
// filled in, and none may end in a usage error (exit 2). So a skill that names a command, an
// action or a flag agntctl does not have fails here, whatever the skill's prose says.
#include <gtest/gtest.h>

#include <iostream>
#include <map>
#include <set>

#include "common/files.h"
#include "common/text.h"
#include "support/agntctl_runner.h"

namespace agntos::testing {
namespace {

namespace fs = std::filesystem;

struct SkillCommand {
  std::string skill;
  std::string text;  // as the skill shows it, line breaks inside a code span read as spaces
};

std::string collapse_spaces(std::string_view text) {
  std::string collapsed;
  for (const char c : text) {
    const bool space = c == ' ' || c == '\n' || c == '\t';
    if (space && (collapsed.empty() || collapsed.back() == ' ')) continue;
    collapsed += space ? ' ' : c;
  }
  while (!collapsed.empty() && collapsed.back() == ' ') collapsed.pop_back();
  return collapsed;
}

// The agntctl commands of one SKILL.md: inline code spans outside fenced blocks, and lines of
// fenced blocks, that start with "agntctl ".
std::vector<std::string> agntctl_commands(const std::string& markdown) {
  std::vector<std::string> commands;
  std::string prose;  // the text outside fenced blocks, where inline spans live
  bool fenced = false;
  for (const auto& line : split_lines(markdown)) {
    const auto trimmed = collapse_spaces(line);
    if (trimmed.starts_with("```")) {
      fenced = !fenced;
      prose += "\n";
      continue;
    }
    if (fenced) {
      if (trimmed.starts_with("agntctl ")) commands.push_back(trimmed);
      continue;
    }
    prose += line + "\n";
  }
  for (size_t open = prose.find('`'); open != std::string::npos; open = prose.find('`', open)) {
    const size_t close = prose.find('`', open + 1);
    if (close == std::string::npos) break;
    const auto span = collapse_spaces(std::string_view(prose).substr(open + 1, close - open - 1));
    if (span.starts_with("agntctl ")) commands.push_back(span);
    open = close + 1;
  }
  return commands;
}

// Words of a command line as a shell would split it (double quotes group, and are removed).
std::vector<std::string> shell_words(const std::string& line) {
  std::vector<std::string> words;
  std::string word;
  bool quoted = false;
  bool in_word = false;
  for (const char c : line) {
    if (c == '"') {
      quoted = !quoted;
      in_word = true;
    } else if (c == ' ' && !quoted) {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(word);
  return words;
}

// The skill's placeholders (<pkg>, <audit-id>, <N>, ...) filled in with values of the right
// shape; an optional repetition ("[<pkg>...]") is left out; /tmp/ paths move into `root`.
std::vector<std::string> runnable_args(const std::vector<std::string>& words, const fs::path& root) {
  static const std::map<std::string, std::string> values = {
      {"pkg", "htop"}, {"audit-id", "a-1a2b3c"}, {"id", "a-1a2b3c"}, {"N", "1"}, {"words", "htop"}};
  std::vector<std::string> args;
  for (size_t i = 1; i < words.size(); ++i) {  // words[0] is "agntctl"
    std::string word = words[i];
    if (word.starts_with("[") && word.ends_with("]")) continue;
    for (size_t open = word.find('<'); open != std::string::npos; open = word.find('<', open)) {
      const size_t close = word.find('>', open);
      if (close == std::string::npos) break;
      const auto name = word.substr(open + 1, close - open - 1);
      const auto value = values.contains(name) ? values.at(name) : std::string("demo");
      word.replace(open, close - open + 1, value);
      open += value.size();
    }
    if (word.starts_with("/tmp/")) word = (root / word.substr(1)).string();
    args.push_back(word);
  }
  return args;
}

std::vector<SkillCommand> shipped_skill_commands() {
  std::vector<SkillCommand> commands;
  for (const auto& entry : fs::directory_iterator(source_dir() / "skills")) {
    const auto file = entry.path() / "SKILL.md";
    if (!fs::exists(file)) continue;
    for (auto& text : agntctl_commands(read_file(file)))
      commands.push_back(SkillCommand{entry.path().filename().string(), std::move(text)});
  }
  return commands;
}

TEST(ShippedSkills, CommandSpansAreFoundAcrossLineBreaksAndInFencedBlocks) {
  const auto commands = agntctl_commands(
      "See `agntctl rollback\n   generation <N>` and `nix-env -i`.\n```sh\nagntctl inspect disk\n```\n"
      "```nix\n{ }\n```\nNot `agntctl`-like: `agntctlx`, but `agntctl apply`.\n");
  EXPECT_EQ(commands, (std::vector<std::string>{"agntctl inspect disk", "agntctl rollback generation <N>",
                                                "agntctl apply"}));
  EXPECT_EQ(shell_words(R"(agntctl propose --prompt "the user's words" --rationale "")"),
            (std::vector<std::string>{"agntctl", "propose", "--prompt", "the user's words", "--rationale", ""}));
  EXPECT_EQ(runnable_args(shell_words("agntctl propose install <pkg> [<pkg>...] --nix-file /tmp/<name>.nix"), "/r"),
            (std::vector<std::string>{"propose", "install", "htop", "--nix-file", "/r/tmp/demo.nix"}));
}

TEST(ShippedSkills, EveryAgntctlCommandASkillNamesIsOneAgntctlAccepts) {
  const auto commands = shipped_skill_commands();
  std::set<std::string> skills_with_commands;
  for (const auto& command : commands) skills_with_commands.insert(command.skill);
  // Every shipped skill names agntctl commands; finding none means the parsing broke.
  EXPECT_EQ(skills_with_commands.size(), 6u);
  ASSERT_GE(commands.size(), 20u);

  AgntctlEnv env;
  env.use_profile_backend();
  for (const auto& command : commands) {
    auto args = runnable_args(shell_words(command.text), env.root());
    // A bare command name in prose ("do not run `agntctl apply`") names the command: it must exist.
    if (args.size() == 1) args.push_back("--help");
    for (const auto& arg : args)
      if (arg.ends_with(".nix") && arg.starts_with(env.root().string()))
        write_file_atomic(arg, "{ ... }:\n{ }\n", 0644, MakeParents::yes);
    const auto result = env.run(args);
    std::cout << "[ skills   ] " << result.exit_code << " " << command.skill << ": " << command.text << "\n";
    EXPECT_NE(result.exit_code, 2) << command.skill << ": `" << command.text << "` is not a command agntctl accepts:\n"
                                   << result.err;
    EXPECT_GE(result.exit_code, 0) << command.skill << ": `" << command.text << "` did not end normally";
  }
}

}  // namespace
}  // namespace agntos::testing
