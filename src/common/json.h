// SPDX-License-Identifier: MIT
#pragma once
// JSON type used everywhere: insertion-ordered so that output keeps a readable, stable key order.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace agntos {

using Json = nlohmann::ordered_json;

// `null` for nothing: an empty optional becomes null, a value becomes itself.
template <typename T>
Json json_or_null(const std::optional<T>& value) {
  return value ? Json(*value) : Json(nullptr);
}

// The string at `key`, or nullopt when absent or not a string.
std::optional<std::string> json_string(const Json& object, const char* key);
// The integer at `key`, or nullopt when absent, not a number, or not an integer that fits in a
// long long (1.5, 1e300 and 18446744073709551615 are absent; 42.0 is 42).
std::optional<long long> json_int(const Json& object, const char* key);

// Parses text, turning nlohmann's exception into Error(Errc::failed) naming `what`.
Json parse_json(const std::string& text, std::string_view what);

}  // namespace agntos
