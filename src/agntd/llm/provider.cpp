// SPDX-License-Identifier: MIT
#include "agntd/llm/provider.h"

#include "agntd/llm/anthropic_provider.h"
#include "agntd/llm/openai_provider.h"

namespace agntd::llm {

std::optional<std::string> request_api_key(const agntos::ModelProfile& profile) {
  try {
    return agntos::read_api_key(profile);
  } catch (const agntos::Error& e) {
    throw LlmError(LlmFailure::config, e.what());
  }
}

std::unique_ptr<Provider> make_http_provider(const agntos::ModelProfile& profile,
                                             std::shared_ptr<HttpTransport> transport,
                                             const ProviderOptions& options) {
  switch (profile.provider) {
    case agntos::ProviderKind::openai:
      return std::make_unique<OpenAiProvider>(profile, std::move(transport), options);
    case agntos::ProviderKind::anthropic:
      return std::make_unique<AnthropicProvider>(profile, std::move(transport), options);
    case agntos::ProviderKind::offline:
      break;
  }
  throw agntos::Error(agntos::Errc::failed,
                      "profile '" + profile.name + "' uses the offline provider, which makes no HTTP requests");
}

}  // namespace agntd::llm
