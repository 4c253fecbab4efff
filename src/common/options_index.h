// SPDX-License-Identifier: MIT
#pragma once
// The options index of a system (the `agntos/options.json` of a generation, written by
// nix/options/index.nix): every visible, non-internal option with its type, default and
// description. agntctl checks option paths against it and searches it.
//
// Names are NixOS's: "networking.firewall.allowedTCPPorts", with placeholders for the
// attribute names of attrsOf/listOf submodules ("users.users.<name>.isNormalUser",
// "fileSystems.<name>.device", "....*.x"). A definition path ("users.users.ada.isNormalUser")
// matches an option when each segment equals the option's segment or stands where the option
// has a placeholder.
//
// Speed: the names are held in a segment trie, so a path check costs one map lookup per
// segment; "did you mean" looks only at the children of the node where the path left the trie
// and at the options that end in the same segments (a suffix table), never at every name;
// search() scans the names once (lowercased at load time). With 25,000 options a check with
// suggestions takes well under a millisecond (bench/options_bench.cpp, docs/BENCHMARKS.md).

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/json.h"

namespace agntos {

struct OptionInfo {
  std::string name;
  std::string type;                          // the type's description
  std::optional<std::string> default_text;   // rendered Nix, or nullopt when none
  std::optional<std::string> description;
  std::vector<std::string> declarations;
  bool read_only = false;

  Json to_json() const;  // {name, type, default, description, declarations, readOnly}
};

// The segments of an option name or attribute path: "a.\"b.c\".d" -> a, b.c, d.
std::vector<std::string> option_path_segments(std::string_view name);
// The name for segments: "a", "b.c", "d" -> a."b.c".d (segments that are not identifiers quoted).
std::string option_path_name(const std::vector<std::string>& segments);

struct PathMatch {
  enum class Kind {
    option,   // the path is an option
    inside,   // the path is below an option whose value is an attribute set (attrsOf, freeform, ...)
    group,    // the path is a prefix of options (a set of options), not an option
    unknown,  // no option has this path
  };
  Kind kind = Kind::unknown;
  const OptionInfo* option = nullptr;  // option, inside: the option
  // unknown: how many leading segments did match (the path left the index after them).
  size_t matched_segments = 0;
};

class OptionsIndex {
public:
  OptionsIndex() = default;
  // From the JSON list of nix/options/index.nix. Throws Error(Errc::failed) naming `source`
  // when it is not such a list.
  static OptionsIndex from_json(const Json& list, const std::string& source);
  // From a file holding that JSON. Throws Error(Errc::not_found / failed).
  static OptionsIndex load(const std::filesystem::path& file);

  size_t size() const { return m_options.size(); }
  const std::vector<OptionInfo>& options() const { return m_options; }

  // The option with exactly this name (placeholders included), or nullptr.
  const OptionInfo* find(std::string_view name) const;
  // Where the attribute path falls. Literal segments win over placeholders.
  PathMatch match(const std::vector<std::string>& path) const;
  PathMatch match(std::string_view dotted_path) const { return match(option_path_segments(dotted_path)); }

  // Up to `limit` existing option names closest to an unknown path, best first, written with
  // the path's own attribute names where the option has placeholders
  // ("users.users.ada.isNormalUsr" -> "users.users.ada.isNormalUser"; "services.docker.enable"
  // -> "virtualisation.docker.enable"; "timezone" -> "time.timeZone").
  std::vector<std::string> suggestions(const std::vector<std::string>& path, size_t limit = 3) const;

  // Options for "words" or a path: an option path gives that option (or, for a group, the
  // options below it); words give the options whose name (most weight) or description holds
  // every word, best first.
  std::vector<const OptionInfo*> search(std::string_view query, size_t limit = 20) const;

private:
  struct Node {
    std::map<std::string, size_t> children;    // literal segment -> node
    std::optional<size_t> placeholder;         // "<name>", "*", ... -> node
    std::optional<size_t> option;              // index into m_options
    std::vector<std::string> child_names;      // literal children, for "did you mean"
  };
  size_t add_node();
  void insert(size_t option);
  // Depth-first match of path[at..] below `node` (literal children before placeholders);
  // records the deepest node reached, where "did you mean" starts and errors point.
  bool match_from(size_t node, const std::vector<std::string>& path, size_t at, const OptionInfo* open_owner,
                  PathMatch& result, size_t& deepest, size_t& deepest_node) const;
  void complete_from(size_t node, const std::vector<std::string>& path, size_t at, std::vector<std::string>& written,
                     int repairs_left, std::vector<std::pair<size_t, std::string>>& found, size_t cost) const;

  std::vector<OptionInfo> m_options;
  std::vector<std::string> m_lower_names;        // lowercased names, for search
  std::vector<std::string> m_lower_descriptions;
  std::vector<bool> m_attributes;                // the option's value may have attributes
  std::vector<bool> m_open;                      // its (element) submodule is open (freeform)
  std::vector<Node> m_nodes;
  std::unordered_map<std::string, size_t> m_by_name;
  // lowercase "last" and "second-last.last" segments -> options ending so
  std::unordered_map<std::string, std::vector<size_t>> m_by_suffix1;
  std::unordered_map<std::string, std::vector<size_t>> m_by_suffix2;
};

}  // namespace agntos
