// SPDX-License-Identifier: MIT
#include "common/json.h"

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
  if (it == object.end() || !it->is_number()) return std::nullopt;
  return it->get<long long>();
}

Json parse_json(const std::string& text, std::string_view what) {
  try {
    return Json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw Error(Errc::failed, std::string(what) + " is not valid JSON: " + e.what());
  }
}

}  // namespace agntos
