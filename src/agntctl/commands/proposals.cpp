// SPDX-License-Identifier: MIT
// agntctl proposals [list | show <id> | discard <id>... | discard --stale]: the staged proposals.
#include "agntctl/commands.h"
#include "agntctl/pipeline/change_set.h"
#include "agntctl/pipeline/history.h"
#include "common/audit.h"
#include "common/error.h"
#include "common/text.h"

namespace agntctl {
namespace {

using agntos::Errc;
using agntos::Error;

// Why a proposal cannot be applied as made, or nullopt when it can.
std::optional<std::string> stale_reason(const agntos::Paths& paths, const History& history, const Proposal& proposal) {
  const auto changed = proposal.changed_files(paths.config_dir);
  if (changed.empty()) return std::nullopt;
  std::vector<std::string> reasons;
  for (const auto& path : changed) reasons.push_back(path + " " + history.who_changed(path, proposal.created_at));
  return agntos::join(reasons, "; ");
}

Json listing(const Proposal& proposal, const std::optional<std::string>& stale) {
  return Json{{"id", proposal.id},         {"created_at", proposal.created_at}, {"summary", proposal.summary},
              {"prompt", agntos::json_or_null(proposal.origin.prompt)}, {"stale", stale.has_value()},
              {"stale_reason", agntos::json_or_null(stale)}};
}

Output list(const agntos::Paths& paths) {
  const History history(paths);
  Output output;
  Json proposals = Json::array();
  for (const auto& proposal : Proposal::all(paths)) {
    const auto stale = stale_reason(paths, history, proposal);
    proposals.push_back(listing(proposal, stale));
    output.text += proposal.id + "  " + proposal.created_at.substr(0, 19) + "  " + proposal.summary +
                   (stale ? "\n    stale: " + *stale + "; propose again or discard it" : "") + "\n";
  }
  if (proposals.empty()) output.text = "no staged proposals\n";
  output.json = Json{{"proposals", proposals}};
  return output;
}

// The proposal with its diff recomputed against the current tree (the stored one is not shown).
Output show(const agntos::Paths& paths, const std::string& id) {
  const History history(paths);
  const auto proposal = Proposal::load(paths, id);
  const auto stale = stale_reason(paths, history, proposal);
  auto json = proposal.to_json();
  json["diff"] = diff_changes(paths.config_dir, proposal.changes);
  json["stale"] = stale.has_value();
  json["stale_reason"] = agntos::json_or_null(stale);
  Output output;
  output.text = proposal.id + "  " + proposal.summary + "\n" + (stale ? "stale: " + *stale + "\n" : "") +
                (proposal.origin.prompt ? "prompt: \"" + *proposal.origin.prompt + "\"\n" : "") + "\n" + json["diff"].get<std::string>();
  output.json = std::move(json);
  return output;
}

// The caller holds the config lock.
Output discard(const agntos::Paths& paths, const std::vector<std::string>& ids, bool only_stale) {
  if (ids.empty() == !only_stale)
    throw Error(Errc::usage, "discard takes proposal ids or --stale (not both); see 'agntctl proposals'");
  std::vector<Proposal> chosen;
  if (only_stale) {
    for (auto& proposal : Proposal::all(paths))
      if (!proposal.changed_files(paths.config_dir).empty()) chosen.push_back(std::move(proposal));
  } else {
    for (const auto& id : ids) chosen.push_back(Proposal::load(paths, id));
  }
  Json discarded = Json::array();
  Output output;
  for (const auto& proposal : chosen) {
    Proposal::remove(paths, proposal.id);
    auto entry = agntos::AuditEntry::make(agntos::AuditActionType::discard,
                                          "Discarded proposal " + proposal.id + ": " + proposal.summary);
    entry.origin.prompt = proposal.origin.prompt;
    entry.origin.proposal_id = proposal.id;
    agntos::AuditLog(paths.audit_log()).append(entry);
    discarded.push_back(proposal.id);
    output.text += "discarded " + proposal.id + "  " + proposal.summary + "\n";
  }
  if (chosen.empty()) output.text = "nothing to discard\n";
  output.json = Json{{"discarded", discarded}};
  return output;
}

}  // namespace

Output run_proposals(Invocation& inv) {
  CLI::App app{"The staged proposals.\n"
               "  proposals [list]             every staged proposal; stale ones say which files changed and who\n"
               "                               changed them (a stale proposal cannot be applied: propose again)\n"
               "  proposals show <id>          one proposal, with its diff against the current tree\n"
               "  proposals discard <id>...    remove proposals (audited)\n"
               "  proposals discard --stale    remove every stale proposal (audited)"};
  const std::string& action = inv.add_action(app, "list | show | discard");
  std::vector<std::string> ids;
  bool only_stale = false;
  app.add_option("ids", ids, "proposal ids (p-...)");
  app.add_flag("--stale", only_stale, "with discard: every stale proposal");
  inv.parse(app);

  const auto& paths = inv.paths();
  if (action == "list") {
    if (!ids.empty() || only_stale) throw Error(Errc::usage, "proposals list takes no argument");
    return list(paths);
  }
  if (action == "show") {
    if (ids.size() != 1 || only_stale) throw Error(Errc::usage, "proposals show takes one proposal id");
    return show(paths, ids.front());
  }
  return discard(paths, ids, only_stale);
}

}  // namespace agntctl
