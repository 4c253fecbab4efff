// SPDX-License-Identifier: MIT
#pragma once
// The error a provider throws when an endpoint cannot give an answer. Its message is for the
// user (it names the endpoint and the cause) and never contains an API key.

#include <string>

#include "common/error.h"

namespace agntd::llm {

enum class LlmFailure {
  config,       // the profile cannot be used (e.g. its key variable is unset)
  connect,      // no connection to the endpoint
  http_status,  // the endpoint answered with an error status
  timeout,      // the endpoint stopped sending
  broken,       // the connection broke or the stream ended early
  protocol,     // the endpoint sent something that is not the expected format
  endpoint,     // the endpoint reported an error inside the stream
};

class LlmError : public agntos::Error {
public:
  LlmError(LlmFailure kind, const std::string& message, long http_status = 0, bool retryable = false)
      : agntos::Error(kind == LlmFailure::timeout ? agntos::Errc::timeout : agntos::Errc::failed, message),
        m_kind(kind),
        m_http_status(http_status),
        m_retryable(retryable) {}
  LlmFailure kind() const noexcept { return m_kind; }
  long http_status() const noexcept { return m_http_status; }
  // Whether a new attempt could succeed (consulted only while nothing has been delivered).
  bool retryable() const noexcept { return m_retryable; }

private:
  LlmFailure m_kind;
  long m_http_status;
  bool m_retryable;
};

}  // namespace agntd::llm
