// SPDX-License-Identifier: MIT
#pragma once
// The journal of a transaction (`<config>/.agntos-journal.json`, docs/pipeline.md "apply"): the
// request and the exact previous bytes of every file it touches, written atomically before any
// file changes. While it exists a crash is recoverable: recover_interrupted_transaction
// (transaction.h) reverts a journal still `writing` and finishes one `activated`.

#include <map>
#include <optional>
#include <string>

#include "agntctl/pipeline/change_set.h"
#include "agntctl/pipeline/transaction.h"
#include "common/enum_names.h"
#include "common/json.h"
#include "common/paths.h"

namespace agntctl {

// Where a transaction is: files being written and the system activated ("writing", reverted by
// the recovery), or activated (finished by the recovery).
enum class JournalPhase { writing, activated };
inline constexpr agntos::EnumNames<JournalPhase, 2> kJournalPhaseNames{
    "journal phase", {{{JournalPhase::writing, "writing"}, {JournalPhase::activated, "activated"}}}};
constexpr const auto& names_of(JournalPhase) { return kJournalPhaseNames; }

struct Journal {
  std::string audit_id;
  JournalPhase phase = JournalPhase::writing;
  TransactionRequest request;
  std::optional<long long> generation_before;
  std::optional<long long> generation_after;
  std::optional<std::string> activated;      // store path of the system running after activation
  std::optional<agntos::ActivationMode> mode;  // how it was activated
  std::optional<long long> activated_at_ms;  // when: the confirm deadline counts from here
  FilesBefore before;                        // path -> previous bytes (nullopt: absent)

  agntos::Json to_json() const;
  static Journal from_json(const agntos::Json& value);
  // Written atomically, mode 0600 (it holds the previous bytes of the files).
  void save(const agntos::Paths& paths) const;
};

}  // namespace agntctl
