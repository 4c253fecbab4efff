// SPDX-License-Identifier: MIT
#pragma once
// The provider of every HTTP API: one POST per request, streamed, retried and cancelled as
// retry.h says, in the dialect of the profile's API (dialect.h).

#include <memory>

#include "agntd/llm/dialect.h"
#include "agntd/llm/provider.h"

namespace agntd::llm {

class HttpProvider : public Provider {
public:
  // Throws agntos::Error for an "offline" profile, which has no HTTP API.
  HttpProvider(agntos::ModelProfile profile, std::shared_ptr<HttpTransport> transport, ProviderOptions options = {});

  ChatResponse chat(const ChatRequest& request, StreamSink& sink, const std::atomic<bool>& cancel) override;
  const agntos::ModelProfile& profile() const override { return m_profile; }

  // The JSON body chat() sends for `request`.
  Json request_body(const ChatRequest& request) const { return m_dialect->request_body(request, m_profile); }

private:
  agntos::ModelProfile m_profile;
  std::shared_ptr<HttpTransport> m_transport;
  ProviderOptions m_options;
  std::unique_ptr<Dialect> m_dialect;
};

}  // namespace agntd::llm
