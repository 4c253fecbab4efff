// SPDX-License-Identifier: MIT
#include "common/options_index.h"

#include <algorithm>

#include "common/error.h"
#include "common/files.h"
#include "common/option_type.h"
#include "common/text.h"

namespace agntos {
namespace {

bool is_placeholder(std::string_view segment) {
  return segment == "*" || (segment.size() >= 2 && segment.front() == '<' && segment.back() == '>');
}

bool is_identifier(std::string_view segment) {
  if (segment.empty() || !(std::isalpha(static_cast<unsigned char>(segment[0])) || segment[0] == '_')) return false;
  return std::all_of(segment.begin(), segment.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '\'';
  });
}

std::optional<std::string> optional_text(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  return std::nullopt;
}

// The type allows attribute paths below the option (attrsOf, freeform, anything, unknown), and
// whether its (element) submodule is open: attributes other than its declared sub-options.
struct TypeTraits {
  bool attributes = true;
  bool open = false;
};

TypeTraits traits_of(const std::string& description) {
  const OptionType type = OptionType::parse(description);
  TypeTraits traits;
  traits.attributes = type.may_have_attributes();
  const auto open = [](const OptionType& t) {
    if (t.kind == OptionType::Kind::submodule) return t.open;
    if ((t.kind == OptionType::Kind::attrs || t.kind == OptionType::Kind::list) && t.element)
      return t.element->kind == OptionType::Kind::submodule && t.element->open;
    return false;
  };
  traits.open = open(type) || std::any_of(type.alternatives.begin(), type.alternatives.end(), open);
  return traits;
}

}  // namespace

Json OptionInfo::to_json() const {
  return Json{{"name", name},
              {"type", type},
              {"default", json_or_null(default_text)},
              {"description", json_or_null(description)},
              {"declarations", declarations},
              {"readOnly", read_only}};
}

