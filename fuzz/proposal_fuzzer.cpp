// SPDX-License-Identifier: MIT
// Staged proposal files (src/common/proposal.h): proposals/<id>.json is group-writable, so its
// text is untrusted. The input is the file. Properties: parse_json either gives a value or
// throws agntos::Error; Proposal::from_json either gives a proposal or throws agntos::Error;
// an accepted proposal saves (the dump Proposal::save does) and loads back to the same
// proposal, and its summary passes through the prompt scanner as agntd puts it in a prompt;
// Proposal::all skips the file when it is malformed and lists it otherwise.

#include "common/error.h"
#include "common/json.h"
#include "common/memory_scan.h"
#include "common/proposal.h"
#include "fuzz_support.h"

using agntos::Json;
using agntos::Proposal;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(fuzz::as_text(data, size));
  bool accepted = false;
  try {
    const Json value = agntos::parse_json(text, "proposal");
    const Proposal proposal = Proposal::from_json(value);
    accepted = true;
    FUZZ_CHECK(!proposal.id.empty() && !proposal.changes.empty());
    for (const auto& change : proposal.changes) FUZZ_CHECK(change.content.has_value() == (change.action() == "write"));
    const std::string saved = proposal.to_json().dump(2) + "\n";  // as Proposal::save writes it
    const Proposal loaded = Proposal::from_json(agntos::parse_json(saved, "proposal"));
    FUZZ_CHECK(loaded.to_json() == proposal.to_json());
    (void)agntos::scan_prompt_text(proposal.summary);  // what agntd does before the summary enters a prompt
  } catch (const agntos::Error&) {
  }

  agntos::Paths paths;
  paths.config_dir = fuzz::ScratchDir::get() / "config";
  fuzz::put_file(paths.proposals_dir() / "p-0.json", text);
  const auto all = Proposal::all(paths);
  FUZZ_CHECK(all.size() == (accepted ? 1u : 0u));
  return 0;
}
