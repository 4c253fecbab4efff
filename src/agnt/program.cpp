// SPDX-License-Identifier: MIT
#include "agnt/program.h"

#include <CLI/CLI.hpp>

#include <iostream>

#include "common/error.h"

#ifndef AGNTOS_VERSION
#define AGNTOS_VERSION "0.0.0"
#endif

namespace agnt {

int run(int argc, char** argv) {
  CLI::App app{"agnt - the AgntOS terminal chat client"};
  app.set_version_flag("--version", "agnt " AGNTOS_VERSION);
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    throw agntos::Error(agntos::Errc::usage, std::string(e.what()) + " (see 'agnt --help')");
  }
  std::cerr << "agnt: the chat client is not in this build yet; to talk to the agent on this terminal, run "
               "'agntd --repl'\n";
  return 1;
}

}  // namespace agnt
