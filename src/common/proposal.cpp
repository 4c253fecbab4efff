// SPDX-License-Identifier: MIT
#include "common/proposal.h"

#include <algorithm>

#include "common/error.h"
#include "common/files.h"
#include "common/git_repo.h"
#include "common/ids.h"

namespace agntos {

Json FileChange::to_json() const {
  return Json{{"path", path},
              {"action", action()},
              {"content", json_or_null(content)},
              {"expected_hash", json_or_null(expected_hash)}};
}

FileChange FileChange::from_json(const Json& value) {
  FileChange change;
  change.path = json_string(value, "path").value_or("");
  change.content = json_string(value, "content");
  change.expected_hash = json_string(value, "expected_hash");
  // The path is read (and later written) relative to the config dir, so a staged file that
  // names "/dev/zero" or "../x" must never get that far: only "<folder>/<name>.nix".
  const auto& path = change.path;
  const auto slash = path.find('/');
  if (path.empty() || path.front() == '/' || path.find('\0') != std::string::npos || slash == std::string::npos ||
      path.find('/', slash + 1) != std::string::npos || path.find("..") != std::string::npos || !path.ends_with(".nix"))
    throw Error(Errc::invalid_path, "change path '" + path + "' is not <folder>/<name>.nix inside the config dir");
  const auto action = json_string(value, "action").value_or("");
  if (action != "write" && action != "delete") throw Error(Errc::validation, "change has an unknown action: " + action);
  if ((action == "write") != change.content.has_value())
    throw Error(Errc::validation, "change " + change.path + ": action and content disagree");
  return change;
}

std::optional<std::string> current_hash(const std::filesystem::path& file) {
  const auto content = read_file_if_exists(file);
  return content ? std::optional<std::string>(git_blob_hash(*content)) : std::nullopt;
}

Json Proposal::to_json() const {
  Json change_list = Json::array();
  for (const auto& change : changes) change_list.push_back(change.to_json());
  Json proposal{{"id", id}, {"created_at", created_at}, {"summary", summary}};
  origin.append_to(proposal);
  proposal["packages"] = packages;
  proposal["changes"] = change_list;
  proposal["base"] = base;
  proposal["validation"] = validation;
  proposal["closure"] = closure;
  proposal["diff"] = diff;
  proposal["rollback_guidance"] = rollback_guidance;
  return proposal;
}

Proposal Proposal::from_json(const Json& value) {
  if (!value.is_object()) throw Error(Errc::validation, "a proposal is a JSON object");
  Proposal proposal;
  proposal.id = json_string(value, "id").value_or("");
  proposal.created_at = json_string(value, "created_at").value_or("");
  proposal.summary = json_string(value, "summary").value_or("");
  proposal.origin = ChangeOrigin::from_json(value);
  proposal.origin.proposal_id = proposal.id;  // the id is what the file is named and checked by
  if (auto it = value.find("packages"); it != value.end() && it->is_array())
    for (const auto& package : *it)
      if (package.is_string()) proposal.packages.push_back(package.get<std::string>());
  if (auto it = value.find("changes"); it != value.end() && it->is_array())
    for (const auto& change : *it) proposal.changes.push_back(FileChange::from_json(change));
  proposal.base = json_string(value, "base").value_or("");
  if (auto it = value.find("validation"); it != value.end()) proposal.validation = *it;
  if (auto it = value.find("closure"); it != value.end()) proposal.closure = *it;
  proposal.diff = json_string(value, "diff").value_or("");
  proposal.rollback_guidance = json_string(value, "rollback_guidance").value_or("");
  if (proposal.id.empty() || proposal.changes.empty())
    throw Error(Errc::validation, "proposal has no id or no changes");
  return proposal;
}

std::vector<std::string> Proposal::changed_files(const std::filesystem::path& config_dir) const {
  std::vector<std::string> changed;
  for (const auto& change : changes)
    if (current_hash(config_dir / change.path) != change.expected_hash) changed.push_back(change.path);
  return changed;
}

void Proposal::save(const Paths& paths) const {
  make_directories(paths.proposals_dir(), 0775);
  write_file_atomic(paths.proposals_dir() / (id + ".json"), agntos::dump_json(to_json(), 2) + "\n", 0664);
}

Proposal Proposal::load(const Paths& paths, const std::string& id) {
  if (!is_id(id, "p"))
    throw Error(Errc::usage, "'" + id + "' is not a proposal id (they look like p-18ead5e6913df5f7)");
  const auto text = read_file_if_exists(paths.proposals_dir() / (id + ".json"));
  if (!text) {
    std::string known;
    for (const auto& proposal : pending(paths)) known += "\n  " + proposal.id + "  " + proposal.summary;
    throw Error(Errc::not_found, "no pending proposal " + id +
                                     (known.empty() ? std::string(" (there are none; create one with agntctl propose)")
                                                    : "; pending proposals:" + known));
  }
  auto proposal = from_json(parse_json(*text, "proposal " + id));
  if (proposal.id != id) throw Error(Errc::validation, "proposal file " + id + ".json holds proposal " + proposal.id);
  return proposal;
}

void Proposal::remove(const Paths& paths, const std::string& id) {
  remove_file_durably(paths.proposals_dir() / (id + ".json"));
}

std::vector<Proposal> Proposal::all(const Paths& paths) {
  std::vector<Proposal> proposals;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(paths.proposals_dir(), ec)) {
    if (entry.path().extension() != ".json" || entry.path().filename().string().starts_with(".")) continue;
    try {
      proposals.push_back(from_json(parse_json(read_file(entry.path()), "proposal")));
    } catch (const std::exception&) {
      // a malformed proposal is not pending; inspect agntos reports it
    }
  }
  std::sort(proposals.begin(), proposals.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return proposals;
}

std::vector<Proposal> Proposal::pending(const Paths& paths) {
  auto proposals = all(paths);
  std::erase_if(proposals, [&](const Proposal& proposal) { return !proposal.changed_files(paths.config_dir).empty(); });
  return proposals;
}

}  // namespace agntos
