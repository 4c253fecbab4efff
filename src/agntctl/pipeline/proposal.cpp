// SPDX-License-Identifier: MIT
#include "agntctl/pipeline/proposal.h"

#include <algorithm>
#include <regex>

#include "common/error.h"
#include "common/files.h"

namespace agntctl {

using agntos::Errc;
using agntos::Error;
using agntos::Json;

Json Proposal::to_json() const {
  Json change_list = Json::array();
  for (const auto& change : changes) change_list.push_back(change.to_json());
  return Json{{"id", id},
              {"created_at", created_at},
              {"summary", summary},
              {"prompt", agntos::json_or_null(prompt)},
              {"rationale", agntos::json_or_null(rationale)},
              {"session_id", agntos::json_or_null(session_id)},
              {"model", agntos::json_or_null(model)},
              {"packages", packages},
              {"changes", change_list},
              {"base", base},
              {"validation", validation},
              {"diff", diff},
              {"rollback_guidance", rollback_guidance}};
}

Proposal Proposal::from_json(const Json& value) {
  Proposal proposal;
  proposal.id = agntos::json_string(value, "id").value_or("");
  proposal.created_at = agntos::json_string(value, "created_at").value_or("");
  proposal.summary = agntos::json_string(value, "summary").value_or("");
  proposal.prompt = agntos::json_string(value, "prompt");
  proposal.rationale = agntos::json_string(value, "rationale");
  proposal.session_id = agntos::json_string(value, "session_id");
  proposal.model = agntos::json_string(value, "model");
  if (auto it = value.find("packages"); it != value.end() && it->is_array())
    for (const auto& package : *it)
      if (package.is_string()) proposal.packages.push_back(package.get<std::string>());
  if (auto it = value.find("changes"); it != value.end() && it->is_array())
    for (const auto& change : *it) proposal.changes.push_back(FileChange::from_json(change));
  proposal.base = agntos::json_string(value, "base").value_or("");
  if (auto it = value.find("validation"); it != value.end()) proposal.validation = *it;
  proposal.diff = agntos::json_string(value, "diff").value_or("");
  proposal.rollback_guidance = agntos::json_string(value, "rollback_guidance").value_or("");
  if (proposal.id.empty() || proposal.changes.empty())
    throw Error(Errc::validation, "proposal has no id or no changes");
  return proposal;
}

void Proposal::save(const agntos::Paths& paths) const {
  agntos::make_directories(paths.proposals_dir(), 0775);
  agntos::write_file_atomic(paths.proposals_dir() / (id + ".json"), to_json().dump(2) + "\n", 0664);
}

Proposal Proposal::load(const agntos::Paths& paths, const std::string& id) {
  static const std::regex kId("p-[0-9a-f]{1,32}");
  if (!std::regex_match(id, kId))
    throw Error(Errc::usage, "'" + id + "' is not a proposal id (they look like p-18ead5e6913df5f7)");
  const auto text = agntos::read_file_if_exists(paths.proposals_dir() / (id + ".json"));
  if (!text) {
    std::string known;
    for (const auto& proposal : pending(paths)) known += "\n  " + proposal.id + "  " + proposal.summary;
    throw Error(Errc::not_found, "no pending proposal " + id +
                                     (known.empty() ? std::string(" (there are none; create one with agntctl propose)")
                                                    : "; pending proposals:" + known));
  }
  auto proposal = from_json(agntos::parse_json(*text, "proposal " + id));
  if (proposal.id != id) throw Error(Errc::validation, "proposal file " + id + ".json holds proposal " + proposal.id);
  return proposal;
}

void Proposal::remove(const agntos::Paths& paths, const std::string& id) {
  agntos::remove_file_durably(paths.proposals_dir() / (id + ".json"));
}

std::vector<Proposal> Proposal::pending(const agntos::Paths& paths) {
  std::vector<Proposal> proposals;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(paths.proposals_dir(), ec)) {
    if (entry.path().extension() != ".json" || entry.path().filename().string().starts_with(".")) continue;
    try {
      proposals.push_back(from_json(Json::parse(agntos::read_file(entry.path()))));
    } catch (const std::exception&) {
      // a malformed proposal is not pending; inspect agntos reports it
    }
  }
  std::sort(proposals.begin(), proposals.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return proposals;
}

}  // namespace agntctl
