// SPDX-License-Identifier: MIT
#pragma once
// Skills (SPEC §5): Markdown instructions the user runs with "/<name> [text]".
//
// A skill is either a folder <dir>/<name>/SKILL.md or a flat file <dir>/<name>.md (the folder
// wins when both exist). Three dirs are searched, later ones winning on a name clash:
//   shipped  <data dir>/skills     the skills that come with AgntOS
//   system   <config dir>/skills   installed by the administrator
//   user     ~/.config/agntos/skills ($XDG_CONFIG_HOME/agntos/skills)
// The skill's name is its folder or file name ([A-Za-z0-9][A-Za-z0-9._-]*); dot-files are
// skipped. The file may open with front matter between two "---" lines holding
// "key: value" lines; `name` and `description` are used, other keys (and nested YAML under
// them) are ignored. Values may be quoted, and "description: >" or "|" continues on the
// indented lines below. Problems (no closing "---", a line that is not "key: value", a
// `name` that differs from the folder name, an unreadable file) are warnings on the skill;
// they never stop the listing. Without a description in the front matter, the first line of
// the body that is not a heading describes the skill.
//
// Skills reach the model's prompt, so every skill file, whatever its dir, passes the prompt
// scanner (common/memory_scan.h) when it is read. A file that fails is `blocked`: it keeps its
// name (it still shadows lower dirs, so a planted file cannot silently swap in another skill),
// but its description is withheld, the daemon leaves it out of the skill index and
// load_skill_body refuses it; `agntctl skills` reports the reason. The user skills dir is
// written only by people: write_file and edit_file refuse it (agntctl refuse_protected_path)
// and run_bash sees it read-only, so the model cannot plant a skill (docs/skills.md).

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/paths.h"

namespace agntos {

enum class SkillSource { shipped, system, user };
std::string_view skill_source_name(SkillSource source);

struct SkillDir {
  SkillSource source;
  std::filesystem::path path;
};

// The three dirs in precedence order (lowest first).
std::vector<SkillDir> skill_dirs(const Paths& paths);

struct SkillDocument {
  std::optional<std::string> name;         // from the front matter
  std::optional<std::string> description;  // from the front matter
  std::string body;                        // the text after the front matter
  std::vector<std::string> warnings;

  static SkillDocument parse(std::string_view text);
};

struct Skill {
  std::string name;
  std::optional<std::string> description;
  SkillSource source = SkillSource::shipped;
  std::filesystem::path path;                  // the SKILL.md or <name>.md file
  std::vector<std::filesystem::path> shadows;  // same-named skills of lower dirs it hides
  std::vector<std::string> warnings;
  std::optional<std::string> blocked;  // why the prompt scanner refused the file; nullopt: safe

  // {"name","description","source","path","shadows","warnings","blocked"}
  Json to_json() const;
};

// Every skill, sorted by name.
std::vector<Skill> discover_skills(const std::vector<SkillDir>& dirs);
// The skill called `name`, or nullopt.
std::optional<Skill> find_skill(const std::vector<SkillDir>& dirs, std::string_view name);
// The body of a skill's file (front matter removed), scanned again as it is read; throws
// Error(Errc::unsafe_content) naming the reason when the file fails the prompt scanner, and
// an I/O error when it cannot be read.
std::string load_skill_body(const Skill& skill);

}  // namespace agntos
