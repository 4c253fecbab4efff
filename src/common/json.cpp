// SPDX-License-Identifier: MIT
#include "common/json.h"

#include <climits>
#include <cmath>

#include "common/error.h"

namespace agntos {

std::optional<std::string> json_string(const Json& object, const char* key) {
  if (!object.is_object()) return std::nullopt;
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::optional<long long> json_int(const Json& object, const char* key) {
  if (!object.is_object()) return std::nullopt;
  auto it = object.find(key);
  if (it == object.end()) return std::nullopt;
  if (it->is_number_integer()) {
    // An unsigned number above LLONG_MAX does not fit.
    if (it->is_number_unsigned() && it->get<unsigned long long>() > static_cast<unsigned long long>(LLONG_MAX))
      return std::nullopt;
    return it->get<long long>();
  }
  if (!it->is_number_float()) return std::nullopt;
  // Converting a double outside long long's range is undefined behaviour: check first. 2^63 is
  // exactly representable; every double below it (and at or above -2^63) converts.
  const double number = it->get<double>();
  constexpr double kLimit = 9223372036854775808.0;  // 2^63
  if (!(number >= -kLimit && number < kLimit) || std::trunc(number) != number) return std::nullopt;
  return static_cast<long long>(number);
}

std::string dump_json(const Json& value, int indent) {
  return value.dump(indent, ' ', false, Json::error_handler_t::replace);
}

Json parse_json(const std::string& text, std::string_view what) {
  try {
    return Json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw Error(Errc::failed, std::string(what) + " is not valid JSON: " + e.what());
  }
}

}  // namespace agntos
