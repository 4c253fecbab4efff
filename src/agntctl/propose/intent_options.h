// SPDX-License-Identifier: MIT
#pragma once
// The option paths and values of intents, checked and completed against the options index
// (issue 12 item 4), before propose writes their modules:
//
//   enable/disable S   services.S.enable when NixOS has it; otherwise the one option named
//                      <...>.S.enable ("enable docker" -> virtualisation.docker.enable); otherwise
//                      refused with the closest options.
//   set PATH VALUE     PATH must be an option (unknown: refused with "did you mean"; a set of
//                      options: refused naming some of them; read-only: refused); VALUE must fit
//                      its type (refused quoting the type: "list of 16 bit unsigned integer; ...").
//                      A list option given one element gets a list; a list option merges with the
//                      list its file in the tree already sets (open 80 when 443 is open: both).
//   set the WORDS to V the words name a setting: resolved to the one option they name
//                      ("the timezone" -> time.timeZone), else refused listing the candidates.
//
// Without an index, paths are used as given (phrases are refused: there is nothing to look them
// up in) and notes() says the check was not run. Refusals throw Error(Errc::validation).

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "agntctl/pipeline/options_source.h"
#include "agntctl/propose/intent_grammar.h"
#include "common/json.h"

namespace agntctl {

class IntentOptions {
public:
  explicit IntentOptions(const ReachableOptions& options) : m_options(options) {}

  // The option "enable/disable <service>" sets.
  std::string service_option(const std::string& service);

  struct Setting {
    std::string path;          // the option path written
    std::string value_source;  // Nix source of the value
  };
  // The list the option's own file in the tree sets now (JSON list), or null.
  using ExistingValue = std::function<agntos::Json(const std::string& path)>;
  // A `set` intent. `raw_nix`: the value is a --nix-expr expression (its type is left to the build).
  Setting setting(const Intent& intent, bool raw_nix, const ExistingValue& existing);

  // What was checked, one line per intent, for the proposal's validation report.
  const std::vector<std::string>& notes() const { return m_notes; }

private:
  std::string check_path(const std::string& path);
  std::string resolve_phrase(const Intent& intent);

  const ReachableOptions& m_options;
  std::vector<std::string> m_notes;
};

}  // namespace agntctl
