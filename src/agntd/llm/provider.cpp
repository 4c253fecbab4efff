// SPDX-License-Identifier: MIT
#include "agntd/llm/provider.h"

#include "agntd/llm/http_provider.h"

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
  return std::make_unique<HttpProvider>(profile, std::move(transport), options);
}

}  // namespace agntd::llm
