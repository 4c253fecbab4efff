// SPDX-License-Identifier: MIT
#include "agntctl/models_toml_editor.h"

#include <algorithm>

#include "common/text.h"

namespace agntctl {

using agntos::split;
using agntos::starts_with;
using agntos::trim;

std::string toml_quote(std::string_view value) {
  std::string out = "\"";
  for (const char c : value) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          static const char hex[] = "0123456789ABCDEF";
          out += "\\u00";
          out += hex[(static_cast<unsigned char>(c) >> 4) & 0xf];
          out += hex[static_cast<unsigned char>(c) & 0xf];
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

namespace {

bool is_blank(std::string_view line) { return trim(line).empty(); }
bool is_comment(std::string_view line) {
  const std::string trimmed = trim(line);
  return !trimmed.empty() && trimmed[0] == '#';
}

// "[ profiles . \"fast\" ] # note" -> "profiles.fast"; "[[x]]" -> "[[x]]"; other lines -> nullopt.
std::optional<std::string> header_name(std::string_view line) {
  const std::string trimmed = trim(line);
  if (trimmed.empty() || trimmed[0] != '[') return std::nullopt;
  const bool array = trimmed.size() > 1 && trimmed[1] == '[';
  std::string name;
  std::string part;
  char quote = 0;
  size_t i = array ? 2 : 1;
  for (; i < trimmed.size(); ++i) {
    const char c = trimmed[i];
    if (quote) {
      if (c == quote) quote = 0;
      else part += c;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '.') {
      name += trim(part) + ".";
      part.clear();
    } else if (c == ']') {
      break;
    } else {
      part += c;
    }
  }
  if (i == trimmed.size()) return std::nullopt;  // no closing bracket: not a header
  name += trim(part);
  return array ? "[[" + name + "]]" : name;
}

// The bare or quoted key at the start of a key/value line, or nullopt.
std::optional<std::string> line_key(std::string_view line) {
  const std::string trimmed = trim(line);
  if (trimmed.empty() || trimmed[0] == '#' || trimmed[0] == '[') return std::nullopt;
  std::string key;
  size_t i = 0;
  if (trimmed[0] == '"' || trimmed[0] == '\'') {
    const size_t close = trimmed.find(trimmed[0], 1);
    if (close == std::string::npos) return std::nullopt;
    key = trimmed.substr(1, close - 1);
    i = close + 1;
  } else {
    while (i < trimmed.size() && trimmed[i] != '=' && trimmed[i] != ' ' && trimmed[i] != '\t') key += trimmed[i++];
  }
  while (i < trimmed.size() && (trimmed[i] == ' ' || trimmed[i] == '\t')) ++i;
  if (i >= trimmed.size() || trimmed[i] != '=') return std::nullopt;
  return key;
}

// The trailing " # comment" of a key/value line (from the whitespace before '#'), or "".
std::string trailing_comment(std::string_view line) {
  const size_t eq = line.find('=');
  if (eq == std::string_view::npos) return {};
  char quote = 0;
  for (size_t i = eq + 1; i < line.size(); ++i) {
    const char c = line[i];
    if (quote) {
      if (quote == '"' && c == '\\') ++i;
      else if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '#') {
      size_t start = i;
      while (start > eq + 1 && (line[start - 1] == ' ' || line[start - 1] == '\t')) --start;
      return std::string(line.substr(start));
    }
  }
  return {};
}

// The multi-line string delimiter (""" or ''') still open at the end of `line`, given the one
// open at its start (nullptr: none). Strings, escapes and comments are followed as TOML reads
// them, so three quotes in a comment or inside a one-line string open nothing.
const char* open_after(std::string_view line, const char* open) {
  size_t i = 0;
  while (i < line.size()) {
    const char c = line[i];
    if (open) {
      if (open[0] == '"' && c == '\\') {
        i += 2;  // an escaped character, quotes included
      } else if (c == open[0]) {
        size_t run = 0;
        for (; i < line.size() && line[i] == open[0]; ++i) ++run;
        if (run >= 3) open = nullptr;  // up to two more quotes belong to the string: """a"""""
      } else {
        ++i;
      }
    } else if (c == '#') {
      break;  // a comment runs to the end of the line
    } else if (c == '"' || c == '\'') {
      if (line.substr(i, 3) == std::string(3, c)) {
        open = c == '"' ? "\"\"\"" : "'''";
        i += 3;
        continue;
      }
      for (++i; i < line.size() && line[i] != c; ++i)
        if (c == '"' && line[i] == '\\') ++i;
      ++i;  // past the closing quote
    } else {
      ++i;
    }
  }
  return open;
}

}  // namespace

ModelsTomlEditor::ModelsTomlEditor(std::string_view text) {
  m_lines = split(text, '\n');
  // split() of "a\n" gives {"a", ""}: the final empty element stands for the trailing newline
  // and is dropped here; text() adds it back.
  if (!m_lines.empty() && m_lines.back().empty()) m_lines.pop_back();
  classify();
}

void ModelsTomlEditor::classify() {
  m_headers.assign(m_lines.size(), std::nullopt);
  m_in_multiline_string.assign(m_lines.size(), false);
  // Lines inside """ or ''' strings can look like anything; track them so that they are
  // never taken for a header or a key.
  const char* open = nullptr;
  for (size_t i = 0; i < m_lines.size(); ++i) {
    const std::string& line = m_lines[i];
    if (open) {
      m_in_multiline_string[i] = true;
      open = open_after(line, open);
      continue;
    }
    m_headers[i] = header_name(line);
    open = open_after(line, nullptr);
  }
}

std::string ModelsTomlEditor::text() const {
  std::string out;
  for (const auto& line : m_lines) out += line + "\n";
  return out;
}

ModelsTomlEditor::Block ModelsTomlEditor::block_at(size_t header) const {
  Block block{header, header + 1, m_lines.size()};
  for (size_t i = header + 1; i < m_lines.size(); ++i) {
    if (m_headers[i]) {
      block.end = i;
      break;
    }
  }
  // Blank lines and comments just before the next header belong to that header, not here.
  for (size_t i = block.end; i > header + 1; --i) {
    const std::string& line = m_lines[i - 1];
    if (m_in_multiline_string[i - 1] || (!is_blank(line) && !is_comment(line))) {
      block.content_end = i;
      break;
    }
  }
  return block;
}

std::vector<ModelsTomlEditor::Block> ModelsTomlEditor::all_tables() const {
  std::vector<Block> blocks;
  for (size_t i = 0; i < m_lines.size(); ++i)
    if (m_headers[i]) blocks.push_back(block_at(i));
  return blocks;
}

std::optional<ModelsTomlEditor::Block> ModelsTomlEditor::find_table(std::string_view dotted_name) const {
  for (size_t i = 0; i < m_lines.size(); ++i)
    if (m_headers[i] && *m_headers[i] == dotted_name) return block_at(i);
  return std::nullopt;
}

std::optional<ModelsTomlEditor::Block> ModelsTomlEditor::find_profile_table(std::string_view name) const {
  if (name == "default") return find_table("default");
  if (auto block = find_table("profiles." + std::string(name))) return block;
  if (name == "profiles" || name == "routing") return std::nullopt;
  return find_table(name);  // legacy flat table
}

bool ModelsTomlEditor::has_profile_table(std::string_view name) const { return find_profile_table(name).has_value(); }

std::optional<size_t> ModelsTomlEditor::find_key(const Block& block, std::string_view key) const {
  for (size_t i = block.header + 1; i < block.end; ++i) {
    if (m_in_multiline_string[i]) continue;
    if (const auto found = line_key(m_lines[i]); found && *found == key) return i;
  }
  return std::nullopt;
}

void ModelsTomlEditor::set_key(const Block& block, std::string_view key, std::string_view toml_value) {
  if (const auto index = find_key(block, key)) {
    std::string& line = m_lines[*index];
    const std::string indent = line.substr(0, line.find_first_not_of(" \t"));
    line = indent + std::string(key) + " = " + std::string(toml_value) + trailing_comment(line);
    return;
  }
  // New key: after the table's last key, indented like the key before it.
  std::string indent;
  if (block.content_end > block.header + 1) {
    const std::string& previous = m_lines[block.content_end - 1];
    indent = previous.substr(0, previous.find_first_not_of(" \t"));
  }
  m_lines.insert(m_lines.begin() + static_cast<long>(block.content_end),
                 indent + std::string(key) + " = " + std::string(toml_value));
  classify();
}

void ModelsTomlEditor::insert_table(size_t at, std::vector<std::string> table_lines) {
  if (at > 0 && !is_blank(m_lines[at - 1])) table_lines.insert(table_lines.begin(), "");
  if (at < m_lines.size() && !is_blank(m_lines[at])) table_lines.push_back("");
  m_lines.insert(m_lines.begin() + static_cast<long>(at), table_lines.begin(), table_lines.end());
  classify();
}

bool ModelsTomlEditor::set_profile(std::string_view name, const std::vector<std::pair<std::string, std::string>>& values) {
  if (auto block = find_profile_table(name)) {
    for (const auto& [key, value] : values) {
      set_key(*block, key, toml_quote(value));
      block = block_at(block->header);
    }
    return false;
  }
  std::vector<std::string> table{name == "default" ? "[default]" : "[profiles." + std::string(name) + "]"};
  for (const auto& [key, value] : values) table.push_back(key + " = " + toml_quote(value));

  const auto tables = all_tables();
  // Comments directly above a header describe that table; insert above them.
  auto above_comments = [&](size_t header) {
    size_t at = header;
    while (at > 0 && is_comment(m_lines[at - 1]) && !m_in_multiline_string[at - 1]) --at;
    return at;
  };
  size_t at = m_lines.size();
  if (name == "default") {
    if (!tables.empty()) at = above_comments(tables.front().header);
  } else {
    // After the last profile table, legacy flat ones included (a plain table with an endpoint
    // or model key, as ModelsConfig::parse reads them).
    std::optional<Block> last_profile;
    for (const auto& block : tables) {
      const std::string& header = *m_headers[block.header];
      const bool legacy = header.find('.') == std::string::npos && header != "routing" && header != "profiles" &&
                          header.find('[') == std::string::npos &&
                          (find_key(block, "endpoint") || find_key(block, "model"));
      if (header == "default" || starts_with(header, "profiles.") || legacy) last_profile = block;
    }
    if (last_profile) {
      at = last_profile->content_end;
    } else if (const auto routing = find_table("routing")) {
      at = above_comments(routing->header);
    }
  }
  insert_table(at, std::move(table));
  return true;
}

bool ModelsTomlEditor::remove_profile(std::string_view name) {
  const auto block = find_profile_table(name);
  if (!block) return false;
  size_t begin = block->header;
  size_t end = block->content_end;
  m_lines.erase(m_lines.begin() + static_cast<long>(begin), m_lines.begin() + static_cast<long>(end));
  // Leave at most one blank line where the table was, and none at the very end.
  while (begin < m_lines.size() && is_blank(m_lines[begin]) &&
         (begin == 0 || is_blank(m_lines[begin - 1]) || begin + 1 == m_lines.size()))
    m_lines.erase(m_lines.begin() + static_cast<long>(begin));
  while (!m_lines.empty() && is_blank(m_lines.back())) m_lines.pop_back();
  classify();
  return true;
}

void ModelsTomlEditor::set_route(std::string_view task_class, std::string_view profile) {
  if (const auto block = find_table("routing")) {
    set_key(*block, task_class, toml_quote(profile));
    return;
  }
  insert_table(m_lines.size(), {"[routing]", std::string(task_class) + " = " + toml_quote(profile)});
}

bool ModelsTomlEditor::remove_route(std::string_view task_class) {
  const auto block = find_table("routing");
  if (!block) return false;
  const auto index = find_key(*block, task_class);
  if (!index) return false;
  m_lines.erase(m_lines.begin() + static_cast<long>(*index));
  classify();
  return true;
}

}  // namespace agntctl
