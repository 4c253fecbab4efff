// SPDX-License-Identifier: MIT
#include "agntctl/pipeline/plan.h"

#include <algorithm>
#include <map>

#include "agntctl/pipeline/change_set.h"
#include "agntctl/pipeline/closure_diff.h"
#include "agntctl/pipeline/staged_tree.h"
#include "agntctl/pipeline/history.h"
#include "agntctl/pipeline/validation.h"
#include "common/audit.h"
#include "common/files.h"
#include "common/git_repo.h"
#include "common/proposal.h"
#include "common/sha256.h"
#include "common/text.h"

namespace agntctl {
namespace {

namespace fs = std::filesystem;
using agntos::AuditEntry;
using agntos::Errc;
using agntos::Error;
using agntos::Json;

std::string digest_of(const Plan& plan) {
  Json changes = Json::array();
  for (const auto& change : plan.request.changes) changes.push_back(change.to_json());
  const Json canonical{{"kind", plan.kind},
                       {"target", agntos::json_or_null(plan.target)},
                       {"summary", plan.request.summary},
                       {"changes", changes},
                       {"target_generation", agntos::json_or_null(plan.request.target_generation)},
                       {"store_path", agntos::json_or_null(plan.store_path)}};
  return agntos::sha256_hex(agntos::dump_json(canonical));
}

// The confirm-or-revert timer and the activation mode of the system the plan would run.
void assess_activation(Plan& plan, const agntos::Paths& paths, const Backend& backend) {
  const auto settings = agntos::Settings::load(paths);
  const auto running = backend.running_system();
  std::optional<std::vector<std::string>> changed;
  if (plan.store_path) changed = changed_options(running, *plan.store_path);
  plan.confirm = plan.request.kind == agntos::AuditActionType::auto_revert
                     ? std::nullopt
                     : confirm_gate(settings.rebuild, paths.config_dir, plan.request.changes, changed);
  plan.request.confirm = plan.confirm ? plan.confirm->to_json() : Json();
  const auto configured =
      backend.kind() == agntos::RebuildBackend::nixos ? settings.rebuild.mode : agntos::ActivationMode::switch_now;
  if (plan.store_path) {
    plan.activation = choose_activation(configured, backend.critical_changes_of(*plan.store_path)).to_json();
  } else {
    plan.activation = Json{{"configured", agntos::to_string(configured)},
                           {"mode", nullptr},
                           {"critical_changes", Json::array()},
                           {"notice", "The mode is decided after nixos-rebuild builds the system: 'boot' and a reboot "
                                      "instead of a live '" + std::string(agntos::to_string(configured)) + "' if the kernel, initrd, systemd or dbus "
                                      "change."}};
  }
}

// Runs `fill`; an Error it throws becomes the plan's refusal, everything else is completed.
template <typename Fill>
Plan make_plan(std::string kind, std::optional<std::string> target, const agntos::Paths& paths, const Backend& backend,
               Fill fill) {
  Plan plan;
  plan.kind = std::move(kind);
  plan.target = std::move(target);
  try {
    refuse_while_confirmation_pending(paths);
    fill(plan);
    assess_activation(plan, paths, backend);
    if (plan.summary.empty()) plan.summary = plan.request.summary;
    plan.diff = diff_changes(paths.config_dir, plan.request.changes);
    plan.digest = digest_of(plan);
  } catch (const Error& e) {
    plan.refusal = Refusal{e.code(), e.what()};
    plan.digest.clear();
  }
  return plan;
}

// What the built system records about its cause (never the prompt: the store is world-readable).
std::string stamp_for(const Plan& plan, const agntos::Paths& paths, const fs::path& tree) {
  std::optional<std::string> commit;
  std::error_code ec;
  if (fs::exists(paths.config_dir / ".git", ec)) commit = agntos::GitRepo::open_or_init(paths.config_dir).head();
  return Json{{"kind", plan.kind},
              {"proposal_id", agntos::json_or_null(plan.request.origin.proposal_id)},
              {"undoes", agntos::json_or_null(plan.request.undoes)},
              {"summary", plan.request.summary},
              {"config_commit", agntos::json_or_null(commit)},
              {"tree_hash", tree_hash(tree)}}
      .dump(-1, ' ', false, Json::error_handler_t::replace);
}

// Builds the tree as it would be after `changes` in a private copy and says what it changes.
void build_system(Plan& plan, const agntos::Paths& paths, Backend& backend, Build build) {
  if (build == Build::no) return;
  const StagedTree staged(paths.config_dir, plan.request.changes);
  std::optional<std::string> system;
  std::string log;
  try {
    system = backend.build(staged.dir(), stamp_for(plan, paths, staged.dir()), [&](std::string_view chunk) { log += chunk; });
  } catch (const Error& e) {
    throw Error(Errc::validation, "the " + backend.name() + " backend cannot build the system with this change:\n" +
                                      in_config_terms(e.what(), staged.dir(), paths.config_dir));
  }
  if (!system) return;  // this backend builds at apply
  plan.store_path = system;
  plan.request.store_path = system;
  plan.closure = closure_diff(backend.running_system(), *system).to_json();
}

std::string files_in_words(const std::vector<FileChange>& changes) {
  std::vector<std::string> written;
  std::vector<std::string> deleted;
  for (const auto& change : changes) (change.content ? written : deleted).push_back(change.path);
  std::string words;
  if (!written.empty()) words += "writes " + agntos::join(written, ", ");
  if (!deleted.empty()) words += std::string(words.empty() ? "" : "; ") + "deletes " + agntos::join(deleted, ", ");
  return words.empty() ? "changes no file" : words;
}

}  // namespace

Json Plan::to_json() const {
  return Json{{"kind", kind},
              {"target", agntos::json_or_null(target)},
              {"summary", refusal ? Json() : Json(summary)},
              {"diff", refusal ? Json() : Json(diff)},
              {"effect", refusal ? Json() : Json(effect_text())},
              {"store_path", refusal ? Json() : agntos::json_or_null(store_path)},
              {"closure", refusal ? Json() : closure},
              {"confirm", refusal || !confirm ? Json() : confirm->to_json()},
              {"activation", refusal ? Json() : activation},
              {"refusal", refusal ? Json{{"code", agntos::errc_name(refusal->code)}, {"message", refusal->message}}
                                  : Json()},
              {"digest", refusal ? Json() : Json(digest)}};
}

std::string Plan::to_text() const {
  if (refusal) return "would be refused (" + std::string(agntos::errc_name(refusal->code)) + "): " + refusal->message;
  return summary + "\n" + effect_text() + "\n" + (closure.is_object() ? "\n" + closure["text"].get<std::string>() + "\n" : "") +
         "\n" + diff + (diff.empty() ? "" : "\n") + (store_path ? "system " + *store_path + "\n" : "") + "digest " + digest;
}

Build pinned_build(const std::optional<std::string>& digest, const std::optional<std::string>& store_path) {
  if (!store_path) return Build::yes;
  if (!digest) throw Error(Errc::usage, "--store-path needs --digest: only an approved plan's system is activated as is");
  std::error_code ec;
  if (!store_path->starts_with("/nix/store/") || !fs::exists(*store_path, ec))
    throw Error(Errc::not_found, "--store-path " + *store_path + " is not a path in the Nix store; ask for the plan again");
  return Build::no;
}

std::string Plan::effect_text() const {
  std::string text = effect;
  if (const auto notice = agntos::json_string(activation, "notice")) text += "\n" + *notice;
  if (confirm) text += "\n" + confirm->notice();
  return text;
}

std::string plan_details(const Plan& plan) {
  std::string text = plan.effect_text() + "\n";
  if (plan.closure.is_object()) text += "\n" + plan.closure["text"].get<std::string>() + "\n";
  return text + "\n" + plan.diff;
}

void Plan::pin(const std::string& path, const agntos::Paths& paths, const Backend& backend) {
  store_path = path;
  request.store_path = path;
  if (refusal) return;
  assess_activation(*this, paths, backend);
  digest = digest_of(*this);
}

void Plan::require(const std::optional<std::string>& approved_digest) const {
  if (refusal) throw Error(refusal->code, refusal->message);
  if (approved_digest && *approved_digest != digest)
    throw Error(Errc::stale, "what this would do changed since it was shown for approval (digest " +
                                 approved_digest->substr(0, 12) + " approved, now " + digest.substr(0, 12) +
                                 "); look at the new plan and approve again");
}

Plan plan_apply(const agntos::Paths& paths, Backend& backend, const std::string& proposal_id, Build build) {
  return make_plan("apply", proposal_id, paths, backend, [&](Plan& plan) {
    const auto proposal = Proposal::load(paths, proposal_id);
    // Re-check the paths too: the file in proposals/ is writable by the agntos group.
    for (const auto& change : proposal.changes) check_module_path(paths.config_dir, change.path);
    const auto changed = proposal.changed_files(paths.config_dir);
    if (!changed.empty()) {
      const History history(paths);
      std::vector<std::string> reasons;
      for (const auto& path : changed) reasons.push_back(path + " " + history.who_changed(path, proposal.created_at));
      throw Error(Errc::stale, "proposal " + proposal_id + " is stale: " + agntos::join(reasons, "; ") +
                                   " since it was made; propose the change again (agntctl proposals discard --stale "
                                   "removes stale proposals)");
    }
    revalidate_syntax(paths, proposal.changes);
    plan.summary = proposal.summary;
    auto& request = plan.request;
    request.kind = agntos::AuditActionType::apply;
    request.summary = "Applied: " + proposal.summary;
    request.origin = proposal.origin;
    request.packages = proposal.packages;
    request.changes = proposal.changes;
    build_system(plan, paths, backend, build);
    plan.effect = "Applies " + proposal.id + ": " + files_in_words(proposal.changes) + ", then " +
                  (plan.store_path ? "activates the system built from it" : "rebuilds") + " with the " + backend.name() +
                  " backend.";
    if (proposal.origin.prompt) plan.effect += " Asked for as: \"" + *proposal.origin.prompt + "\".";
  });
}

Plan plan_undo(const agntos::Paths& paths, Backend& backend, const std::optional<std::string>& audit_id,
               const std::optional<std::string>& prompt, Build build) {
  return make_plan("undo", audit_id, paths, backend, [&](Plan& plan) {
    const History history(paths);
    const auto choice = history.undo_target(audit_id);
    plan.target = choice.entry->id;
    const AuditEntry& target = *choice.entry;

    auto& request = plan.request;
    request.kind = agntos::AuditActionType::undo;
    request.summary = "Undo " + target.id + ": " + target.summary;
    request.origin.prompt = prompt;
    request.undoes = target.id;
    request.changes = history.undo_changes(target);
    build_system(plan, paths, backend, build);
    plan.effect = "Undoes " + target.id + " (" + target.timestamp.substr(0, 19) + ", " + target.summary + ")" +
                  (target.origin.prompt ? ", made for \"" + *target.origin.prompt + "\"" : std::string()) + "; " + choice.why +
                  ". It " + files_in_words(request.changes) + ", then rebuilds with the " + backend.name() +
                  " backend.";
  });
}

Plan plan_generation(const agntos::Paths& paths, const Backend& backend, const std::optional<std::string>& number_text,
                     const std::optional<std::string>& prompt) {
  return make_plan("generation", number_text, paths, backend, [&](Plan& plan) {
    std::optional<long long> number;
    if (number_text) {
      try {
        size_t used = 0;
        number = std::stoll(*number_text, &used);
        if (used != number_text->size()) throw std::invalid_argument("trailing text");
      } catch (const std::exception&) {
        throw Error(Errc::usage, "'" + *number_text + "' is not a generation number");
      }
    }
    const auto generations = backend.generations();
    const auto current = backend.current_generation();
    if (!number) {
      for (const auto& generation : generations)
        if (current && generation.number < *current) number = generation.number;
      if (!number) throw Error(Errc::not_found, "there is no generation before the current one to roll back to");
    }
    if (std::none_of(generations.begin(), generations.end(), [&](const Generation& g) { return g.number == *number; }))
      throw Error(Errc::not_found, "generation " + std::to_string(*number) + " does not exist; see 'agntctl rollback list'");
    if (current == number)
      throw Error(Errc::refused, "generation " + std::to_string(*number) + " is already the running one");
    plan.target = std::to_string(*number);
    if (const auto system = backend.system_of(*number)) {
      plan.store_path = system;  // switched to, not activated: request.store_path stays empty
      plan.closure = closure_diff(backend.running_system(), *system).to_json();
    }

    const History history(paths);
    auto& request = plan.request;
    request.kind = agntos::AuditActionType::rollback;
    request.target_generation = number;
    request.origin.prompt = prompt;
    request.summary = "Rolled back to generation " + std::to_string(*number);
    plan.effect = "Switches the system to generation " + std::to_string(*number) +
                  (current ? " (running: " + std::to_string(*current) + ")" : std::string()) + " without evaluating";
    const AuditEntry* maker = history.entry_for_generation(*number);
    if (maker && maker->commit) {
      request.summary += " (" + maker->summary + ")";
      request.changes = history.changes_to_commit(*maker->commit);
      plan.effect += ", and restores the config tree recorded for it (" + files_in_words(request.changes) + ").";
    } else {
      plan.effect += "; no AgntOS commit is recorded for it, so the config tree is left as it is and 'agntctl doctor' "
                     "will report the drift.";
    }
    std::string reverts;
    for (const auto& generation : generations) {
      if (generation.number <= *number || (current && generation.number > *current)) continue;
      const AuditEntry* entry = history.entry_for_generation(generation.number);
      reverts += "\n  generation " + std::to_string(generation.number) + ": " +
                 (entry ? entry->summary + (entry->origin.prompt ? " (\"" + *entry->origin.prompt + "\")" : std::string())
                        : std::string("(not made by AgntOS)"));
    }
    if (!reverts.empty()) plan.effect += " It reverts:" + reverts;
  });
}

}  // namespace agntctl
