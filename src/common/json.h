// SPDX-License-Identifier: MIT
#pragma once
// JSON type used everywhere: insertion-ordered so that output keeps a readable, stable key order.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <type_traits>

#include "common/enum_names.h"

namespace agntos {

using Json = nlohmann::ordered_json;

// `null` for nothing: an empty optional becomes null, a value becomes itself, a named enum its
// name (never its number).
template <typename T>
  requires(!std::is_enum_v<T>)
Json json_or_null(const std::optional<T>& value) {
  return value ? Json(*value) : Json(nullptr);
}
template <NamedEnum E>
Json json_or_null(const std::optional<E>& value) {
  return value ? Json(std::string(to_string(*value))) : Json(nullptr);
}

// The string at `key`, or nullopt when absent or not a string.
std::optional<std::string> json_string(const Json& object, const char* key);
// The named enum at `key`, or nullopt when absent or not one of its names.
template <NamedEnum E>
std::optional<E> json_enum(const Json& object, const char* key) {
  const auto text = json_string(object, key);
  return text ? enum_from_string<E>(*text) : std::nullopt;
}
// The integer at `key`, or nullopt when absent, not a number, or not an integer that fits in a
// long long (1.5, 1e300 and 18446744073709551615 are absent; 42.0 is 42).
std::optional<long long> json_int(const Json& object, const char* key);

// The text of `value` (compact, or indented by `indent` spaces). Bytes that are not UTF-8
// inside strings become U+FFFD instead of throwing nlohmann's type_error 316: text from files,
// argv and processes reaches JSON output everywhere, and must never abort a program. Every
// JSON output of the project goes through this.
std::string dump_json(const Json& value, int indent = -1);

// Parses text, turning nlohmann's exception into Error(Errc::failed) naming `what`.
Json parse_json(const std::string& text, std::string_view what);

}  // namespace agntos
