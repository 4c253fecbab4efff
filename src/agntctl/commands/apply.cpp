// SPDX-License-Identifier: MIT
// agntctl apply <id>: apply a staged proposal as one transaction (SPEC §3.2).
#include "agntctl/commands.h"
#include "agntctl/pipeline/confirm.h"
#include "agntctl/pipeline/progress.h"
#include "agntctl/pipeline/proposal.h"
#include "agntctl/pipeline/transaction.h"
#include "agntctl/pipeline/validation.h"
#include "common/error.h"
#include "common/file_lock.h"
#include "common/files.h"
#include "common/git_repo.h"

namespace agntctl {

using agntos::Errc;
using agntos::Error;

Output run_apply(Invocation& inv) {
  CLI::App app{"Apply a staged proposal: re-check it, ask for confirmation (default No), write the files,\n"
               "rebuild, and commit + audit on success; on any failure every file is restored exactly."};
  std::string id;
  bool yes = false;
  std::optional<std::string> approved_by;
  app.add_option("id", id, "proposal id (p-...)")->required();
  app.add_flag("--yes,-y", yes, "do not ask: the change was reviewed");
  app.add_option("--approved-by", approved_by, "who approved, recorded in the audit entry (with --yes)");
  inv.parse(app);

  const auto& paths = inv.paths();
  require_config_dir(paths);
  const auto settings = agntos::Settings::load(paths);
  agntos::FileLock lock(paths.config_lock(), agntos::default_lock_timeout(), "config dir " + paths.config_dir.string());
  lock.share_with_children();
  const auto proposal = Proposal::load(paths, id);

  const bool tree_moved = tree_hash(paths.config_dir) != proposal.base;
  for (const auto& change : proposal.changes) {
    const auto current = agntos::read_file_if_exists(paths.config_dir / change.path);
    const auto hash = current ? std::optional<std::string>(agntos::git_blob_hash(*current)) : std::nullopt;
    if (tree_moved || hash != change.expected_hash)
      throw Error(Errc::stale, "proposal " + id + " is stale: the config dir changed since it was made (" +
                                   change.path + " and possibly more); propose the change again");
  }
  revalidate_syntax(paths, proposal.changes);

  const std::string approved =
      obtain_confirmation(yes, approved_by, "Apply " + id + " (" + proposal.summary + ")?", proposal.diff);

  TransactionRequest request;
  request.kind = "Apply";
  request.summary = "Applied: " + proposal.summary;
  request.prompt = proposal.prompt;
  request.rationale = proposal.rationale;
  request.proposal_id = proposal.id;
  request.session_id = proposal.session_id;
  request.model = proposal.model;
  request.approved_by = approved;
  request.packages = proposal.packages;
  request.changes = proposal.changes;
  auto backend = make_backend(paths, settings);
  std::fprintf(stderr, "Applying %s with the %s backend...\n", id.c_str(), backend->name().c_str());
  const auto entry = run_transaction(paths, *backend, request, stderr_progress());

  Output output;
  output.json = entry.to_json();
  output.text = describe_result(entry) + "\n  undo with: agntctl rollback undo " + entry.id;
  return output;
}

}  // namespace agntctl
