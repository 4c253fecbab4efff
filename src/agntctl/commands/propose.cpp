// SPDX-License-Identifier: MIT
// agntctl propose: stage a validated change (SPEC §3.1). The command reads its request, gathers
// the changes the intents (propose/intent_grammar.h) and the agent's modules make, validates
// them, and saves the proposal.
#include <algorithm>

#include "agntctl/commands.h"
#include "agntctl/pipeline/closure_diff.h"
#include "agntctl/pipeline/options_source.h"
#include "agntctl/pipeline/transaction.h"
#include "agntctl/pipeline/validation.h"
#include "agntctl/propose/intent_grammar.h"
#include "agntctl/propose/intent_options.h"
#include "common/error.h"
#include "common/file_lock.h"
#include "common/files.h"
#include "common/git_repo.h"
#include "common/ids.h"
#include "common/nix_environment.h"
#include "common/nix_modules.h"
#include "common/nix_names.h"
#include "common/nix_values.h"
#include "common/options_index.h"
#include "common/process.h"
#include "common/proposal.h"
#include "common/settings.h"
#include "common/text.h"

namespace agntctl {
namespace {

using agntos::Errc;
using agntos::Error;

// What the command line asks for.
struct ProposeRequest {
  std::vector<std::string> words;       // the intent, e.g. "install htop"
  std::vector<std::string> modules;     // --module KIND/NAME.nix
  std::vector<std::string> texts;       // --nix TEXT, one per module
  std::vector<std::string> text_files;  // --nix-file FILE, one per module
  std::vector<std::string> deletes;     // --delete KIND/NAME.nix
  std::optional<std::string> nix_expr;
  agntos::ChangeOrigin origin;          // --prompt, --rationale, --session-id, --model
  bool no_build = false;
};

ProposeRequest parse_request(Invocation& inv) {
  CLI::App app{"Stage a change to the config dir: validate it with Nix, show its diff, print its id.\n"
               "Intents:  install PKG...  | remove PKG...  | enable SERVICE | disable SERVICE |\n"
               "          set OPTION VALUE | set-home-option OPTION VALUE   (join several with ';')\n"
               "Modules:  --module KIND/NAME.nix --nix TEXT  (or --nix-file FILE); KIND is packages,\n"
               "          services, options, modules or home. --delete KIND/NAME.nix removes one.\n"
               "Apply the result with 'agntctl apply <id>'."};
  ProposeRequest request;
  // allow_extra_args(false): take every value verbatim. Otherwise CLI11 reads "[22,80]" or a
  // module text starting with '[' as its own list syntax and splits it.
  // The intent words are what is left after the options, taken verbatim.
  app.allow_extras();
  app.footer("Positional words: the intent, e.g. 'install htop' or 'set networking.hostName demo'.");
  app.add_option("--module", request.modules, "module path KIND/NAME.nix written by the agent (repeatable)")
      ->allow_extra_args(false);
  app.add_option("--nix", request.texts, "text of the --module at the same position")->allow_extra_args(false);
  app.add_option("--nix-file", request.text_files, "file holding the text of the --module at the same position")
      ->allow_extra_args(false);
  app.add_option("--delete", request.deletes, "module path KIND/NAME.nix to delete (repeatable)")->allow_extra_args(false);
  app.add_option("--nix-expr", request.nix_expr, "raw Nix expression as the value of a single 'set OPTION' intent");
  app.add_option("--prompt", request.origin.prompt, "the user's own words that led to this change (stored and audited)");
  app.add_option("--rationale", request.origin.rationale, "why this change answers the request (stored and audited)");
  app.add_option("--session-id", request.origin.session_id, "agntd session that proposed it");
  app.add_option("--model", request.origin.model, "model that proposed it");
  app.add_flag("--no-build", request.no_build, "do not build the system now (apply builds it before asking)");
  inv.parse(app);
  request.words = app.remaining();
  for (const auto& word : request.words)
    if (word.starts_with("--")) throw Error(Errc::usage, "unknown option " + word + " (see 'agntctl propose --help')");
  return request;
}

// The request asks for something, and each --module has its text.
void check_request(const ProposeRequest& request) {
  if (request.words.empty() && request.modules.empty() && request.deletes.empty())
    throw Error(Errc::usage, "nothing to propose: give an intent (e.g. 'install htop') or --module/--delete");
  if (!request.texts.empty() && !request.text_files.empty())
    throw Error(Errc::usage, "give module texts either all with --nix or all with --nix-file");
  if (request.modules.size() != request.texts.size() + request.text_files.size())
    throw Error(Errc::usage, "each --module needs one --nix TEXT or --nix-file FILE (got " +
                                 std::to_string(request.modules.size()) + " modules and " +
                                 std::to_string(request.texts.size() + request.text_files.size()) + " texts)");
  if (request.words.empty() && request.nix_expr) throw Error(Errc::usage, "--nix-expr needs a 'set OPTION' intent");
}

// A raw --nix-expr must be one Nix expression on its own, not a fragment that closes the
// attribute set around it.
void check_expression(const std::string& expression) {
  agntos::ProcessOptions options;
  options.timeout = std::chrono::minutes(1);
  if (!agntos::find_program("nix-instantiate"))
    throw Error(Errc::nix_missing, "Nix is not installed (nix-instantiate not found); it is needed to check --nix-expr. "
                                     "Install Nix (Debian: apt-get install nix-bin)");
  const auto nix = agntos::restricted_nix({});
  nix.apply(options);
  const auto result = agntos::run_process(nix.command({"nix-instantiate", "--parse", "-E", expression}), options);
  if (!result.ok())
    throw Error(Errc::validation, "--nix-expr is not a single Nix expression:\n" + agntos::trim(result.err));
}

// The intents of the request's words: parsed by the grammar, or with --nix-expr exactly one
// `set OPTION` whose value is the expression.
std::vector<Intent> intents_of(const ProposeRequest& request) {
  if (!request.nix_expr) return parse_intents(agntos::join(request.words, " "));
  const auto& words = request.words;
  if (words.size() != 2 || (words[0] != "set" && words[0] != "set-home-option"))
    throw Error(Errc::usage, "--nix-expr goes with exactly one 'set OPTION' or 'set-home-option OPTION'");
  agntos::check_attribute_path(words[1], "option path");
  check_expression(*request.nix_expr);
  return {Intent{words[0] == "set" ? Intent::Kind::set : Intent::Kind::set_home_option, {words[1]}, *request.nix_expr}};
}

// The changes of one proposal as they are gathered: each module path once, with what the
// summary says, the packages installed, and the options index the intents are checked against.
class ProposalChanges {
public:
  ProposalChanges(const agntos::Paths& paths, const agntos::Settings& settings) : m_paths(paths), m_settings(settings) {}