std::vector<std::string> option_path_segments(std::string_view name) {
  std::vector<std::string> segments;
  std::string current;
  bool quoted = false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (quoted) {
      if (c == '\\' && i + 1 < name.size()) current += name[++i];
      else if (c == '"') quoted = false;
      else current += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == '.') {
      segments.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  segments.push_back(std::move(current));
  return segments;
}

std::string option_path_name(const std::vector<std::string>& segments) {
  std::vector<std::string> shown;
  for (const auto& segment : segments)
    shown.push_back(is_identifier(segment) || is_placeholder(segment) ? segment : Json(segment).dump());
  return join(shown, ".");
}

OptionsIndex OptionsIndex::from_json(const Json& list, const std::string& source) {
  if (!list.is_array()) throw Error(Errc::failed, "options index " + source + " is not a JSON list of options");
  OptionsIndex index;
  index.add_node();
  index.m_options.reserve(list.size());
  for (const auto& item : list) {
    if (!item.is_object() || !item.contains("name") || !item["name"].is_string())
      throw Error(Errc::failed, "options index " + source + " has an entry without a name: " + item.dump().substr(0, 200));
    OptionInfo option;
    option.name = item["name"].get<std::string>();
    option.type = item.contains("type") && item["type"].is_string() ? item["type"].get<std::string>() : "unspecified";
    option.default_text = item.contains("default") ? optional_text(item["default"]) : std::nullopt;
    option.description = item.contains("description") ? optional_text(item["description"]) : std::nullopt;
    if (item.contains("declarations") && item["declarations"].is_array())
      for (const auto& file : item["declarations"])
        if (file.is_string()) option.declarations.push_back(file.get<std::string>());
    option.read_only = item.contains("readOnly") && item["readOnly"].is_boolean() && item["readOnly"].get<bool>();
    if (index.m_by_name.count(option.name)) continue;  // the first declaration wins, as in the list
    index.m_by_name.emplace(option.name, index.m_options.size());
    index.m_options.push_back(std::move(option));
  }
  index.m_lower_names.reserve(index.m_options.size());
  for (size_t i = 0; i < index.m_options.size(); ++i) {
    index.insert(i);
    const auto& option = index.m_options[i];
    index.m_lower_names.push_back(to_lower(option.name));
    index.m_lower_descriptions.push_back(option.description ? to_lower(*option.description) : std::string());
    const auto traits = traits_of(option.type);
    index.m_attributes.push_back(traits.attributes);
    index.m_open.push_back(traits.open);
  }
  return index;
}

OptionsIndex OptionsIndex::load(const std::filesystem::path& file) {
  const auto text = read_file_if_exists(file);
  if (!text) throw Error(Errc::not_found, "no options index at " + file.string());
  Json list;
  try {
    list = Json::parse(*text);
  } catch (const std::exception& e) {
    throw Error(Errc::failed, "options index " + file.string() + " is not valid JSON: " + e.what());
  }
  return from_json(list, file.string());
}

size_t OptionsIndex::add_node() {
  m_nodes.emplace_back();
  return m_nodes.size() - 1;
}

void OptionsIndex::insert(size_t option) {
  size_t node = 0;
  for (const auto& segment : option_path_segments(m_options[option].name)) {
    if (is_placeholder(segment)) {
      if (!m_nodes[node].placeholder) {
        const size_t child = add_node();
        m_nodes[node].placeholder = child;
      }
      node = *m_nodes[node].placeholder;
    } else {
      const auto found = m_nodes[node].children.find(segment);
      if (found != m_nodes[node].children.end()) {
        node = found->second;
      } else {
        const size_t child = add_node();
        m_nodes[node].children.emplace(segment, child);
        m_nodes[node].child_names.push_back(segment);
        node = child;
      }
    }
  }
  if (!m_nodes[node].option) m_nodes[node].option = option;
  const auto segments = option_path_segments(m_options[option].name);
  const std::string last = to_lower(segments.back());
  m_by_suffix1[last].push_back(option);
  if (segments.size() >= 2) m_by_suffix2[to_lower(segments[segments.size() - 2]) + "." + last].push_back(option);
}

const OptionInfo* OptionsIndex::find(std::string_view name) const {
  const auto found = m_by_name.find(std::string(name));
  return found == m_by_name.end() ? nullptr : &m_options[found->second];
}

bool OptionsIndex::match_from(size_t node_id, const std::vector<std::string>& path, size_t at, const OptionInfo* open_owner,
                              PathMatch& result, size_t& deepest, size_t& deepest_node) const {
  const Node& node = m_nodes[node_id];
  if (node.option) open_owner = m_open[*node.option] ? &m_options[*node.option] : nullptr;
  if (at > deepest || (at == deepest && deepest_node == 0)) {
    deepest = at;
    deepest_node = node_id;
  }
  if (at == path.size()) {
    result = node.option ? PathMatch{PathMatch::Kind::option, &m_options[*node.option], at}
                         : PathMatch{PathMatch::Kind::group, nullptr, at};
    return true;
  }
  if (const auto child = node.children.find(path[at]); child != node.children.end())
    if (match_from(child->second, path, at + 1, open_owner, result, deepest, deepest_node)) return true;
  if (node.placeholder && match_from(*node.placeholder, path, at + 1, open_owner, result, deepest, deepest_node))
    return true;
  // Below an option with no declared sub-options whose value is an attribute set, or inside an
  // open (freeform) submodule, any attribute is fine.
  if (node.option && node.children.empty() && !node.placeholder && m_attributes[*node.option]) {
    result = PathMatch{PathMatch::Kind::inside, &m_options[*node.option], at};
    return true;
  }
  if (open_owner) {
    result = PathMatch{PathMatch::Kind::inside, open_owner, at};
    return true;
  }
  return false;
}

PathMatch OptionsIndex::match(const std::vector<std::string>& path) const {
  PathMatch result;
  if (m_nodes.empty() || path.empty()) return result;
  size_t deepest = 0;
  size_t deepest_node = 0;
  if (match_from(0, path, 0, nullptr, result, deepest, deepest_node)) return result;
  result = PathMatch{PathMatch::Kind::unknown, nullptr, deepest};
  // A path that goes below an option that has no attributes ("networking.firewall.enable.x").
  if (const auto& node = m_nodes[deepest_node]; node.option && node.children.empty() && !node.placeholder)
    result.option = &m_options[*node.option];
  return result;
}

void OptionsIndex::complete_from(size_t node_id, const std::vector<std::string>& path, size_t at,
                                 std::vector<std::string>& written, int repairs_left,
                                 std::vector<std::pair<size_t, std::string>>& found, size_t cost) const {
  const Node& node = m_nodes[node_id];
  if (at == path.size()) {
    if (node.option) found.emplace_back(cost, option_path_name(written));
    return;
  }
  const std::string& segment = path[at];
  const auto descend = [&](size_t child, const std::string& shown, size_t extra, int repairs) {
    written.push_back(shown);
    complete_from(child, path, at + 1, written, repairs, found, cost + extra);
    written.pop_back();
  };
  if (const auto child = node.children.find(segment); child != node.children.end()) descend(child->second, segment, 0, repairs_left);
  if (node.placeholder) descend(*node.placeholder, segment, 0, repairs_left);
  if (repairs_left <= 0) return;
  const std::string lower = to_lower(segment);
  const size_t allowed = std::max<size_t>(2, lower.size() / 3);
  for (const auto& name : node.child_names) {
    if (name == segment) continue;
    const std::string other = to_lower(name);
    // Cheap bound first: lengths that differ by more than the allowance cannot be close.
    if ((other.size() > lower.size() ? other.size() - lower.size() : lower.size() - other.size()) > allowed) continue;
    const size_t distance = edit_distance(lower, other);
    if (distance <= allowed) descend(node.children.at(name), name, distance + 1, repairs_left - 1);
  }
}

std::vector<std::string> OptionsIndex::suggestions(const std::vector<std::string>& path, size_t limit) const {
  std::vector<std::pair<size_t, std::string>> found;
  if (m_nodes.empty() || path.empty()) return {};
  // 1. Typos: follow the trie from the root, allowing two segments to be near misses.
  std::vector<std::string> written;
  complete_from(0, path, 0, written, 2, found, 0);
  // 2. The same option elsewhere: options that end in the path's last two segments
  //    (services.docker.enable -> virtualisation.docker.enable), then in its last segment when
  //    that is distinctive (timezone -> time.timeZone; not "enable").
  const std::string last = to_lower(path.back());
  const auto add_suffix = [&](const std::vector<size_t>& ids, size_t base) {
    for (const size_t id : ids)
      found.emplace_back(base + edit_distance(to_lower(join(path, ".")), m_lower_names[id]) / 4, m_options[id].name);
  };
  if (path.size() >= 2)
    if (const auto hit = m_by_suffix2.find(to_lower(path[path.size() - 2]) + "." + last); hit != m_by_suffix2.end())
      add_suffix(hit->second, 10);
  if (const auto hit = m_by_suffix1.find(last); hit != m_by_suffix1.end() && hit->second.size() <= 12) add_suffix(hit->second, 20);
  std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> names;
  const std::string asked = option_path_name(path);
  for (const auto& [cost, name] : found) {
    if (names.size() >= limit) break;
    if (name != asked && std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  return names;
}

std::vector<const OptionInfo*> OptionsIndex::search(std::string_view query, size_t limit) const {
  std::vector<const OptionInfo*> result;
  const std::string text = trim(query);
  if (text.empty() || m_nodes.empty()) return result;
  const bool one_word = text.find_first_of(" \t") == std::string::npos;
  if (one_word && text.find('.') != std::string::npos) {
    const auto segments = option_path_segments(text);
    const auto matched = match(segments);
    if (matched.kind == PathMatch::Kind::option || matched.kind == PathMatch::Kind::inside) return {matched.option};
    if (matched.kind == PathMatch::Kind::group) {
      // The options below the group, by name (a walk of the trie from the group's node).
      std::vector<size_t> stack;
      size_t node = 0;
      for (const auto& segment : segments) {
        const auto& n = m_nodes[node];
        if (const auto child = n.children.find(segment); child != n.children.end()) node = child->second;
        else if (n.placeholder) node = *n.placeholder;
      }
      stack.push_back(node);
      while (!stack.empty()) {
        const size_t id = stack.back();
        stack.pop_back();
        if (m_nodes[id].option) result.push_back(&m_options[*m_nodes[id].option]);
        for (const auto& [name, child] : m_nodes[id].children) stack.push_back(child);
        if (m_nodes[id].placeholder) stack.push_back(*m_nodes[id].placeholder);
      }
      std::sort(result.begin(), result.end(), [](const OptionInfo* a, const OptionInfo* b) { return a->name < b->name; });
      if (result.size() > limit) result.resize(limit);
      return result;
    }
    for (const auto& name : suggestions(segments, limit)) {
      const auto again = match(option_path_segments(name));
      if (again.option) result.push_back(again.option);
    }
    if (!result.empty()) return result;
  }
  const auto tokens = words(text);
  if (tokens.empty()) return result;
  std::vector<std::pair<long, size_t>> scored;
  for (size_t i = 0; i < m_options.size(); ++i) {
    long score = 0;
    for (const auto& token : tokens) {
      const size_t at = m_lower_names[i].find(token);
      if (at != std::string::npos) {
        score += 10;
        // A whole segment ("docker" in virtualisation.docker.enable) counts more than a part.
        const size_t end = at + token.size();
        if ((at == 0 || m_lower_names[i][at - 1] == '.') && (end == m_lower_names[i].size() || m_lower_names[i][end] == '.'))
          score += 10;
      } else if (m_lower_descriptions[i].find(token) != std::string::npos) {
        score += 2;
      } else {
        score = -1;
        break;
      }
    }
    if (score > 0) scored.emplace_back(score, i);
  }
  std::sort(scored.begin(), scored.end(), [&](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first > b.first;
    if (m_options[a.second].name.size() != m_options[b.second].name.size())
      return m_options[a.second].name.size() < m_options[b.second].name.size();
    return m_options[a.second].name < m_options[b.second].name;
  });
  for (size_t i = 0; i < scored.size() && i < limit; ++i) result.push_back(&m_options[scored[i].second]);
  return result;
}

}  // namespace agntos
