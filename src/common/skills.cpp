// SPDX-License-Identifier: MIT
#include "common/skills.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <system_error>

#include "common/error.h"
#include "common/files.h"
#include "common/memory_scan.h"
#include "common/text.h"

namespace agntos {
namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxSkillBytes = 256 * 1024;
constexpr size_t kMaxFallbackDescription = 160;

bool valid_skill_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) return false;
  }
  return true;
}

// A YAML scalar as written after "key:": quotes removed, escapes of double quotes honoured.
std::string unquote(const std::string& value, size_t line_number, std::vector<std::string>& warnings) {
  if (value.empty() || (value.front() != '"' && value.front() != '\'')) return value;
  const char quote = value.front();
  std::string result;
  for (size_t i = 1; i < value.size(); ++i) {
    const char c = value[i];
    if (quote == '"' && c == '\\' && i + 1 < value.size()) {
      const char next = value[++i];
      result += next == 'n' ? '\n' : next == 't' ? '\t' : next;
      continue;
    }
    if (c == quote) {
      if (quote == '\'' && i + 1 < value.size() && value[i + 1] == '\'') {
        result += '\'';
        ++i;
        continue;
      }
      if (!trim(value.substr(i + 1)).empty())
        warnings.push_back("front matter line " + std::to_string(line_number) + ": text after the closing quote");
      return result;
    }
    result += c;
  }
  warnings.push_back("front matter line " + std::to_string(line_number) + ": the quote is not closed");
  return value;
}

std::optional<std::string> fallback_description(std::string_view body) {
  for (const auto& line : split_lines(body)) {
    std::string text = trim(line);
    const bool has_word = std::any_of(text.begin(), text.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80;
    });
    if (!has_word || text.starts_with("#") || text.starts_with("```")) continue;  // "---", rules, fences
    if (utf8_length(text) > kMaxFallbackDescription) {
      text = std::string(utf8_prefix(text, kMaxFallbackDescription)) + "...";
    }
    return text;
  }
  return std::nullopt;
}

Skill read_skill(const std::string& name, const fs::path& file, SkillSource source) {
  Skill skill;
  skill.name = name;
  skill.source = source;
  skill.path = file;
  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  if (ec) {
    skill.warnings.push_back("cannot read " + file.string() + ": " + ec.message());
    return skill;
  }
  if (size > kMaxSkillBytes) {
    skill.warnings.push_back("the file is larger than " + std::to_string(kMaxSkillBytes / 1024) +
                             " KiB; it is not read");
    return skill;
  }
  std::string text;
  try {
    text = read_file(file);
  } catch (const Error& e) {
    skill.warnings.push_back(e.what());
    return skill;
  }
  auto document = SkillDocument::parse(text);
  skill.warnings = std::move(document.warnings);
  if (auto finding = scan_prompt_text(text)) {
    skill.blocked = finding->reason;
    return skill;  // nothing of the file is shown, not even its description
  }
  skill.description = document.description;
  if (document.name && *document.name != name)
    skill.warnings.push_back("front matter name '" + *document.name + "' differs from the " +
                             (file.filename() == "SKILL.md" ? "folder" : "file") + " name; the skill is called '" +
                             name + "'");
  return skill;
}

}  // namespace

std::string_view skill_source_name(SkillSource source) {
  switch (source) {
    case SkillSource::shipped:
      return "shipped";
    case SkillSource::system:
      return "system";
    case SkillSource::user:
      return "user";
  }
  return "shipped";
}

std::vector<SkillDir> skill_dirs(const Paths& paths) {
  return {{SkillSource::shipped, paths.data_dir / "skills"},
          {SkillSource::system, paths.system_skills_dir()},
          {SkillSource::user, paths.user_skills_dir}};
}

