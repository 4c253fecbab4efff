// SPDX-License-Identifier: MIT
#include "agntctl/pipeline/progress.h"

#include <cstdio>
#include <memory>
#include <string>

#include "common/text.h"

namespace agntctl {
namespace {

void print_line(std::string_view line) {
  std::fprintf(stderr, "  | %s\n", agntos::visible_text(line).c_str());
}

// The text of an unfinished line; printed when the sink goes away.
struct PendingLine {
  std::string text;
  ~PendingLine() {
    if (!text.empty()) print_line(text);
  }
};

}  // namespace

ProgressSink stderr_progress() {
  // Build output can carry text a module chose (a derivation's name, a builder's echo): whole
  // lines are shown with control characters made visible, never passed to the terminal.
  auto pending = std::make_shared<PendingLine>();
  return [pending](std::string_view chunk) {
    auto& text = pending->text;
    text.append(chunk);
    for (auto newline = text.find('\n'); newline != std::string::npos; newline = text.find('\n')) {
      print_line(std::string_view(text).substr(0, newline));
      text.erase(0, newline + 1);
    }
    std::fflush(stderr);
  };
}

}  // namespace agntctl
