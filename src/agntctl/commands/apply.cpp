// SPDX-License-Identifier: MIT
// agntctl apply <id> [--plan] [--digest D]: apply a staged proposal as one transaction (SPEC §3.2).
#include "agntctl/commands.h"
#include "agntctl/pipeline/plan.h"
#include "agntctl/pipeline/progress.h"
#include "agntctl/pipeline/transaction.h"

namespace agntctl {

Output run_apply(Invocation& inv) {
  CLI::App app{"Apply a staged proposal: re-check it against the current tree, show the diff of what will be\n"
               "written and ask (default No), write the files, rebuild, and commit + audit on success; on any\n"
               "failure every file is restored exactly. A proposal is stale only when a file it writes or\n"
               "deletes changed since it was made.\n"
               "  --plan      print what apply would do (summary, diff, effect, refusal, digest); change nothing\n"
               "  --digest D  apply only if the plan still has digest D (what the human approved)\n"
               "  --store-path S  with --digest: activate the system S that was built for the plan"};
  std::string id;
  app.add_option("id", id, "proposal id (p-...)")->required();
  inv.parse(app);
  const auto& [plan_only, digest, store_path] = inv.pin();

  const auto& paths = inv.paths();
  auto backend = make_backend(paths, inv.settings());
  if (plan_only) {
    const auto plan = plan_apply(paths, *backend, id, Build::yes);
    return Output{plan.to_json(), plan.to_text()};
  }

  inv.lock().share_with_children();
  auto plan = plan_apply(paths, *backend, id, pinned_build(digest, store_path));
  if (store_path) plan.pin(*store_path, paths, *backend);
  plan.require(digest);
  const auto approval = inv.confirm("Apply " + id + " (" + plan.summary + ")?", plan_details(plan));
  std::fprintf(stderr, "Applying %s with the %s backend...\n", id.c_str(), backend->name().c_str());
  const auto entry = run_transaction(paths, *backend, plan.request, approval, stderr_progress());

  Output output;
  output.json = entry.to_json();
  output.text = describe_result(entry) + "\n  undo with: agntctl rollback undo " + entry.id;
  return output;
}

}  // namespace agntctl