  // The files the intents write; `raw_nix`: a `set` value is a --nix-expr expression.
  void add_intents(std::vector<Intent> intents, bool raw_nix) {
    for (auto& intent : intents) add_intent(intent, raw_nix);
    m_summary.push_back(summarize_intents(intents));
  }

  // The agent's own modules: texts[i] (or the file text_files[i]) for modules[i].
  void add_modules(const ProposeRequest& request) {
    m_writes_modules = !request.modules.empty();
    for (size_t i = 0; i < request.modules.size(); ++i) {
      const auto& path = request.modules[i];
      const std::string content = request.texts.empty() ? agntos::read_file(request.text_files[i]) : request.texts[i];
      add(FileChange{path, content.empty() || content.back() == '\n' ? content : content + "\n", current_hash(path)});
      m_summary.push_back("Write module " + path);
    }
  }

  void add_deletes(const std::vector<std::string>& deletes) {
    for (const auto& path : deletes) {
      check_module_path(m_paths.config_dir, path);
      if (!current_hash(path)) throw Error(Errc::refused, "cannot delete " + path + ": it does not exist");
      add(FileChange{path, std::nullopt, current_hash(path)});
      m_summary.push_back("Delete module " + path);
    }
  }

  // Drops writes that change nothing; refuses when nothing is left.
  void drop_unchanged() {
    std::vector<std::string> unchanged;
    std::erase_if(m_changes, [&](const FileChange& change) {
      const bool same = change.content && change.expected_hash == agntos::git_blob_hash(*change.content);
      if (same) unchanged.push_back(change.path);
      return same;
    });
    if (m_changes.empty())
      throw Error(Errc::refused, "nothing to change: " + agntos::join(unchanged, ", ") + " already say" +
                                     (unchanged.size() == 1 ? "s" : "") + " exactly this");
  }

