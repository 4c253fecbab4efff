// SPDX-License-Identifier: MIT
#include "agntctl/pipeline/progress.h"

#include <cstdio>
#include <memory>
#include <string>

namespace agntctl {

ProgressSink stderr_progress() {
  auto at_line_start = std::make_shared<bool>(true);
  return [at_line_start](std::string_view chunk) {
    for (char c : chunk) {
      if (*at_line_start) std::fputs("  | ", stderr);
      std::fputc(c, stderr);
      *at_line_start = c == '\n';
    }
    std::fflush(stderr);
  };
}

}  // namespace agntctl
