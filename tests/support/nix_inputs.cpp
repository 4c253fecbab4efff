// SPDX-License-Identifier: MIT
#include "support/nix_inputs.h"

#include "common/json.h"

namespace agntos::testing {

using namespace std::string_literals;

std::vector<std::string> hostile_names() {
  return {
      "htop; rm -rf /",
      "pkgs.htop ]; imports = [ /etc/passwd",
      "htop\"",
      "${builtins.readFile /etc/shadow}",
      "a..b",
      ".htop",
      "htop.",
      "-htop",
      "1htop",
      "ht op",
      "htop\n",
      "htop\t",
      "htop\r",
      "htop/../x",
      "/abs",
      "../etc",
      "htop#x",
      "htop$",
      "htop`id`",
      "htop'; x",
      "",
      std::string(201, 'a'),
      std::string(100, 'a') + "." + std::string(100, 'b'),
      "\xD2\xBBtop",              // Cyrillic shha, looks like h
      "ht\xE2\x80\x8Bop",         // zero-width space
      "htop\xE2\x80\x8D",         // zero-width joiner
      "\xEF\xBB\xBFhtop",         // byte-order mark
      "htop\xC2\xA0",             // no-break space
      "\xEF\xBD\x88top",          // full-width h
      "htop\xE2\x80\xAE",         // right-to-left override
      "htop\xFF\xFE",             // not UTF-8
      "htop\0"s,
      "\0htop"s,
      "with pkgs; htop",
      "htop=1",
      "htop{}",
      "(htop)",
      "htop,btop",
      "htop\\x",
      "'htop",
      "a.'b",
      "a.1b",
      "htop:x",
      "htop@2",
      "htop*",
      "~/x",
      "htop\x7F",
      "<nixpkgs>",
      "\"htop\"",
      "htop;",
      "htop.${x}",
      "x/*y*/",
      "htop || true",
      "a.b.",
      ".",
      "htop\x1B[31m",
  };
}

std::string shown(const std::string& text) { return Json(text).dump(-1, ' ', false, Json::error_handler_t::replace); }

bool have_nix() { return find_program("nix-instantiate").has_value(); }

ProcessResult nix_instantiate(const std::vector<std::string>& arguments) {
  std::vector<std::string> argv{"nix-instantiate", "--option", "substituters", ""};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  ProcessOptions options;
  options.timeout = std::chrono::seconds(60);
  return run_process(argv, options);
}

}  // namespace agntos::testing
