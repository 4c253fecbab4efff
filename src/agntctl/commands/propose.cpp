// SPDX-License-Identifier: MIT
// agntctl propose: stage a validated change (SPEC §3.1).
#include <algorithm>

#include "agntctl/commands.h"
#include "agntctl/pipeline/closure_diff.h"
#include "agntctl/propose/intent_grammar.h"
#include "agntctl/propose/intent_options.h"
#include "agntctl/pipeline/options_source.h"
#include "agntctl/pipeline/transaction.h"
#include "common/proposal.h"
#include "agntctl/pipeline/validation.h"
#include "common/error.h"
#include "common/file_lock.h"
#include "common/nix_environment.h"
#include "common/files.h"
#include "common/git_repo.h"
#include "common/ids.h"
#include "common/nix_modules.h"
#include "common/nix_names.h"
#include "common/nix_values.h"
#include "common/options_index.h"
#include "common/process.h"
#include "common/settings.h"
#include "common/text.h"

namespace agntctl {
namespace {

using agntos::Errc;
using agntos::Error;

std::optional<std::string> current_hash(const agntos::Paths& paths, const std::string& path) {
  const auto content = agntos::read_file_if_exists(paths.config_dir / path);
  return content ? std::optional<std::string>(agntos::git_blob_hash(*content)) : std::nullopt;
}

FileChange write_change(const agntos::Paths& paths, const agntos::GeneratedModule& module) {
  return FileChange{module.path, module.content, current_hash(paths, module.path)};
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

}  // namespace

Output run_propose(Invocation& inv) {
  CLI::App app{"Stage a change to the config dir: validate it with Nix, show its diff, print its id.\n"
               "Intents:  install PKG...  | remove PKG...  | enable SERVICE | disable SERVICE |\n"
               "          set OPTION VALUE | set-home-option OPTION VALUE   (join several with ';')\n"
               "Modules:  --module KIND/NAME.nix --nix TEXT  (or --nix-file FILE); KIND is packages,\n"
               "          services, options, modules or home. --delete KIND/NAME.nix removes one.\n"
               "Apply the result with 'agntctl apply <id>'."};
  std::vector<std::string> words;
  std::vector<std::string> modules;
  std::vector<std::string> texts;
  std::vector<std::string> text_files;
  std::vector<std::string> deletes;
  std::optional<std::string> nix_expr;
  std::optional<std::string> prompt;
  std::optional<std::string> rationale;
  std::optional<std::string> session_id;
  std::optional<std::string> model;
  bool no_build = false;
  // allow_extra_args(false): take every value verbatim. Otherwise CLI11 reads "[22,80]" or a
  // module text starting with '[' as its own list syntax and splits it.
  // The intent words are what is left after the options, taken verbatim.
  app.allow_extras();
  app.footer("Positional words: the intent, e.g. 'install htop' or 'set networking.hostName demo'.");
  app.add_option("--module", modules, "module path KIND/NAME.nix written by the agent (repeatable)")
      ->allow_extra_args(false);
  app.add_option("--nix", texts, "text of the --module at the same position")->allow_extra_args(false);
  app.add_option("--nix-file", text_files, "file holding the text of the --module at the same position")
      ->allow_extra_args(false);
  app.add_option("--delete", deletes, "module path KIND/NAME.nix to delete (repeatable)")->allow_extra_args(false);
  app.add_option("--nix-expr", nix_expr, "raw Nix expression as the value of a single 'set OPTION' intent");
  app.add_option("--prompt", prompt, "the user's own words that led to this change (stored and audited)");
  app.add_option("--rationale", rationale, "why this change answers the request (stored and audited)");
  app.add_option("--session-id", session_id, "agntd session that proposed it");
  app.add_option("--model", model, "model that proposed it");
  app.add_flag("--no-build", no_build, "do not build the system now (apply builds it before asking)");
  inv.parse(app);
  words = app.remaining();
  for (const auto& word : words)
    if (word.starts_with("--")) throw Error(Errc::usage, "unknown option " + word + " (see 'agntctl propose --help')");

  const auto& paths = inv.paths();
  require_config_dir(paths);
  const auto settings = agntos::Settings::load(paths);
  if (words.empty() && modules.empty() && deletes.empty())
    throw Error(Errc::usage, "nothing to propose: give an intent (e.g. 'install htop') or --module/--delete");
  if (!texts.empty() && !text_files.empty())
    throw Error(Errc::usage, "give module texts either all with --nix or all with --nix-file");
  if (modules.size() != texts.size() + text_files.size())
    throw Error(Errc::usage, "each --module needs one --nix TEXT or --nix-file FILE (got " +
                                 std::to_string(modules.size()) + " modules and " +
                                 std::to_string(texts.size() + text_files.size()) + " texts)");

  std::vector<FileChange> changes;
  std::vector<std::string> summary_parts;
  std::vector<std::string> packages;
  auto add_change = [&](FileChange change) {
    check_module_path(paths.config_dir, change.path);
    if (std::any_of(changes.begin(), changes.end(), [&](const FileChange& c) { return c.path == change.path; }))
      throw Error(Errc::validation, "the proposal changes " + change.path + " twice");
    changes.push_back(std::move(change));
  };

  // The options index of the tree as it is: intents are checked and completed against it, and
  // validation checks the option paths of written modules. Loaded only when the change sets
  // options (an install alone writes only environment.systemPackages).
  std::optional<ReachableOptions> options;
  const auto reachable = [&]() -> const ReachableOptions& {
    if (!options) options = options_index_for_tree(paths, settings, paths.config_dir);
    return *options;
  };
  std::optional<IntentOptions> intent_options;
  const auto checker = [&]() -> IntentOptions& {
    if (!intent_options) intent_options.emplace(reachable());
    return *intent_options;
  };
  std::vector<std::string> intent_files;
  // The list an option's own file in the tree sets now, for list options that merge.
  const auto existing_value = [&](const std::string& option_path) -> agntos::Json {
    const std::string file = "options/" + agntos::option_file_stem(option_path) + ".nix";
    if (!current_hash(paths, file)) return nullptr;
    std::string error;
    const auto definitions =
        read_module_definitions(paths, settings, paths.config_dir, file, agntos::option_path_segments(option_path), &error);
    return definitions ? definitions->value : agntos::Json();
  };

  if (!words.empty()) {
    const std::string text = agntos::join(words, " ");
    std::vector<Intent> intents;
    if (nix_expr) {
      // "set OPTION" with a raw expression: exactly one intent, value from --nix-expr.
      if (words.size() != 2 || (words[0] != "set" && words[0] != "set-home-option"))
        throw Error(Errc::usage, "--nix-expr goes with exactly one 'set OPTION' or 'set-home-option OPTION'");
      agntos::check_attribute_path(words[1], "option path");
      check_expression(*nix_expr);
      intents.push_back(Intent{words[0] == "set" ? Intent::Kind::set : Intent::Kind::set_home_option,
                                       {words[1]}, *nix_expr});
    } else {
      intents = parse_intents(text);
    }
    for (auto& intent : intents) {
      using Kind = Intent::Kind;
      switch (intent.kind) {
        case Kind::install:
          for (const auto& name : intent.names) {
            add_change(write_change(paths, agntos::package_module(name)));
            packages.push_back(name);
          }
          break;
        case Kind::remove:
          for (const auto& name : intent.names) {
            const std::string path = agntos::package_module(name).path;
            if (!current_hash(paths, path))
              throw Error(Errc::refused, name + " is not installed through AgntOS (no " + path +
                                             "); AgntOS removes only what it manages. If it comes from "
                                             "configuration.nix, remove it there");
            add_change(FileChange{path, std::nullopt, current_hash(paths, path)});
          }
          break;
        case Kind::enable:
        case Kind::disable:
          for (auto& name : intent.names) {
            const bool enable = intent.kind == Kind::enable;
            const std::string option = checker().service_option(name);
            const auto module = option == "services." + name + ".enable" ? agntos::service_module(name, enable)
                                                                       : agntos::service_module(name, enable, option);
            add_change(write_change(paths, module));
            intent_files.push_back(module.path);
            if (option != "services." + name + ".enable") name += " (" + option + ")";
          }
          break;
        case Kind::set: {
          const auto setting = checker().setting(intent, nix_expr.has_value(), existing_value);
          const auto module = agntos::option_module(setting.path, setting.value_source);
          add_change(write_change(paths, module));
          intent_files.push_back(module.path);
          intent.names = {setting.path};
          // A value the check completed (one port made a list, merged with the tree's) is shown as written.
          if (!nix_expr && setting.value_source != agntos::render_nix_value(intent.value)) intent.value = setting.value_source;
          break;
        }
        case Kind::set_home_option: {
          const std::string value = nix_expr ? *nix_expr : agntos::render_nix_value(intent.value);
          add_change(write_change(paths, agntos::home_option_module(intent.names.at(0), value)));
          break;
        }
      }
    }
    summary_parts.push_back(summarize_intents(intents));
  } else if (nix_expr) {
    throw Error(Errc::usage, "--nix-expr needs a 'set OPTION' intent");
  }

  for (size_t i = 0; i < modules.size(); ++i) {
    const std::string content = texts.empty() ? agntos::read_file(text_files[i]) : texts[i];
    add_change(FileChange{modules[i], content.empty() || content.back() == '\n' ? content : content + "\n",
                          current_hash(paths, modules[i])});
    summary_parts.push_back("Write module " + modules[i]);
  }
  for (const auto& path : deletes) {
    check_module_path(paths.config_dir, path);
    if (!current_hash(paths, path)) throw Error(Errc::refused, "cannot delete " + path + ": it does not exist");
    add_change(FileChange{path, std::nullopt, current_hash(paths, path)});
    summary_parts.push_back("Delete module " + path);
  }

  // Drop writes that change nothing; refuse when nothing is left.
  std::vector<std::string> unchanged;
  std::erase_if(changes, [&](const FileChange& change) {
    const bool same = change.content && change.expected_hash == agntos::git_blob_hash(*change.content);
    if (same) unchanged.push_back(change.path);
    return same;
  });
  if (changes.empty())
    throw Error(Errc::refused, "nothing to change: " + agntos::join(unchanged, ", ") + " already say" +
                                   (unchanged.size() == 1 ? "s" : "") + " exactly this");

  Proposal proposal;
  proposal.id = agntos::make_id("p");
  proposal.created_at = agntos::iso8601_now();
  proposal.summary = agntos::join(summary_parts, "; ");
  proposal.prompt = prompt;
  proposal.rationale = rationale;
  proposal.session_id = session_id;
  proposal.model = model;
  proposal.packages = packages;
  proposal.changes = changes;
  {
    // A consistent view of the tree while hashing and diffing.
    agntos::FileLock lock(paths.config_lock(), agntos::default_lock_timeout(), "config dir " + paths.config_dir.string());
    proposal.base = tree_hash(paths.config_dir);
    proposal.diff = diff_changes(paths.config_dir, changes);
  }
  ValidationOptions validation{packages, !no_build};
  if (intent_options || !modules.empty()) {
    validation.options = &reachable();
    if (intent_options) validation.option_notes = intent_options->notes();
    validation.intent_files = intent_files;
  }
  proposal.validation = validate_changes(paths, settings, changes, validation);
  if (const Json& system = proposal.validation["system"]; system.is_string())
    proposal.closure = closure_diff(make_backend(paths, settings)->running_system(), system.get<std::string>()).to_json();
  proposal.rollback_guidance =
      "After applying: 'agntctl rollback undo <audit-id>' restores exactly the files this proposal changes; "
      "'agntctl rollback generation' returns the whole system to the previous generation.";
  proposal.save(paths);

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

}  // namespace agntctl
