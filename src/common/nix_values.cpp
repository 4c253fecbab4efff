// SPDX-License-Identifier: MIT
#include "common/nix_values.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <vector>

#include "common/error.h"
#include "common/nix_names.h"
#include "common/text.h"

namespace agntos {
namespace {

// Deeper JSON is refused rather than rendered: nobody writes such an option value by hand,
// and the renderer recurses.
constexpr int kMaxJsonDepth = 64;
// A list (or a one-attribute set) of scalars goes on one line when it is at most this long.
constexpr size_t kOneLineWidth = 60;

// -?[0-9]+
bool is_integer_text(std::string_view text) {
  if (!text.empty() && text[0] == '-') text.remove_prefix(1);
  return all_digits(text);
}

// -?([0-9]+.[0-9]*|.[0-9]+|[0-9]+)([eE][+-]?[0-9]+)? with a '.' or an exponent.
bool is_float_text(std::string_view text) {
  if (!text.empty() && text[0] == '-') text.remove_prefix(1);
  const auto exponent_at = text.find_first_of("eE");
  std::string_view mantissa = text.substr(0, exponent_at);
  if (exponent_at != std::string_view::npos) {
    std::string_view exponent = text.substr(exponent_at + 1);
    if (!exponent.empty() && (exponent[0] == '+' || exponent[0] == '-')) exponent.remove_prefix(1);
    if (!all_digits(exponent)) return false;
  }
  const auto dot = mantissa.find('.');
  if (dot == std::string_view::npos) return exponent_at != std::string_view::npos && all_digits(mantissa);
  const auto whole = mantissa.substr(0, dot);
  const auto fraction = mantissa.substr(dot + 1);
  if (!whole.empty() && !all_digits(whole)) return false;
  if (!fraction.empty() && !all_digits(fraction)) return false;
  return !whole.empty() || !fraction.empty();
}

// The whole text as a number; nullopt when it is out of range.
template <typename Number>
std::optional<Number> whole_text_as(std::string_view text) {
  Number number{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return number;
}

// Nix has no literal for the smallest 64-bit integer (it is a negated, too large literal).
std::string render_integer(long long value) {
  if (value == std::numeric_limits<long long>::min())
    throw Error(Errc::validation, "integer " + std::to_string(value) + " has no Nix literal (the smallest is " +
                                      std::to_string(value + 1) + ")");
  return std::to_string(value);
}

// Nix 2.x reads floats only with a '.' in the mantissa ("1e5" is an application of 1 to e5)
// and rejects values its strtod reports as out of range, subnormals included.
std::string render_float(double value, std::string_view as_given) {
  if (!std::isfinite(value) || (value != 0 && std::fabs(value) < std::numeric_limits<double>::min()))
    throw Error(Errc::validation, "number " + std::string(as_given) + " is out of range for a Nix float");
  std::array<char, 64> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  const std::string text(buffer.data(), result.ptr);
  const auto exponent_at = text.find('e');
  std::string mantissa = text.substr(0, exponent_at);
  if (mantissa.find('.') == std::string::npos) mantissa += ".0";
  return exponent_at == std::string::npos ? mantissa : mantissa + text.substr(exponent_at);
}

// A list element or attribute value that is a container with something in it.
bool is_nested(const Json& value) { return (value.is_array() || value.is_object()) && !value.empty(); }

std::string render_json(const Json& value, int indent, int depth);

std::string render_list_element(const Json& value, int indent, int depth) {
  std::string text = render_json(value, indent, depth);
  // In a list, "-1" would read as a subtraction.
  return !text.empty() && text[0] == '-' ? "(" + text + ")" : text;
}

std::string render_json(const Json& value, int indent, int depth) {
  if (depth > kMaxJsonDepth)
    throw Error(Errc::validation, "JSON value nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  switch (value.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return value.get<bool>() ? "true" : "false";
    case Json::value_t::number_integer: return render_integer(value.get<long long>());
    case Json::value_t::number_unsigned: {
      const auto number = value.get<unsigned long long>();
      if (number > static_cast<unsigned long long>(std::numeric_limits<long long>::max()))
        throw Error(Errc::validation, "integer " + std::to_string(number) + " is too large for Nix (64-bit signed)");
      return std::to_string(number);
    }
    case Json::value_t::number_float: return render_float(value.get<double>(), value.dump());
    case Json::value_t::string: return render_nix_string(value.get_ref<const std::string&>());
    case Json::value_t::array: {
      if (value.empty()) return "[ ]";
      const std::string inner(static_cast<size_t>(indent) + 2, ' ');
      std::vector<std::string> elements;
      for (const auto& element : value) elements.push_back(render_list_element(element, indent + 2, depth + 1));
      const bool flat = std::none_of(value.begin(), value.end(), is_nested);
      const std::string one_line = "[ " + join(elements, " ") + " ]";
      if (flat && one_line.size() <= kOneLineWidth) return one_line;
      std::string text = "[\n";
      for (const auto& element : elements) text += inner + element + "\n";
      return text + std::string(static_cast<size_t>(indent), ' ') + "]";
    }
    case Json::value_t::object: {
      if (value.empty()) return "{ }";
      const std::string inner(static_cast<size_t>(indent) + 2, ' ');
      std::vector<std::string> bindings;
      for (const auto& [key, item] : value.items())
        bindings.push_back(render_attribute_name(key) + " = " + render_json(item, indent + 2, depth + 1) + ";");
      const std::string one_line = "{ " + bindings.front() + " }";
      if (value.size() == 1 && !is_nested(value.front()) && one_line.size() <= kOneLineWidth) return one_line;
      std::string text = "{\n";
      for (const auto& binding : bindings) text += inner + binding + "\n";
      return text + std::string(static_cast<size_t>(indent), ' ') + "}";
    }
    case Json::value_t::binary:
    case Json::value_t::discarded: break;
  }
  throw Error(Errc::validation, "JSON value of this type has no Nix literal");
}

}  // namespace

std::string render_nix_value(std::string_view value) {
  if (value == "true" || value == "false" || value == "null") return std::string(value);
  if (is_integer_text(value)) {
    const auto number = whole_text_as<long long>(value);
    if (!number)
      throw Error(Errc::validation, "integer " + std::string(value) +
                                        " is out of range for Nix (64-bit signed); for text, use "
                                        "--nix-expr with a quoted string");
    return render_integer(*number);
  }
  if (is_float_text(value)) {
    const auto number = whole_text_as<double>(value);
    if (!number) throw Error(Errc::validation, "number " + std::string(value) + " is out of range for a Nix float");
    return render_float(*number, value);
  }
  if (!value.empty() && (value.front() == '[' || value.front() == '{')) {
    const Json json = Json::parse(value.begin(), value.end(), nullptr, false);
    if (!json.is_discarded()) return render_nix_json(json);
  }
  return render_nix_string(value);
}

std::string render_nix_json(const Json& value, int indent) { return render_json(value, indent, 0); }

Json nix_value_as_json(std::string_view value) {
  if (value == "true" || value == "false") return value == "true";
  if (value == "null") return nullptr;
  if (is_integer_text(value))
    if (const auto number = whole_text_as<long long>(value)) return *number;
  if (is_float_text(value))
    if (const auto number = whole_text_as<double>(value)) return *number;
  if (!value.empty() && (value.front() == '[' || value.front() == '{')) {
    Json json = Json::parse(value.begin(), value.end(), nullptr, false);
    if (!json.is_discarded()) return json;
  }
  return std::string(value);
}

}  // namespace agntos
