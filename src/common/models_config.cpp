// SPDX-License-Identifier: MIT
#include "common/models_config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdlib>
#include <map>

#include "common/error.h"
#include "common/secret_env.h"
#include "common/files.h"
#include "common/text.h"

namespace agntos {
namespace {

constexpr const char* kOpenAiEndpoint = "https://api.openai.com/v1";
constexpr const char* kAnthropicEndpoint = "https://api.anthropic.com/v1";

// What one table says, before [default]'s values fill the gaps.
struct RawProfile {
  std::string name;
  uint32_t line = 0;
  std::optional<std::string> provider, endpoint, model, api_key_env;
  std::optional<long> max_tokens;
  std::optional<double> temperature;
  std::optional<bool> supports_tools;
};

bool is_env_name(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::string at_line(const std::string& where, const toml::node& node) {
  return where + ":" + std::to_string(node.source().begin.line);
}

RawProfile read_profile(const toml::table& table, const std::string& name, const std::string& where) {
  RawProfile raw;
  raw.name = name;
  raw.line = table.source().begin.line;
  const std::string label = name == "default" ? "[default]" : "profile '" + name + "'";
  auto string_key = [&](const char* key, std::optional<std::string>& out) {
    const toml::node* node = table.get(key);
    if (!node) return;
    const auto value = node->value<std::string>();
    if (!value) throw Error(Errc::failed, at_line(where, *node) + ": " + label + ": " + key + " must be a string");
    out = *value;
  };
  string_key("provider", raw.provider);
  string_key("endpoint", raw.endpoint);
  string_key("model", raw.model);
  // api_key_env is checked without ever echoing its value: a user who pasted the key itself
  // here must not see it repeated in a log or terminal.
  if (const toml::node* node = table.get("api_key_env")) {
    const auto value = node->value<std::string>();
    if (!value || (!value->empty() && !is_env_name(*value)))
      throw Error(Errc::failed, at_line(where, *node) + ": " + label +
                                    ": api_key_env must be the NAME of an environment variable (letters, digits, _), "
                                    "not the key itself; put the key in that variable");
    raw.api_key_env = *value;
  }
  if (const toml::node* node = table.get("provider"); node && raw.provider &&
      *raw.provider != "openai" && *raw.provider != "anthropic" && *raw.provider != "offline")
    throw Error(Errc::failed, at_line(where, *node) + ": " + label + ": provider = \"" + *raw.provider +
                                  "\" is not one of \"openai\", \"anthropic\", \"offline\"");
  if (const toml::node* node = table.get("max_tokens")) {
    const auto value = node->is_integer() ? node->value<int64_t>() : std::nullopt;
    if (!value || *value <= 0)
      throw Error(Errc::failed, at_line(where, *node) + ": " + label + ": max_tokens must be a positive integer");
    raw.max_tokens = static_cast<long>(*value);
  }
  if (const toml::node* node = table.get("temperature")) {
    const auto value = (node->is_floating_point() || node->is_integer()) ? node->value<double>() : std::nullopt;
    if (!value || *value < 0)
      throw Error(Errc::failed, at_line(where, *node) + ": " + label + ": temperature must be a number >= 0");
    raw.temperature = *value;
  }
  if (const toml::node* node = table.get("supports_tools")) {
    const auto value = node->value<bool>();
    if (!value) throw Error(Errc::failed, at_line(where, *node) + ": " + label + ": supports_tools must be true or false");
    raw.supports_tools = *value;
  }
  return raw;
}

ModelProfile finish_profile(const RawProfile& raw, const RawProfile* defaults, const std::string& where) {
  // A key the profile leaves out comes from [default] - except that a profile naming another
  // provider than [default]'s takes nothing provider-specific from it (an Anthropic profile
  // must not inherit a local server's endpoint and model).
  auto effective_provider = [](const RawProfile& profile) {
    return profile.provider.value_or(profile.endpoint && !profile.endpoint->empty() ? "openai" : "offline");
  };
  const bool same_provider = defaults && (!raw.provider || *raw.provider == effective_provider(*defaults));
  auto pick = [&](const auto& own, auto member) { return own || !defaults ? own : (*defaults).*member; };
  auto pick_specific = [&](const auto& own, auto member) { return own || !same_provider ? own : (*defaults).*member; };
  const auto provider = pick(raw.provider, &RawProfile::provider);
  const auto endpoint = pick_specific(raw.endpoint, &RawProfile::endpoint);
  const auto model = pick_specific(raw.model, &RawProfile::model);
  const auto key_env = pick_specific(raw.api_key_env, &RawProfile::api_key_env);
  const auto max_tokens = pick(raw.max_tokens, &RawProfile::max_tokens);
  const auto temperature = pick(raw.temperature, &RawProfile::temperature);
  const auto tools = pick(raw.supports_tools, &RawProfile::supports_tools);

  ModelProfile profile;
  profile.name = raw.name;
  const std::string label = where + ":" + std::to_string(raw.line) + ": " +
                            (raw.name == "default" ? "[default]" : "profile '" + raw.name + "'");
  if (provider) {
    profile.provider = *provider == "anthropic" ? ProviderKind::anthropic
                       : *provider == "offline" ? ProviderKind::offline
                                                : ProviderKind::openai;
  } else {
    profile.provider = endpoint && !endpoint->empty() ? ProviderKind::openai : ProviderKind::offline;
  }
  profile.endpoint = endpoint.value_or("");
  while (!profile.endpoint.empty() && profile.endpoint.back() == '/') profile.endpoint.pop_back();
  profile.model = model.value_or("");
  profile.api_key_env = key_env.value_or("");
  if (max_tokens) profile.max_tokens = *max_tokens;
  profile.temperature = temperature;
  if (tools) profile.supports_tools = *tools;

  if (profile.provider != ProviderKind::offline) {
    if (profile.endpoint.empty())
      profile.endpoint = profile.provider == ProviderKind::anthropic ? kAnthropicEndpoint : kOpenAiEndpoint;
    if (!starts_with(profile.endpoint, "http://") && !starts_with(profile.endpoint, "https://"))
      throw Error(Errc::failed, label + ": endpoint \"" + profile.endpoint + "\" must start with http:// or https://");
    if (profile.model.empty())
      throw Error(Errc::failed, label + ": model is required for provider " +
                                    std::string(provider_name(profile.provider)) + " (set it here or in [default])");
  }
  return profile;
}

}  // namespace

std::string_view provider_name(ProviderKind kind) {
  switch (kind) {
    case ProviderKind::openai: return "openai";
    case ProviderKind::anthropic: return "anthropic";
    case ProviderKind::offline: return "offline";
  }
  return "offline";
}

Json ModelProfile::to_json() const {
  auto or_null = [](const std::string& value) { return value.empty() ? Json(nullptr) : Json(value); };
  return Json{{"name", name},
              {"provider", provider_name(provider)},
              {"endpoint", or_null(endpoint)},
              {"model", or_null(model)},
              {"api_key_env", or_null(api_key_env)},
              {"max_tokens", max_tokens},
              {"temperature", json_or_null(temperature)},
              {"supports_tools", supports_tools}};
}

ModelProfile offline_profile() {
  ModelProfile profile;
  profile.name = "offline";
  profile.provider = ProviderKind::offline;
  return profile;
}

bool is_valid_profile_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

ModelsConfig ModelsConfig::load(const std::filesystem::path& file) {
  const auto text = read_file_if_exists(file);
  if (!text) {
    ModelsConfig config;
    config.file = file;
    return config;
  }
  auto config = parse(*text, file.string());
  config.file = file;
  config.file_exists = true;
  return config;
}

ModelsConfig ModelsConfig::parse(std::string_view text, const std::string& where) {
  toml::table root;
  try {
    root = toml::parse(text, where);
  } catch (const toml::parse_error& e) {
    throw Error(Errc::failed, where + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description()) +
                                  " (fix the file, or remove it to use the offline provider)");
  }

