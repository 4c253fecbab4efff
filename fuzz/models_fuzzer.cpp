// SPDX-License-Identifier: MIT
// models.toml (src/common/models_config.h, src/agntctl/models_toml_editor.h). The input is the file. ModelsConfig::parse either
// gives a config whose routes all name a profile and whose network profiles have an http(s)
// endpoint and a model, or throws agntos::Error. The line editor behind 'agntctl model'
// never fails on any text, leaves the text unchanged when it is asked to change nothing, and
// turns a valid file into a valid file in which the profile it added serves the route it set.

#include "agntctl/models_toml_editor.h"
#include "common/error.h"
#include "common/models_config.h"
#include "fuzz_support.h"

using agntos::ModelsConfig;
using agntctl::ModelsTomlEditor;
using agntos::ProviderKind;

namespace {

void check_config(const ModelsConfig& config) {
  for (const auto& profile : config.profiles) {
    (void)profile.to_json().dump(-1, ' ', false, agntos::Json::error_handler_t::replace);
    FUZZ_CHECK(profile.max_tokens > 0);
    FUZZ_CHECK(!profile.temperature || *profile.temperature >= 0);
    if (profile.provider == ProviderKind::offline) continue;
    FUZZ_CHECK(profile.endpoint.starts_with("http://") || profile.endpoint.starts_with("https://"));
    FUZZ_CHECK(!profile.endpoint.ends_with("/") && !profile.model.empty());
  }
  for (const auto& [task_class, target] : config.routes) {
    FUZZ_CHECK(config.find(target) != nullptr);
    FUZZ_CHECK(config.resolve(task_class).name == target);
  }
  (void)config.resolve("chat");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = fuzz::as_text(data, size);
  bool valid = false;
  bool editable = true;
  try {
    const auto config = ModelsConfig::parse(text, "models.toml");
    check_config(config);
    valid = true;
    // agntctl refuses to edit a profile that is not written as its own table.
    editable = !config.find("fuzz") || ModelsTomlEditor(text).has_profile_table("fuzz");
  } catch (const agntos::Error&) {
  }

  const ModelsTomlEditor untouched(text);
  std::string expected(text);
  if (!expected.empty() && expected.back() != '\n') expected += '\n';
  FUZZ_CHECK(untouched.text() == expected);

  // What 'agntctl model add fuzz ...' then 'agntctl model route chat fuzz' do to a valid file.
  ModelsTomlEditor editor(text);
  editor.set_profile("fuzz", {{"provider", "openai"}, {"endpoint", "http://127.0.0.1:1/v1"}, {"model", "m"}});
  editor.set_route("chat", "fuzz");
  try {
    const auto edited = ModelsConfig::parse(editor.text(), "models.toml");
    const auto profile = edited.resolve("chat");
    FUZZ_CHECK(profile.name == "fuzz" && profile.endpoint == "http://127.0.0.1:1/v1" && profile.model == "m");
  } catch (const agntos::Error&) {
    FUZZ_CHECK(!valid || !editable);
  }
  (void)editor.remove_route("chat");
  (void)editor.remove_profile("fuzz");
  return 0;
}
