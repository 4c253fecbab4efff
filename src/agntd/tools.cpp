// SPDX-License-Identifier: MIT
#include "agntd/tools.h"

#include <algorithm>
#include <array>

#include "common/error.h"
#include "common/text.h"

namespace agntd {
namespace {

using agntos::Errc;
using agntos::Error;

// Argument readers. Options are passed as --name=value and positionals after "--", so no
// value the model chooses (say "--yes" or "--config-dir=/") can be taken for an option.

// Arguments become argv entries, and a C string ends at the first NUL: a value with a NUL
// would reach agntctl silently cut short, so it is refused. (write_file's content goes
// through stdin and may hold any byte.)
enum class Nul { refused, allowed };

std::optional<std::string> optional_string(const Json& args, const char* key, Nul nul = Nul::refused) {
  if (!args.is_object() || !args.contains(key) || args[key].is_null()) return std::nullopt;
  if (!args[key].is_string()) throw Error(Errc::usage, std::string("argument '") + key + "' must be a string");
  auto value = args[key].get<std::string>();
  if (nul == Nul::refused && value.find('\0') != std::string::npos)
    throw Error(Errc::usage, std::string("argument '") + key +
                                 "' contains a NUL character, which no command-line argument can carry; remove it");
  return value;
}

std::string required_string(const Json& args, const char* key) {
  auto value = optional_string(args, key);
  if (!value || value->empty()) throw Error(Errc::usage, std::string("missing argument '") + key + "'");
  return *value;
}

// Models often send numbers as strings ("5"); both are accepted.
std::optional<std::string> optional_number(const Json& args, const char* key) {
  if (!args.is_object() || !args.contains(key) || args[key].is_null()) return std::nullopt;
  const Json& value = args[key];
  if (value.is_number_integer()) return std::to_string(value.get<long long>());
  if (value.is_number()) return agntos::dump_json(value);
  if (value.is_string()) {
    const auto text = value.get<std::string>();
    if (!text.empty() && text.find_first_not_of("0123456789.") == std::string::npos) return text;
  }
  throw Error(Errc::usage, std::string("argument '") + key + "' must be a number");
}

bool optional_bool(const Json& args, const char* key) {
  if (!args.is_object() || !args.contains(key) || args[key].is_null()) return false;
  if (args[key].is_boolean()) return args[key].get<bool>();
  if (args[key].is_string()) return args[key] == "true";
  throw Error(Errc::usage, std::string("argument '") + key + "' must be true or false");
}

template <typename Names>
std::string one_of(const std::string& value, const Names& allowed, const char* key) {
  std::string names;
  for (const auto& name : allowed) {
    if (value == name) return value;
    names += std::string(names.empty() ? "" : ", ") + std::string(name);
  }
  throw Error(Errc::usage, std::string("argument '") + key + "' must be one of " + names + " (got '" + value + "')");
}

std::string one_of(const std::string& value, std::initializer_list<const char*> allowed, const char* key) {
  return one_of<std::initializer_list<const char*>>(value, allowed, key);
}

// The action the call names, or the command's default (the first word of `words`).
template <size_t N>
std::string action_of(const Json& args, const char* key, const std::array<agntos::Word, N>& words) {
  return one_of(optional_string(args, key).value_or(std::string(words.front().name)), agntos::names_of(words), key);
}

void add_option(std::vector<std::string>& argv, const char* name, const std::optional<std::string>& value) {
  if (value) argv.push_back(std::string("--") + name + "=" + *value);
}

ToolInvocation command(std::initializer_list<const char*> words) {
  ToolInvocation invocation;
  invocation.args.push_back("--json");
  for (const char* word : words) invocation.args.emplace_back(word);
  return invocation;
}

void approval_options(ToolInvocation& invocation, const ToolContext& context) {
  // The plan is what the user is shown; the yes then binds to its digest, so agntctl refuses
  // if what it would do changed in between.
  if (context.plan_only) {
    invocation.args.push_back("--plan");
    return;
  }
  // The gate sets approved_by only after the user's yes; without it agntctl refuses (no TTY).
  if (!context.approved_by) return;
  invocation.args.push_back("--yes");
  invocation.args.push_back("--approved-by=" + *context.approved_by);
  if (context.approved_digest) invocation.args.push_back("--digest=" + *context.approved_digest);
  if (context.approved_digest && context.approved_system)
    invocation.args.push_back("--store-path=" + *context.approved_system);
}

ToolInvocation build_inspect(const Json& args, const ToolContext&) {
  auto invocation = command({"inspect"});
  if (auto target = optional_string(args, "target"); target && !target->empty()) {
    invocation.args.push_back("--");
    invocation.args.push_back(one_of(*target, agntos::names_of(agntos::kInspectTargets), "target"));
    if (auto query = optional_string(args, "query"); query && *target == "option") invocation.args.push_back(*query);
  }
  return invocation;
}

ToolInvocation build_propose(const Json& args, const ToolContext& context) {
  auto invocation = command({"propose"});
  auto& argv = invocation.args;
  const auto intent = optional_string(args, "intent");
  const auto module = optional_string(args, "module");
  const auto nix = optional_string(args, "nix");
  if (!intent && !module) throw Error(Errc::usage, "give 'intent' (e.g. \"install htop\") or 'module' with 'nix'");
  if (module && !nix) throw Error(Errc::usage, "'module' needs its text in 'nix'");
  // The audit records the user's own words; the model's copy is only a fallback.
  const auto prompt = context.user_prompt.empty() ? optional_string(args, "prompt") : context.user_prompt;
  add_option(argv, "prompt", prompt);
  add_option(argv, "rationale", optional_string(args, "rationale"));
  if (!context.session_id.empty()) add_option(argv, "session-id", context.session_id);
  if (!context.model.empty()) add_option(argv, "model", context.model);
  if (module) {
    add_option(argv, "module", module);
    add_option(argv, "nix", nix);
  }
  if (intent) {
    // propose takes its intent words verbatim after the options (no "--"), so a word that
    // looks like an option is refused here rather than risk being read as one.
    if (agntos::trim(*intent).starts_with("-")) throw Error(Errc::usage, "'intent' must not start with '-'");
    argv.push_back(*intent);
  }
  return invocation;
}

ToolInvocation build_apply(const Json& args, const ToolContext& context) {
  auto invocation = command({"apply"});
  approval_options(invocation, context);
  invocation.args.push_back("--");
  invocation.args.push_back(required_string(args, "id"));
  return invocation;
}

ToolInvocation build_rollback(const Json& args, const ToolContext& context) {
  const auto action = action_of(args, "action", agntos::kRollbackActions);
  auto invocation = command({"rollback"});
  if (action != "list") {
    approval_options(invocation, context);
    // The audit entry keeps the words that asked for the undo, not those of the change undone.
    if (!context.user_prompt.empty()) add_option(invocation.args, "prompt", context.user_prompt);
  }
  invocation.args.push_back("--");
  invocation.args.push_back(action);
  if (auto target = optional_string(args, "target"); target && !target->empty() && action != "list")
    invocation.args.push_back(*target);
  return invocation;
}

ToolInvocation build_audit(const Json& args, const ToolContext&) {
  const auto action = action_of(args, "action", agntos::kAuditActions);
  auto invocation = command({"audit"});
  add_option(invocation.args, "limit", optional_number(args, "limit"));
  if (action == "search") add_option(invocation.args, "query", required_string(args, "query"));
  invocation.args.push_back("--");
  invocation.args.push_back(action);
  if (action == "show") invocation.args.push_back(required_string(args, "id"));
  if (action == "why") invocation.args.push_back(required_string(args, "thing"));
  return invocation;
}

ToolInvocation build_memory(const Json& args, const ToolContext&) {
  const auto action = one_of(optional_string(args, "action").value_or("show"),
                             {"show", "add", "replace", "remove", "search"}, "action");
  auto invocation = command({"memory"});
  auto& argv = invocation.args;
  std::optional<std::string> file = optional_string(args, "file");
  if (file) file = one_of(*file, {"user", "memory"}, "file");
  if (action == "add") {
    add_option(argv, "section", optional_string(args, "section"));
    add_option(argv, "content", required_string(args, "content"));
  } else if (action == "replace" || action == "remove") {
    add_option(argv, "target", required_string(args, "target"));
    if (action == "replace") add_option(argv, "replacement", required_string(args, "replacement"));
  }
  if (action != "show" && action != "search" && !file) throw Error(Errc::usage, "memory " + action + " needs 'file': user or memory");
  argv.push_back("--");
  argv.push_back(action);
  if (action == "search") argv.push_back(required_string(args, "query"));
  else if (file) argv.push_back(*file);
  return invocation;
}

ToolInvocation build_read(const Json& args, const ToolContext&) {
  auto invocation = command({"read_file"});
  add_option(invocation.args, "offset", optional_number(args, "offset"));
  add_option(invocation.args, "limit", optional_number(args, "limit"));
  invocation.args.push_back("--");
  invocation.args.push_back(required_string(args, "path"));
  return invocation;
}

ToolInvocation build_write(const Json& args, const ToolContext&) {
  auto invocation = command({"write_file"});
  const auto content = optional_string(args, "content", Nul::allowed);
  if (!content) throw Error(Errc::usage, "missing argument 'content'");
  invocation.stdin_text = *content;  // stdin: no argv size limit on file contents
  invocation.args.push_back("--");
  invocation.args.push_back(required_string(args, "path"));
  return invocation;
}

ToolInvocation build_edit(const Json& args, const ToolContext&) {
  auto invocation = command({"edit_file"});
  const auto old_text = optional_string(args, "old");
  const auto new_text = optional_string(args, "new");
  if (!old_text || old_text->empty()) throw Error(Errc::usage, "missing argument 'old'");
  if (!new_text) throw Error(Errc::usage, "missing argument 'new'");
  add_option(invocation.args, "old", old_text);
  add_option(invocation.args, "new", new_text);
  if (optional_bool(args, "all")) invocation.args.push_back("--all");
  invocation.args.push_back("--");
  invocation.args.push_back(required_string(args, "path"));
  return invocation;
}

ToolInvocation build_bash(const Json& args, const ToolContext&) {
  auto invocation = command({"run_bash"});
  add_option(invocation.args, "timeout", optional_number(args, "timeout"));
  invocation.args.push_back("--");
  invocation.args.push_back(required_string(args, "command"));
  return invocation;
}

// Descriptions and schemas are terse on purpose: they are paid for on every request
// (SPEC §10: rules plus these schemas under 1,000 tokens).
constexpr std::array kTools{
    ToolSpec{"inspect", "System facts (target, default system): agntos is what AgntOS manages, services the failed "
                        "units, option takes query (NixOS option path or words; gives type, default, description: "
                        "check before setting an option).",
             R"({"type":"object","properties":{"target":{},"query":{"type":"string"}}})", build_inspect, Gate{},
             "target", agntos::kInspectTargets},
    ToolSpec{"propose", "Stage a validated change; returns id, summary, diff. intent: 'install P..', 'remove P..', "
                        "'enable S', 'disable S', 'set OPTION VALUE'. Or module 'KIND/NAME.nix' (KIND: packages, "
                        "services, options, modules, home) with nix text.",
             R"({"type":"object","properties":{"intent":{"type":"string"},"module":{"type":"string"},)"
             R"("nix":{"type":"string"},"rationale":{"type":"string"}}})",
             build_propose, Gate{}},
    ToolSpec{"apply", "Apply a proposal and rebuild. The user is asked to approve.",
             R"({"type":"object","properties":{"id":{"type":"string"}},"required":["id"]})", build_apply,
             Gate{"apply", {}, {}}},
    ToolSpec{"rollback", "list generations; undo an apply exactly (target: audit id, default last); generation: "
                         "whole system (target: N, default previous). undo/generation ask the user.",
             R"({"type":"object","properties":{"action":{},"target":{"type":"string"}},"required":["action"]})",
             build_rollback, Gate{"rollback", "action", {"undo", "generation"}}, "action", agntos::kRollbackActions},
    ToolSpec{"audit", "Log of changes with the user's words: list, show id, search query; why thing (package, "
                      "option or file: is it in the config now, and which change put it there).",
             R"({"type":"object","properties":{"action":{},"id":{"type":"string"},"thing":{"type":"string"},)"
             R"("query":{"type":"string"},"limit":{"type":"integer"}},"required":["action"]})",
             build_audit, Gate{}, "action", agntos::kAuditActions},
    ToolSpec{"memory", "Curated memory. show; add content (section); replace target with replacement; remove "
                       "target; search past sessions (query). file: user (preferences) or memory (conventions).",
             R"({"type":"object","properties":{"action":{"enum":["show","add","replace","remove","search"]},)"
             R"("file":{"enum":["user","memory"]},"section":{"type":"string"},"content":{"type":"string"},)"
             R"("target":{"type":"string"},"replacement":{"type":"string"},"query":{"type":"string"}},)"
             R"("required":["action"]})",
             build_memory, Gate{}},
    ToolSpec{"read_file", "Read a file with line numbers.",
             R"({"type":"object","properties":{"path":{"type":"string"},"offset":{"type":"integer"},)"
             R"("limit":{"type":"integer"}},"required":["path"]})",
             build_read, Gate{}},
    ToolSpec{"write_file", "Create or replace a file (not the config dir: use propose).",
             R"({"type":"object","properties":{"path":{"type":"string"},"content":{"type":"string"}},)"
             R"("required":["path","content"]})",
             build_write, Gate{}},
    ToolSpec{"edit_file", "Replace exact text old by new in a file (old must be unique unless all).",
             R"({"type":"object","properties":{"path":{"type":"string"},"old":{"type":"string"},)"
             R"("new":{"type":"string"},"all":{"type":"boolean"}},"required":["path","old","new"]})",
             build_edit, Gate{}},
    ToolSpec{"run_bash", "Run a shell command in a read-only sandbox (timeout in seconds).",
             R"({"type":"object","properties":{"command":{"type":"string"},"timeout":{"type":"number"}},)"
             R"("required":["command"]})",
             build_bash, Gate{}},
};

}  // namespace

std::span<const ToolSpec> tool_table() { return kTools; }

const ToolSpec* find_tool(std::string_view name) {
  for (const auto& tool : kTools)
    if (name == tool.name) return &tool;
  return nullptr;
}

const std::vector<llm::ToolSchema>& tool_schemas() {
  static const std::vector<llm::ToolSchema> schemas = [] {
    std::vector<llm::ToolSchema> all;
    for (const auto& tool : kTools) {
      Json parameters = Json::parse(tool.parameters);
      if (!tool.choice_key.empty()) {
        Json words = Json::array();
        for (const auto& word : tool.choices) words.push_back(word.name);
        parameters["properties"][std::string(tool.choice_key)] = Json{{"enum", words}};
      }
      all.push_back(llm::ToolSchema{tool.name, tool.description, std::move(parameters)});
    }
    return all;
  }();
  return schemas;
}

bool Gate::gates(const Json& args) const {
  if (!gated()) return false;
  if (action_key.empty()) return true;
  const std::string key(action_key);
  if (!args.is_object() || !args.contains(key) || !args[key].is_string()) return false;
  const auto action = args[key].get<std::string>();
  return std::find(actions.begin(), actions.end(), action) != actions.end();
}

size_t tool_schemas_bytes() {
  size_t total = 0;
  for (const auto& schema : tool_schemas())
    total += agntos::dump_json(Json{{"name", schema.name}, {"description", schema.description}, {"parameters", schema.parameters}}).size();
  return total;
}

std::string cap_output(std::string_view text, size_t limit) {
  const std::string_view shown = agntos::utf8_first_characters(text, limit);
  if (shown.size() == text.size()) return std::string(text);
  return std::string(shown) + "\n[output truncated: showed " + std::to_string(limit) + " of " +
         std::to_string(agntos::utf8_length(text)) + " characters]";
}

}  // namespace agntd