  std::vector<RawProfile> raws;
  const RawProfile* defaults = nullptr;
  std::optional<RawProfile> default_raw;
  auto add = [&](RawProfile raw, const toml::node& node) {
    for (const auto& existing : raws)
      if (existing.name == raw.name)
        throw Error(Errc::failed, at_line(where, node) + ": profile '" + raw.name + "' is defined twice");
    raws.push_back(std::move(raw));
  };
  for (auto&& [key, node] : root) {
    const std::string name(key.str());
    const toml::table* table = node.as_table();
    if (name == "default") {
      if (!table) throw Error(Errc::failed, at_line(where, node) + ": default must be a table ([default])");
      add(read_profile(*table, "default", where), node);
    } else if (name == "profiles") {
      if (!table) throw Error(Errc::failed, at_line(where, node) + ": profiles must be a table ([profiles.<name>])");
      for (auto&& [profile_key, profile_node] : *table) {
        const std::string profile_name(profile_key.str());
        const toml::table* profile_table = profile_node.as_table();
        if (!profile_table)
          throw Error(Errc::failed, at_line(where, profile_node) + ": profiles." + profile_name +
                                        " must be a table ([profiles." + profile_name + "])");
        add(read_profile(*profile_table, profile_name, where), profile_node);
      }
    } else if (name == "routing") {
      if (!table) throw Error(Errc::failed, at_line(where, node) + ": routing must be a table ([routing])");
    } else if (table && (table->contains("endpoint") || table->contains("model"))) {
      add(read_profile(*table, name, where), node);  // legacy flat profile table
    }
  }
  std::sort(raws.begin(), raws.end(), [](const RawProfile& a, const RawProfile& b) { return a.line < b.line; });
  for (const auto& raw : raws)
    if (raw.name == "default") default_raw = raw;
  if (default_raw) defaults = &*default_raw;