  // What validation checks beyond syntax: the packages, the build, and the option paths (with
  // the index the intents were checked against) when the change sets options.
  ValidationOptions validation_options(bool build) {
    ValidationOptions validation{m_packages, build};
    if (m_intent_options || m_writes_modules) {
      validation.options = &reachable();
      if (m_intent_options) validation.option_notes = m_intent_options->notes();
      validation.intent_files = m_intent_files;
    }
    return validation;
  }

  const std::vector<FileChange>& changes() const { return m_changes; }
  const std::vector<std::string>& packages() const { return m_packages; }
  std::string summary() const { return agntos::join(m_summary, "; "); }

private:
  void add(FileChange change) {
    check_module_path(m_paths.config_dir, change.path);
    if (std::any_of(m_changes.begin(), m_changes.end(), [&](const FileChange& c) { return c.path == change.path; }))
      throw Error(Errc::validation, "the proposal changes " + change.path + " twice");
    m_changes.push_back(std::move(change));
  }

  void write(const agntos::GeneratedModule& module) { add(FileChange{module.path, module.content, current_hash(module.path)}); }

  void add_intent(Intent& intent, bool raw_nix) {
    using Kind = Intent::Kind;
    switch (intent.kind) {
      case Kind::install:
        for (const auto& name : intent.names) {
          write(agntos::package_module(name));
          m_packages.push_back(name);
        }
        break;
      case Kind::remove:
        for (const auto& name : intent.names) {
          const std::string path = agntos::package_module(name).path;
          if (!current_hash(path))
            throw Error(Errc::refused, name + " is not installed through AgntOS (no " + path +
                                           "); AgntOS removes only what it manages. If it comes from "
                                           "configuration.nix, remove it there");
          add(FileChange{path, std::nullopt, current_hash(path)});
        }
        break;
      case Kind::enable:
      case Kind::disable:
        for (auto& name : intent.names) {
          const bool enable = intent.kind == Kind::enable;
          const std::string option = checker().service_option(name);
          const bool usual = option == "services." + name + ".enable";
          const auto module = usual ? agntos::service_module(name, enable) : agntos::service_module(name, enable, option);
          write_for_intent(module);
          if (!usual) name += " (" + option + ")";
        }
        break;
      case Kind::set: {
        const auto setting = checker().setting(intent, raw_nix, [&](const std::string& path) { return existing_value(path); });
        write_for_intent(agntos::option_module(setting.path, setting.value_source));
        intent.names = {setting.path};
        // A value the check completed (one port made a list, merged with the tree's) is shown as written.
        if (!raw_nix && setting.value_source != agntos::render_nix_value(intent.value)) intent.value = setting.value_source;
        break;
      }
      case Kind::set_home_option: {
        const std::string value = raw_nix ? intent.value : agntos::render_nix_value(intent.value);
        write(agntos::home_option_module(intent.names.at(0), value));
        break;
      }
    }
  }

  void write_for_intent(const agntos::GeneratedModule& module) {
    m_intent_files.push_back(module.path);
    write(module);
  }

  std::optional<std::string> current_hash(const std::string& path) const {
    const auto content = agntos::read_file_if_exists(m_paths.config_dir / path);
    return content ? std::optional<std::string>(agntos::git_blob_hash(*content)) : std::nullopt;
  }

