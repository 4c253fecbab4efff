// SPDX-License-Identifier: MIT
#include "support/error_of.h"

namespace agntos::testing {

std::optional<Errc> error_of(const std::function<void()>& call, std::string* message) {
  try {
    call();
  } catch (const Error& error) {
    if (message) *message = error.what();
    return error.code();
  }
  return std::nullopt;
}

std::string message_of(const std::function<void()>& call) {
  std::string message;
  error_of(call, &message);
  return message;
}

}  // namespace agntos::testing