  ModelsConfig config;
  for (const auto& raw : raws) config.profiles.push_back(finish_profile(raw, raw.name == "default" ? nullptr : defaults, where));

  if (const toml::table* routing = root["routing"].as_table()) {
    std::vector<std::pair<uint32_t, std::pair<std::string, std::string>>> routes;
    for (auto&& [key, node] : *routing) {
      const std::string task_class(key.str());
      const auto target = node.value<std::string>();
      if (!target)
        throw Error(Errc::failed, at_line(where, node) + ": [routing] " + task_class + " must be a profile name (a string)");
      if (!config.find(*target)) {
        std::vector<std::string> known;
        for (const auto& profile : config.profiles) known.push_back(profile.name);
        throw Error(Errc::failed, at_line(where, node) + ": [routing] " + task_class + " = \"" + *target +
                                      "\" names no profile (known: " + (known.empty() ? "none" : join(known, ", ")) + ")");
      }
      routes.push_back({node.source().begin.line, {task_class, *target}});
    }
    std::sort(routes.begin(), routes.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& route : routes) config.routes.push_back(std::move(route.second));
  }
  return config;
}

const ModelProfile* ModelsConfig::find(std::string_view name) const {
  for (const auto& profile : profiles)
    if (profile.name == name) return &profile;
  return nullptr;
}

std::optional<std::string> ModelsConfig::route(std::string_view task_class) const {
  for (const auto& [from, to] : routes)
    if (from == task_class) return to;
  return std::nullopt;
}

ModelProfile ModelsConfig::resolve(std::string_view task_class) const {
  if (const auto target = route(task_class))
    if (const ModelProfile* profile = find(*target)) return *profile;
  if (const ModelProfile* profile = find("default")) return *profile;
  return offline_profile();
}

std::optional<std::string> read_api_key(const ModelProfile& profile) {
  if (profile.api_key_env.empty()) return std::nullopt;
  // agntd has moved the key out of its environment at start (secret_env.h).
  const auto value = secret_variable(profile.api_key_env);
  if (!value || value->empty())
    throw Error(Errc::failed, "the environment variable " + profile.api_key_env + " (api_key_env of models.toml profile '" +
                                  profile.name + "') is not set; export it before starting agntd, or remove api_key_env "
                                  "for an endpoint that needs no key");
  return *value;
}

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

// ---------------------------------------------------------------------------------------------
// ModelsTomlEditor

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

}  // namespace agntos
