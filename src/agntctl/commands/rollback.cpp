// SPDX-License-Identifier: MIT
// agntctl rollback [list | undo [<audit-id>] | generation [<N>]] [--plan] [--digest D] (SPEC §3.3).
#include "agntctl/commands.h"
#include "agntctl/pipeline/history.h"
#include "agntctl/pipeline/plan.h"
#include "agntctl/pipeline/progress.h"
#include "agntctl/pipeline/transaction.h"
#include "common/error.h"
#include "common/vocabulary.h"

namespace agntctl {
namespace {

using agntos::AuditEntry;
using agntos::Errc;
using agntos::Error;

// Each generation with the change that made it, in that change's own words.
Output list(const agntos::Paths& paths, const Backend& backend) {
  const History history(paths);
  Output output;
  Json generations = Json::array();
  for (const auto& generation : backend.generations()) {
    const AuditEntry* entry = history.entry_for_generation(generation.number);
    const Json stamp = backend.stamp_of(generation.number);  // the cause, even without the audit log
    generations.push_back(Json{{"number", generation.number},
                               {"date", generation.date},
                               {"current", generation.current},
                               {"audit_id", entry ? Json(entry->id) : Json()},
                               {"summary", entry ? Json(entry->summary) : Json()},
                               {"prompt", entry ? agntos::json_or_null(entry->origin.prompt) : Json()},
                               {"commit", entry ? agntos::json_or_null(entry->commit) : Json()},
                               {"stamp", stamp}});
    std::string cause = "(not made by AgntOS)";
    if (entry) cause = entry->id + "  " + entry->summary;
    else if (stamp.is_object())
      cause = agntos::json_string(stamp, "proposal_id").value_or(agntos::json_string(stamp, "kind").value_or("?")) + "  " +
              agntos::json_string(stamp, "summary").value_or("") + " (from the generation's stamp)";
    output.text += (generation.current ? "* " : "  ") + std::to_string(generation.number) + "  " + generation.date +
                   "  " + cause + "\n";
    if (entry && entry->origin.prompt) output.text += "       prompt: \"" + *entry->origin.prompt + "\"\n";
  }
  if (generations.empty()) output.text = "no generations yet (backend " + backend.name() + ")\n";
  output.json = Json{{"backend", backend.name()}, {"generations", generations}};
  return output;
}

}  // namespace

Output run_rollback(Invocation& inv) {
  CLI::App app{"Undo changes.\n"
               "  rollback list               generations with the audit entries and prompts that made them\n"
               "  rollback undo [<audit-id>]  restore exactly the files a change wrote (default: the newest\n"
               "                              change still in effect in the config tree)\n"
               "  rollback generation [<N>]   switch the whole system to generation N (default: the previous)\n"
               "                              and restore the config tree recorded for it\n"
               "undo and generation ask for confirmation (default No); --plan prints what they would do."};
  const std::string& action = inv.add_action(app, agntos::joined_names(agntos::kRollbackActions));
  std::optional<std::string> target;
  std::optional<std::string> prompt;
  app.add_option("target", target, "audit id for undo, generation number for generation");
  app.add_option("--prompt", prompt, "the user's words that asked for this, recorded in the audit entry");
  inv.parse(app);
  const auto& [plan_only, digest, store_path] = inv.pin();

  const auto& paths = inv.paths();
  auto backend = make_backend(paths, inv.settings());
  if (action == "list") {
    if (target || plan_only || digest) throw Error(Errc::usage, "rollback list takes no argument");
    return list(paths, *backend);
  }

  auto make = [&](Build build) {
    return action == "undo" ? plan_undo(paths, *backend, target, prompt, build)
                            : plan_generation(paths, *backend, target, prompt);
  };
  if (plan_only) {
    const auto plan = make(Build::yes);
    return Output{plan.to_json(), plan.to_text()};
  }
  inv.lock().share_with_children();
  auto plan = make(pinned_build(digest, store_path));
  if (store_path && action == "undo") plan.pin(*store_path, paths, *backend);
  plan.require(digest);
  const auto approval = inv.confirm(plan.summary + "?", plan_details(plan));
  std::fprintf(stderr, "%s...\n", plan.request.summary.c_str());
  const auto entry = run_transaction(paths, *backend, plan.request, approval, stderr_progress());

  Output output;
  output.json = entry.to_json();
  output.text = describe_result(entry);
  return output;
}

}  // namespace agntctl
