// SPDX-License-Identifier: MIT
// agntos.toml (src/common/settings.h). The input is the file. Settings::load either gives
// settings whose every value is one the rest of the program handles, or throws agntos::Error.

#include "common/error.h"
#include "common/settings.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  agntos::Paths paths;
  paths.config_dir = fuzz::ScratchDir::get() / "config";
  paths.state_dir = fuzz::ScratchDir::get() / "state";
  fuzz::put_file(paths.settings_file(), fuzz::as_text(data, size));
  try {
    const auto settings = agntos::Settings::load(paths);
    const auto& rebuild = settings.rebuild;
    // Every enum holds one of its named values (to_string says "?" for anything else).
    FUZZ_CHECK(agntos::to_string(rebuild.backend) != "?");
    FUZZ_CHECK(agntos::to_string(rebuild.mode) != "?");
    FUZZ_CHECK(agntos::to_string(rebuild.privilege) != "?");
    FUZZ_CHECK(agntos::to_string(settings.policy.auto_apply) != "?");
    FUZZ_CHECK(agntos::to_string(settings.policy.bash_sandbox) != "?");
    const auto& limits = settings.limits;
    FUZZ_CHECK(limits.memory_chars > 0 && limits.user_chars > 0 && limits.tool_output_chars > 0 && limits.max_rounds > 0);
  } catch (const agntos::Error&) {
  }
  return 0;
}