SkillDocument SkillDocument::parse(std::string_view text) {
  SkillDocument document;
  auto lines = split_lines(text);
  for (auto& line : lines)
    if (line.ends_with('\r')) line.pop_back();

  size_t body_start = 0;
  if (!lines.empty() && trim(lines[0]) == "---") {
    size_t close = 0;
    for (size_t i = 1; i < lines.size() && !close; ++i)
      if (lines[i] == "---" || lines[i] == "...") close = i;
    if (!close) {
      document.warnings.push_back("the front matter has no closing '---' line; the whole file is read as the body");
    } else {
      body_start = close + 1;
      std::string* block = nullptr;  // description or name continued on indented lines
      bool folded = false;
      std::optional<std::string> name;
      std::optional<std::string> description;
      for (size_t i = 1; i < close; ++i) {
        const std::string& line = lines[i];
        const size_t number = i + 1;
        if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
          if (block) {
            const std::string piece = trim(line);
            if (!block->empty()) *block += folded ? " " : "\n";
            *block += piece;
          }
          continue;  // nested YAML under a key we do not use
        }
        block = nullptr;
        const std::string trimmed = trim(line);
        if (trimmed.empty() || trimmed.starts_with("#")) continue;
        const size_t colon = trimmed.find(':');
        if (colon == std::string::npos || colon == 0) {
          document.warnings.push_back("front matter line " + std::to_string(number) + ": expected 'key: value', got '" +
                                      trimmed + "'");
          continue;
        }
        const std::string key = trim(trimmed.substr(0, colon));
        const std::string value = trim(trimmed.substr(colon + 1));
        std::optional<std::string>* target = key == "name" ? &name : key == "description" ? &description : nullptr;
        if (!target) continue;
        if (value == ">" || value == ">-" || value == ">+" || value == "|" || value == "|-" || value == "|+") {
          *target = std::string();
          block = &**target;
          folded = value[0] == '>';
          continue;
        }
        *target = unquote(value, number, document.warnings);
      }
      for (auto* field : {&name, &description}) {
        if (!*field) continue;
        **field = trim(**field);
        if ((*field)->empty()) {
          document.warnings.push_back(std::string("the front matter '") + (field == &name ? "name" : "description") +
                                      "' is empty");
          field->reset();
        }
      }
      document.name = std::move(name);
      document.description = std::move(description);
    }
  }

  std::vector<std::string> body_lines(lines.begin() + static_cast<long>(body_start), lines.end());
  while (!body_lines.empty() && trim(body_lines.front()).empty()) body_lines.erase(body_lines.begin());
  document.body = join(body_lines, "\n");
  if (!document.body.empty()) document.body += "\n";
  if (!document.description) document.description = fallback_description(document.body);
  return document;
}

Json Skill::to_json() const {
  Json shadowed = Json::array();
  for (const auto& path_shadowed : shadows) shadowed.push_back(path_shadowed.string());
  return Json{{"name", name},
              {"description", json_or_null(description)},
              {"source", skill_source_name(source)},
              {"path", path.string()},
              {"shadows", shadowed},
              {"warnings", warnings},
              {"blocked", json_or_null(blocked)}};
}

std::vector<Skill> discover_skills(const std::vector<SkillDir>& dirs) {
  std::map<std::string, Skill> skills;
  for (const auto& dir : dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir.path, ec)) continue;
    std::map<std::string, Skill> here;
    std::vector<fs::path> children;
    for (fs::directory_iterator it(dir.path, ec), end; !ec && it != end; it.increment(ec))
      children.push_back(it->path());
    std::sort(children.begin(), children.end());
    // Folders first, so a folder beats a flat file of the same name.
    std::stable_partition(children.begin(), children.end(), [](const fs::path& p) {
      std::error_code e;
      return fs::is_directory(p, e);
    });
    for (const auto& child : children) {
      const std::string filename = child.filename().string();
      if (filename.starts_with(".")) continue;
      std::string name;
      fs::path file;
      std::error_code e;
      if (fs::is_directory(child, e)) {
        file = child / "SKILL.md";
        if (!fs::is_regular_file(file, e)) continue;
        name = filename;
      } else if (fs::is_regular_file(child, e) && child.extension() == ".md" && to_lower(filename) != "readme.md") {
        file = child;
        name = child.stem().string();
      } else {
        continue;
      }
      if (!valid_skill_name(name)) continue;
      if (auto existing = here.find(name); existing != here.end()) {
        existing->second.warnings.push_back(file.string() + " has the same name and is ignored");
        continue;
      }
      here.emplace(name, read_skill(name, file, dir.source));
    }
    for (auto& [name, skill] : here) {
      if (auto lower = skills.find(name); lower != skills.end()) {
        skill.shadows = std::move(lower->second.shadows);
        skill.shadows.push_back(lower->second.path);
        lower->second = std::move(skill);
      } else {
        skills.emplace(name, std::move(skill));
      }
    }
  }
  std::vector<Skill> result;
  for (auto& [name, skill] : skills) result.push_back(std::move(skill));
  return result;
}

std::optional<Skill> find_skill(const std::vector<SkillDir>& dirs, std::string_view name) {
  auto skills = discover_skills(dirs);
  for (auto& skill : skills)
    if (skill.name == name) return std::move(skill);
  for (auto& skill : skills)
    if (to_lower(skill.name) == to_lower(name)) return std::move(skill);
  return std::nullopt;
}

std::string load_skill_body(const Skill& skill) {
  const std::string text = read_file(skill.path);
  if (auto finding = scan_prompt_text(text))
    throw Error(Errc::unsafe_content, "skill '" + skill.name + "' (" + skill.path.string() + ") is not loaded: " +
                                          finding->reason + "; a person must fix or remove the file");
  return SkillDocument::parse(text).body;
}

}  // namespace agntos
