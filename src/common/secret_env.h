// SPDX-License-Identifier: MIT
#pragma once
// Secrets that arrive in environment variables (the API key named by models.toml's
// api_key_env) and must stay in this process's memory only (SPEC §4 promise 4).
//
// take_secret_variable moves a variable out of the environment: the value is kept in a
// process-wide store, the bytes of the original "NAME=value" are overwritten in place (that is
// the memory the kernel shows in /proc/<pid>/environ, which unsetenv alone leaves intact), and
// the variable is unset, so no child process inherits it. Call it before any thread starts.
// secret_variable then answers from the store, falling back to the environment for a name
// that was never taken. redact_secrets keeps the values out of any text that leaves the process.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agntos {

// Moves `name` out of the environment (see above); nothing happens when it is not set.
void take_secret_variable(const std::string& name);

// The value of `name`: the taken secret, else the environment's; nullopt when neither has it.
std::optional<std::string> secret_variable(const std::string& name);

// What replaces a secret in text.
inline constexpr std::string_view kRedactedMark = "[redacted]";
// `text` with every occurrence of every non-empty secret replaced by kRedactedMark: the one
// place secrets are taken out of messages, logs and stored sessions.
std::string redact_secrets(std::string text, const std::vector<std::string>& secrets);

}  // namespace agntos
