// SPDX-License-Identifier: MIT
// agntctl skills [list] | show <name>
#include <algorithm>
#include <iostream>

#include "agntctl/commands.h"
#include "common/error.h"
#include "common/skills.h"
#include "common/text.h"

namespace agntctl {
namespace {

using agntos::Errc;
using agntos::Error;

// Warnings go to stderr for people; --json carries them in each skill's "warnings".
void print_warnings(const agntos::Skill& skill) {
  for (const auto& warning : skill.warnings) std::cerr << "warning: " << skill.path.string() << ": " << warning << "\n";
}

[[noreturn]] void not_found(const std::vector<agntos::SkillDir>& dirs, const std::string& name) {
  std::string message = "no skill called '" + name + "'";
  const auto skills = agntos::discover_skills(dirs);
  const agntos::Skill* closest = nullptr;
  size_t best = 3;
  for (const auto& skill : skills) {
    const size_t distance = agntos::edit_distance(agntos::to_lower(name), agntos::to_lower(skill.name));
    if (distance < best) {
      best = distance;
      closest = &skill;
    }
  }
  if (closest) message += " (did you mean '" + closest->name + "'?)";
  throw Error(Errc::not_found, message + "; 'agntctl skills list' shows them all");
}

}  // namespace

Output run_skills(Invocation& inv) {
  CLI::App app{
      "Skills: Markdown instructions the agent follows when the user runs /<name>.\n"
      "Searched in the shipped skills, <config dir>/skills and ~/.config/agntos/skills\n"
      "(later dirs win on a name clash); <name>/SKILL.md or <name>.md, optional front\n"
      "matter with name and description.\n"
      "  skills list           every skill with its description (or why it is blocked)\n"
      "  skills show <name>    one skill's instructions"};
  std::string action = "list";
  std::vector<std::string> rest;
  app.add_option("action", action, "list | show")->check(CLI::IsMember({"list", "show"}));
  app.add_option("args", rest, "the skill's name for show");
  inv.parse(app);

  const auto dirs = agntos::skill_dirs(inv.paths());
  Output output;
  if (action == "show") {
    if (rest.size() != 1) throw Error(Errc::usage, "usage: agntctl skills show <name>");
    auto skill = agntos::find_skill(dirs, rest[0]);
    if (!skill) not_found(dirs, rest[0]);
    // A blocked skill is refused with the scanner's reason (load_skill_body).
    const std::string body = agntos::load_skill_body(*skill);
    if (!inv.json()) print_warnings(*skill);
    output.json = skill->to_json();
    output.json["body"] = body;
    output.text = skill->name + " (" + std::string(agntos::skill_source_name(skill->source)) + ": " +
                  skill->path.string() + ")\n";
    if (skill->description) output.text += *skill->description + "\n";
    output.text += "\n" + body;
    return output;
  }
  if (!rest.empty()) throw Error(Errc::usage, "skills list takes no arguments (did you mean 'skills show NAME'?)");

  const auto skills = agntos::discover_skills(dirs);
  Json list = Json::array();
  size_t width = 4;
  for (const auto& skill : skills) width = std::max(width, skill.name.size());
  for (const auto& skill : skills) {
    list.push_back(skill.to_json());
    output.text += skill.name + std::string(width + 2 - skill.name.size(), ' ') +
                   std::string(agntos::skill_source_name(skill.source)) +
                   std::string(9 - agntos::skill_source_name(skill.source).size(), ' ') +
                   (skill.blocked ? "BLOCKED, not loaded: " + *skill.blocked
                                  : skill.description.value_or("(no description)")) +
                   "\n";
    if (!inv.json()) print_warnings(skill);
  }
  Json searched = Json::array();
  for (const auto& dir : dirs) {
    std::error_code ec;
    searched.push_back(Json{{"source", agntos::skill_source_name(dir.source)},
                            {"path", dir.path.string()},
                            {"exists", std::filesystem::is_directory(dir.path, ec)}});
  }
  if (skills.empty()) {
    output.text = "no skills found; searched:\n";
    for (const auto& dir : dirs) output.text += "  " + dir.path.string() + "\n";
  }
  output.json = Json{{"skills", list}, {"count", skills.size()}, {"dirs", searched}};
  return output;
}

}  // namespace agntctl
