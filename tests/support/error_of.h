// SPDX-License-Identifier: MIT
#pragma once
// What a call throws, for tests that check refusals by their stable code and their message.

#include <functional>
#include <optional>
#include <string>

#include "common/error.h"

namespace agntos::testing {

// The Errc of the agntos::Error `call` throws (its message into `message` when given), or
// nullopt when it returns normally.
std::optional<Errc> error_of(const std::function<void()>& call, std::string* message = nullptr);
// The message of the agntos::Error `call` throws; empty when it returns normally.
std::string message_of(const std::function<void()>& call);

}  // namespace agntos::testing
