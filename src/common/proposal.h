// SPDX-License-Identifier: MIT
#pragma once
// A staged proposal (SPEC §3.1), stored as proposals/<id>.json in the config dir, and the
// file changes it carries. One owner for both programs: agntctl stages, plans and applies
// proposals; agntd lists the pending ones in the prompt through the same code.
//
// Paths are relative to the config dir ("packages/htop.nix"). Each change carries the git blob
// hash of the content it expects to replace (nullopt: the file must not exist). A proposal is
// stale exactly when one of the files it writes or deletes no longer has that content;
// changes to other files do not make it stale.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/change_origin.h"
#include "common/json.h"
#include "common/paths.h"

namespace agntos {

struct FileChange {
  std::string path;                          // relative, e.g. "packages/htop.nix"
  std::optional<std::string> content;        // new content; nullopt = delete the file
  std::optional<std::string> expected_hash;  // blob hash of the current content; nullopt = absent

  std::string action() const { return content ? "write" : "delete"; }
  Json to_json() const;
  static FileChange from_json(const Json& value);
};

// The blob hash of a file's current content, nullopt when it does not exist.
std::optional<std::string> current_hash(const std::filesystem::path& file);

struct Proposal {
  std::string id;
  std::string created_at;
  std::string summary;
  ChangeOrigin origin;  // its proposal_id is this proposal's id (from_json makes sure)
  std::vector<std::string> packages;
  std::vector<FileChange> changes;
  std::string base;  // tree hash of the config dir when proposed (informational)
  Json validation = Json::object();
  Json closure = nullptr;  // the closure diff of the built system (agntctl's ClosureDiff), or null
  std::string diff;  // as shown at propose time; never shown again (plans recompute it)
  std::string rollback_guidance;

  Json to_json() const;
  static Proposal from_json(const Json& value);

  // The paths of the changes whose file no longer has the content the proposal was made
  // against (empty: not stale).
  std::vector<std::string> changed_files(const std::filesystem::path& config_dir) const;

  // Atomically writes proposals/<id>.json.
  void save(const Paths& paths) const;
  // Throws Error(Errc::usage) for a malformed id, Error(Errc::not_found) naming the pending
  // proposals when `id` is unknown.
  static Proposal load(const Paths& paths, const std::string& id);
  static void remove(const Paths& paths, const std::string& id);
  // Every staged proposal, stale or not, oldest first (malformed files are skipped).
  static std::vector<Proposal> all(const Paths& paths);
  // The proposals that can still be applied as made: all() without the stale ones.
  static std::vector<Proposal> pending(const Paths& paths);
};

}  // namespace agntos
