// SPDX-License-Identifier: MIT
#include "common/run_main.h"

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string_view>

#include "common/error.h"
#include "common/json.h"
#include "common/text.h"

namespace agntos {
namespace {

void report(int argc, char** argv, std::string_view code, const std::string& message) {
  const std::string program = argc > 0 ? std::filesystem::path(argv[0]).filename().string() : "agntos";
  bool json = false;
  for (int i = 1; i < argc; ++i) json = json || std::strcmp(argv[i], "--json") == 0;
  std::cout.flush();
  if (json) std::cout << agntos::dump_json(Json{{"error", {{"code", code}, {"message", message}}}}) << std::endl;
  std::cerr << program << ": error: " << visible_text(message) << std::endl;  // messages quote paths and input
}

}  // namespace

int run_main(int argc, char** argv, int (*body)(int argc, char** argv)) {
  try {
    return body(argc, argv);
  } catch (const Error& e) {
    report(argc, argv, e.code_name(), e.what());
    return e.exit_status();
  } catch (const std::exception& e) {
    report(argc, argv, "failed", e.what());
    return 1;
  }
}

}  // namespace agntos
