// SPDX-License-Identifier: MIT
#pragma once
// A staged proposal (SPEC §3.1), stored as proposals/<id>.json in the config dir.

#include <optional>
#include <string>
#include <vector>

#include "agntctl/pipeline/change_set.h"
#include "common/json.h"
#include "common/paths.h"

namespace agntctl {

struct Proposal {
  std::string id;
  std::string created_at;
  std::string summary;
  std::optional<std::string> prompt;
  std::optional<std::string> rationale;
  std::optional<std::string> session_id;
  std::optional<std::string> model;
  std::vector<std::string> packages;
  std::vector<FileChange> changes;
  std::string base;  // tree_hash() of the config dir when proposed
  agntos::Json validation = agntos::Json::object();
  std::string diff;
  std::string rollback_guidance;

  agntos::Json to_json() const;
  static Proposal from_json(const agntos::Json& value);

  // Atomically writes proposals/<id>.json.
  void save(const agntos::Paths& paths) const;
  // Throws Error(Errc::not_found) naming the pending proposals when `id` is unknown.
  static Proposal load(const agntos::Paths& paths, const std::string& id);
  static void remove(const agntos::Paths& paths, const std::string& id);
  // Pending proposals, oldest first (malformed files are skipped).
  static std::vector<Proposal> pending(const agntos::Paths& paths);
};

}  // namespace agntctl
