// SPDX-License-Identifier: MIT
// agntctl audit [list [--type T,...] [--since S] [--all] | show <id> | search <query> | why <thing>]
//               [--limit N] [--query Q]
#include <chrono>

#include "agntctl/commands.h"
#include "agntctl/pipeline/history.h"
#include "common/audit.h"
#include "common/audit_index.h"
#include "common/error.h"
#include "common/files.h"
#include "common/text.h"
#include "common/vocabulary.h"

namespace agntctl {
namespace {

// Runs `use` on the index of both logs in the state dir, or, when that index cannot be used (no
// state dir, a full disk, a file another user owns, a lock held past the busy timeout), on one
// built in memory for this run: the audit log can always be read.
template <typename Use>
auto with_audit_index(const agntos::Paths& paths, Use use) {
  const std::vector<std::filesystem::path> logs{paths.audit_log(), paths.state_audit_log()};
  try {
    auto index = agntos::state_audit_index(paths, logs);
    return use(index);
  } catch (const agntos::Error&) {
    agntos::AuditIndex in_memory({}, logs);
    return use(in_memory);
  }
}

// Appends the entry's line (and its prompt's) to `text`.
void append_line(std::string& text, const agntos::AuditSummary& entry) {
  const size_t start = text.size();
  text.append(entry.timestamp, 0, 19).append("  ").append(entry.id).append("  ").append(agntos::to_string(entry.type));
  const size_t width = text.size() - start;
  text.append(width < 48 ? 48 - width : 1, ' ');
  if (entry.status != agntos::AuditStatus::success) text.append("[").append(agntos::to_string(entry.status)).append("] ");
  text.append(entry.summary);
  if (entry.prompt) text.append("\n      prompt: \"").append(*entry.prompt).append("\"");
  text += '\n';
}

std::string details(const agntos::AuditEntry& entry) {
  std::string text = entry.id + "  " + entry.timestamp + "\n";
  Json action = entry.action.to_json();  // the keys that apply to it, for a person
  for (auto it = action.begin(); it != action.end();) it = it->is_null() ? action.erase(it) : std::next(it);
  text += "action:    " + agntos::dump_json(action) + "\n";
  text += "summary:   " + entry.summary + "\n";
  const auto& result = entry.result;
  text += "result:    " + std::string(agntos::to_string(result.status)) +
          (result.error ? ": " + *result.error : result.message ? ": " + *result.message : "") + "\n";
  auto optional_line = [&](const char* label, const std::optional<std::string>& value) {
    if (value) text += std::string(label) + *value + "\n";
  };
  optional_line("prompt:    ", entry.origin.prompt);
  optional_line("rationale: ", entry.origin.rationale);
  optional_line("approved:  ", entry.approved_by);
  optional_line("commit:    ", entry.commit);
  optional_line("undoes:    ", entry.undoes);
  if (entry.generation_before || entry.generation_after)
    text += "generation: " + (entry.generation_before ? std::to_string(*entry.generation_before) : "-") + " -> " +
            (entry.generation_after ? std::to_string(*entry.generation_after) : "-") + "\n";
  for (const auto& file : entry.files_changed) text += "file:      " + file + "\n";
  optional_line("undo with: ", entry.rollback_hint);
  return text;
}

// The entries whole as JSON, or their lines as text: a list is the audit command's hot path, so
// the text form asks the index only for what a line shows (AuditSummary), which parses no JSON.
Output list_output(const std::vector<agntos::AuditEntry>& entries) {
  Json list = Json::array();
  for (const auto& entry : entries) list.push_back(entry.to_json());
  return Output{Json{{"entries", std::move(list)}, {"count", entries.size()}}, {}, 0};
}

Output list_output(const std::vector<agntos::AuditSummary>& entries, const std::string& empty_text) {
  Output output;
  for (const auto& entry : entries) append_line(output.text, entry);
  if (entries.empty()) output.text = empty_text;
  return output;
}

}  // namespace

Output run_audit(Invocation& inv) {
  CLI::App app{"The audit log: every change with the words of the person who asked for it.\n"
               "  audit list               newest first: system changes (every type but Generic); --all adds\n"
               "                           Generic entries (write_file, edit_file, run_bash); --type, --since\n"
               "  audit show <id>          one entry in full\n"
               "  audit search <query>     entries matching words in summary, prompt, rationale, paths, packages\n"
               "  audit why <thing>        why a package, option or module file is (or is not) in the config\n"
               "                           tree now: the module that defines it and the change that wrote it"};
  std::string action = "list";
  std::vector<std::string> rest;
  std::string query;
  size_t limit = 20;
  app.add_option("action", action, agntos::joined_names(agntos::kAuditActions))
      ->check(CLI::IsMember(agntos::names_of(agntos::kAuditActions)));
  app.add_option("args", rest, "entry id for show, words for search, a package/option/path for why");
  app.add_option("--query", query, "words to search for (same as: audit search WORDS)");
  app.add_option("--limit", limit, "number of entries (default 20)")->check(CLI::PositiveNumber);
  std::vector<std::string> type_words;
  std::string since_text;
  bool all = false;
  auto* type_option = app.add_option("--type", type_words,
                                     "list: only these types (apply, undo, rollback, recover, propose, autorevert, "
                                     "discard, generic); repeat it or separate with commas");
  app.add_option("--since", since_text,
                 "list: only entries since a UTC date or time (2026-11-24, 2026-11-24T10:00) or for a duration back "
                 "from now (30m, 2h, 3d, 1w)");
  app.add_flag("--all", all, "list: Generic entries too")->excludes(type_option);
  inv.parse(app);
  if (!query.empty() && action == "list") action = "search";
  if (action != "list" && (!type_words.empty() || !since_text.empty() || all))
    throw agntos::Error(agntos::Errc::usage, "--type, --since and --all go with 'audit list'");

  const auto& paths = inv.paths();
  if (action == "show") {
    if (rest.size() != 1) throw agntos::Error(agntos::Errc::usage, "usage: agntctl audit show <id>");
    if (const auto entry = with_audit_index(paths, [&](agntos::AuditIndex& index) { return index.find(rest[0]); })) {
      Output output;
      output.json = entry->to_json();
      output.text = details(*entry);
      return output;
    }
    throw agntos::Error(agntos::Errc::not_found,
                        "no audit entry " + rest[0] + "; 'agntctl audit list' shows the recent ones");
  }
  if (action == "why") {
    if (rest.size() != 1) throw agntos::Error(agntos::Errc::usage, "usage: agntctl audit why <package|option|path>");
    const History history(paths);
    const auto answer = history.why(rest[0]);
    auto entry_json = [](const agntos::AuditEntry* entry) { return entry ? entry->to_json() : Json(); };
    Output output;
    output.json = Json{{"thing", answer.thing},
                       {"present", answer.present},
                       {"file", agntos::json_or_null(answer.file)},
                       {"entry", entry_json(answer.entry)},
                       {"removed_by", entry_json(answer.removed_by)},
                       {"message", answer.message}};
    output.text = answer.message + "\n";
    return output;
  }
  if (action == "search") {
    if (query.empty()) query = agntos::join(rest, " ");
    if (agntos::trim(query).empty()) throw agntos::Error(agntos::Errc::usage, "usage: agntctl audit search <words>");
    if (!inv.json())
      return list_output(with_audit_index(paths, [&](agntos::AuditIndex& index) { return index.search<agntos::AuditSummary>(query, limit); }),
                         "no audit entry matches \"" + query + "\"\n");
    auto output = list_output(with_audit_index(paths, [&](agntos::AuditIndex& index) { return index.search(query, limit); }));
    output.json["query"] = query;
    return output;
  }
  if (!rest.empty()) throw agntos::Error(agntos::Errc::usage, "audit list takes no arguments (did you mean 'audit search'?)");
  agntos::AuditFilter filter;
  filter.types = agntos::parse_audit_types(type_words);
  filter.include_generic = all;
  if (!since_text.empty()) filter.since = agntos::parse_audit_since(since_text, std::chrono::system_clock::now());
  if (inv.json()) {
    const auto page = with_audit_index(paths, [&](agntos::AuditIndex& index) { return index.list(filter, limit); });
    auto output = list_output(page.entries);
    Json types = Json::array();
    for (const auto type : filter.types) types.push_back(agntos::to_string(type));
    output.json["filter"] = Json{{"types", types}, {"all", all}, {"since", agntos::json_or_null(filter.since)}};
    output.json["hidden"] = page.hidden;
    return output;
  }
  const auto page = with_audit_index(paths, [&](agntos::AuditIndex& index) { return index.list<agntos::AuditSummary>(filter, limit); });
  auto output = list_output(page.entries, page.total == 0 ? "the audit log is empty\n" : "no audit entry matches\n");
  // The default view leaves out the user-level tools' entries: say so, and how to see them.
  if (filter.types.empty() && !all && page.generic_hidden)
    output.text += "(" + std::to_string(page.generic_hidden) + " Generic entries of write_file, edit_file and run_bash not "
                   "shown: --all shows them)\n";
  return output;
}

}  // namespace agntctl
