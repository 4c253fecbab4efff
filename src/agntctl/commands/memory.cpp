// SPDX-License-Identifier: MIT
// agntctl memory show [memory|user] | add <file> --section S --content C
//   | replace <file> --target T --replacement R | remove <file> --target T
//   | consolidate [memory|user] | search <query> [--limit N]
#include <filesystem>
#include <optional>

#include "agntctl/commands.h"
#include "common/error.h"
#include "common/memory.h"
#include "common/session_store.h"
#include "common/settings.h"
#include "common/text.h"

namespace agntctl {
namespace {

using agntos::Errc;
using agntos::Error;
using agntos::MemoryKind;

std::vector<MemoryKind> kinds_from(const std::vector<std::string>& args, const std::string& action) {
  if (args.empty()) return {MemoryKind::memory, MemoryKind::user};
  if (args.size() > 1) throw Error(Errc::usage, "memory " + action + " takes at most one file: memory or user");
  if (auto kind = agntos::parse_memory_kind(args[0])) return {*kind};
  throw Error(Errc::usage, "unknown memory file '" + args[0] + "': use memory (MEMORY.md) or user (USER.md)");
}

MemoryKind one_kind(const std::vector<std::string>& args, const std::string& action, const std::string& usage) {
  if (args.size() != 1) throw Error(Errc::usage, "usage: agntctl memory " + action + " " + usage);
  if (auto kind = agntos::parse_memory_kind(args[0])) return *kind;
  throw Error(Errc::usage, "unknown memory file '" + args[0] + "': use memory (MEMORY.md) or user (USER.md)");
}

Output search(const agntos::Paths& paths, const std::string& query, size_t limit) {
  Output output;
  const auto db_file = paths.sessions_db();
  std::vector<agntos::SessionSearchHit> hits;
  std::error_code ec;
  const bool exists = std::filesystem::exists(db_file, ec);
  if (exists) hits = agntos::SessionStore(db_file).search(query, limit);
  Json results = Json::array();
  for (const auto& hit : hits) {
    results.push_back(hit.to_json());
    output.text += hit.created_at.substr(0, 16) + "  " + hit.session_id + "  " + hit.role + ": " + hit.snippet + "\n";
    if (hit.session_title) output.text += "      session: " + *hit.session_title + "\n";
  }
  if (!exists)
    output.text = "no sessions yet: " + db_file.string() + " does not exist (agntd records conversations there)\n";
  else if (hits.empty())
    output.text = "no past message matches \"" + query + "\"\n";
  output.json = Json{{"query", query}, {"results", results}, {"count", hits.size()}, {"sessions_db_exists", exists}};
  return output;
}

}  // namespace

Output run_memory(Invocation& inv) {
  CLI::App app{
      "Curated memory: MEMORY.md (system conventions) and USER.md (the user's preferences),\n"
      "sent to the model at the start of every session. Sections '§ Name', entries '- text'.\n"
      "  memory show [memory|user]                             both files, or one, with usage\n"
      "  memory add <memory|user> --section S --content C      add an entry (duplicates refused)\n"
      "  memory replace <memory|user> --target T --replacement R   rewrite the one entry containing T\n"
      "  memory remove <memory|user> --target T                remove the one entry containing T\n"
      "  memory consolidate [memory|user]                      merge duplicates, drop empty sections\n"
      "  memory search <query> [--limit N]                     full-text search of past sessions"};
  std::string action = "show";
  std::vector<std::string> rest;
  std::optional<std::string> section;
  std::optional<std::string> content;
  std::optional<std::string> target;
  std::optional<std::string> replacement;
  size_t limit = 10;
  app.add_option("action", action, "show | add | replace | remove | consolidate | search")
      ->check(CLI::IsMember({"show", "add", "replace", "remove", "consolidate", "search"}));
  app.add_option("args", rest, "the file (memory or user), or the words to search for");
  app.add_option("--section", section, "add: the section (created when absent; omitted: before the first section)");
  app.add_option("--content", content, "add: the entry's text");
  app.add_option("--target", target, "replace/remove: part of the entry's text that matches exactly one entry");
  app.add_option("--replacement", replacement, "replace: the new text of the entry");
  app.add_option("--limit", limit, "search: number of results (default 10)")->check(CLI::PositiveNumber);
  inv.parse(app);

  auto allow = [&](bool allowed, const std::optional<std::string>& value, const char* option) {
    if (value && !allowed) throw Error(Errc::usage, std::string(option) + " does not apply to 'memory " + action + "'");
  };
  allow(action == "add", section, "--section");
  allow(action == "add", content, "--content");
  allow(action == "replace" || action == "remove", target, "--target");
  allow(action == "replace", replacement, "--replacement");

  const auto& paths = inv.paths();
  if (action == "search") {
    const std::string query = agntos::join(rest, " ");
    if (agntos::trim(query).empty()) throw Error(Errc::usage, "usage: agntctl memory search <words> [--limit N]");
    return search(paths, query, limit);
  }

  agntos::MemoryStore store(paths, inv.settings());
  Output output;
  if (action == "show") {
    Json files = Json::array();
    for (const auto kind : kinds_from(rest, action)) {
      const auto view = store.show(kind);
      files.push_back(view.to_json());
      output.text += (output.text.empty() ? "" : "\n") + view.to_text();
    }
    output.json = Json{{"files", files}};
    return output;
  }
  if (action == "consolidate") {
    Json changes = Json::array();
    for (const auto kind : kinds_from(rest, action)) {
      const auto change = store.consolidate(kind);
      changes.push_back(change.to_json());
      output.text += (output.text.empty() ? "" : "\n") + change.to_text();
    }
    output.json = Json{{"changes", changes}};
    return output;
  }

  agntos::MemoryChange change;
  if (action == "add") {
    const auto kind = one_kind(rest, action, "<memory|user> --section S --content C");
    if (!content) throw Error(Errc::usage, "memory add needs the entry's text: --content C");
    change = store.add(kind, section, *content);
  } else if (action == "replace") {
    const auto kind = one_kind(rest, action, "<memory|user> --target T --replacement R");
    if (!target || !replacement)
      throw Error(Errc::usage,
                  "memory replace needs --target (part of the old entry) and --replacement (the new text)");
    change = store.replace(kind, *target, *replacement);
  } else {
    const auto kind = one_kind(rest, action, "<memory|user> --target T");
    if (!target) throw Error(Errc::usage, "memory remove needs --target: part of the entry's text");
    change = store.remove(kind, *target);
  }
  output.json = change.to_json();
  output.text = change.to_text();
  return output;
}

}  // namespace agntctl
