// SPDX-License-Identifier: MIT
#include "agntd/llm/http_provider.h"

#include "common/error.h"

namespace agntd::llm {
namespace {

std::unique_ptr<Dialect> dialect_of(const agntos::ModelProfile& profile) {
  switch (profile.provider) {
    case agntos::ProviderKind::openai: return openai_dialect();
    case agntos::ProviderKind::anthropic: return anthropic_dialect();
    case agntos::ProviderKind::offline: break;
  }
  throw agntos::Error(agntos::Errc::failed,
                      "profile '" + profile.name + "' uses the offline provider, which makes no HTTP requests");
}

}  // namespace

HttpProvider::HttpProvider(agntos::ModelProfile profile, std::shared_ptr<HttpTransport> transport,
                           ProviderOptions options)
    : m_profile(std::move(profile)), m_transport(std::move(transport)), m_options(options),
      m_dialect(dialect_of(m_profile)) {}

ChatResponse HttpProvider::chat(const ChatRequest& request, StreamSink& sink, const std::atomic<bool>& cancel) {
  HttpRequest http;
  http.url = m_profile.endpoint + m_dialect->path();
  http.headers = {{"Content-Type", "application/json"}, {"Accept", "text/event-stream"}};
  const auto key = request_api_key(m_profile);
  for (auto& header : m_dialect->headers(key)) http.headers.push_back(std::move(header));
  if (key) http.secrets.push_back(*key);
  http.body = agntos::dump_json(request_body(request));
  http.connect_timeout = m_options.connect_timeout;
  http.idle_timeout = m_options.idle_timeout;

  const auto decoder = m_dialect->decoder(sink);
  const StreamEnd end = stream_with_retries(*m_transport, http, m_options.retry, *decoder, cancel);
  return decoder->response(end == StreamEnd::cancelled);
}

}  // namespace agntd::llm
