// SPDX-License-Identifier: MIT
#include "agntctl/pipeline/nix_run.h"

#include <chrono>

#include "common/error.h"

namespace agntctl {

agntos::ProcessResult run_nix(const agntos::NixEnvironment& nix, const std::vector<std::string>& argv) {
  if (!agntos::find_program(argv[0]))
    throw agntos::Error(agntos::Errc::nix_missing,
                        "Nix is not installed (" + argv[0] +
                            " not found on PATH); AgntOS validates every change with real Nix and will not skip it. "
                            "Install Nix (Debian: apt-get install nix-bin)");
  agntos::ProcessOptions options;
  options.timeout = std::chrono::minutes(5);
  // The package list of a nixpkgs-sized set (120,000 names) is over 2 MB of JSON: the default
  // cap of 1 MiB cut it off and propose failed with "package list is not valid JSON".
  options.output_cap = size_t{64} << 20;
  nix.apply(options);
  return agntos::run_process(nix.command(argv), options);
}

}  // namespace agntctl
