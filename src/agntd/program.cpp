// SPDX-License-Identifier: MIT
#include "agntd/program.h"

#include <CLI/CLI.hpp>

#include <iostream>

#include "common/error.h"

#ifndef AGNTOS_VERSION
#define AGNTOS_VERSION "0.0.0"
#endif

namespace agntd {

int run(int argc, char** argv) {
  CLI::App app{"agntd - the AgntOS agent daemon (LLM, prompt, approval gate, sessions, Unix socket)"};
  app.set_version_flag("--version", "agntd " AGNTOS_VERSION);
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    throw agntos::Error(agntos::Errc::usage, std::string(e.what()) + " (see 'agntd --help')");
  }
  std::cerr << "agntd: not available yet in this build; see docs/ for the roadmap\n";
  return 1;
}

}  // namespace agntd