  // The options index of the tree as it is: intents are checked and completed against it, and
  // validation checks the option paths of written modules. Loaded only when the change sets
  // options (an install alone writes only environment.systemPackages).
  const ReachableOptions& reachable() {
    if (!m_options) m_options = options_index_for_tree(m_paths, m_settings, m_paths.config_dir);
    return *m_options;
  }

  IntentOptions& checker() {
    if (!m_intent_options) m_intent_options.emplace(reachable());
    return *m_intent_options;
  }

  // The list an option's own file in the tree sets now, for list options that merge.
  agntos::Json existing_value(const std::string& option_path) const {
    const std::string file = "options/" + agntos::option_file_stem(option_path) + ".nix";
    if (!current_hash(file)) return nullptr;
    std::string error;
    const auto definitions = read_module_definitions(m_paths, m_settings, m_paths.config_dir, file,
                                                     agntos::option_path_segments(option_path), &error);
    return definitions ? definitions->value : agntos::Json();
  }

  const agntos::Paths& m_paths;
  const agntos::Settings& m_settings;
  std::vector<FileChange> m_changes;
  std::vector<std::string> m_summary;
  std::vector<std::string> m_packages;
  std::vector<std::string> m_intent_files;
  bool m_writes_modules = false;  // the agent writes modules of its own (their option paths are checked)
  std::optional<ReachableOptions> m_options;
  std::optional<IntentOptions> m_intent_options;
};

// The proposal of `changes`, validated and saved under proposals/.
Proposal stage_proposal(const agntos::Paths& paths, const agntos::Settings& settings, ProposalChanges& changes,
                        const ProposeRequest& request) {
  Proposal proposal;
  proposal.id = agntos::make_id("p");
  proposal.created_at = agntos::iso8601_now();
  proposal.summary = changes.summary();
  proposal.origin = request.origin;
  proposal.origin.proposal_id = proposal.id;
  proposal.packages = changes.packages();
  proposal.changes = changes.changes();
  {
    // A consistent view of the tree while hashing and diffing.
    auto lock = agntos::lock_config_dir(paths);
    proposal.base = tree_hash(paths.config_dir);
    proposal.diff = diff_changes(paths.config_dir, proposal.changes);
  }
  proposal.validation = validate_changes(paths, settings, proposal.changes, changes.validation_options(!request.no_build));
  if (const Json& system = proposal.validation["system"]; system.is_string())
    proposal.closure = closure_diff(make_backend(paths, settings)->running_system(), system.get<std::string>()).to_json();
  proposal.rollback_guidance =
      "After applying: 'agntctl rollback undo <audit-id>' restores exactly the files this proposal changes; "
      "'agntctl rollback generation' returns the whole system to the previous generation.";
  proposal.save(paths);
  return proposal;
}

// The proposal as JSON, and as text: its checks, closure diff, file diff and how to apply it.
Output proposal_output(const Proposal& proposal) {
  Output output;
  output.json = proposal.to_json();
  output.text = "Proposal " + proposal.id + ": " + proposal.summary + "\n";
  for (const auto& checked : proposal.validation["checks"])
    output.text += std::string("  ") + (checked["ok"].is_null() ? "- " : "✓ ") + checked["check"].get<std::string>() +
                   ": " + checked["detail"].get<std::string>() + "\n";
  if (proposal.closure.is_object()) output.text += "\n" + proposal.closure["text"].get<std::string>() + "\n";
  output.text += "\n" + proposal.diff + "\nApply with: agntctl apply " + proposal.id + "\n";
  return output;
}

}  // namespace

Output run_propose(Invocation& inv) {
  const ProposeRequest request = parse_request(inv);
  const auto& paths = inv.paths();
  const auto& settings = inv.settings();
  check_request(request);
  ProposalChanges changes(paths, settings);
  if (!request.words.empty()) changes.add_intents(intents_of(request), request.nix_expr.has_value());
  changes.add_modules(request);
  changes.add_deletes(request.deletes);
  changes.drop_unchanged();
  return proposal_output(stage_proposal(paths, settings, changes, request));
}

}  // namespace agntctl
