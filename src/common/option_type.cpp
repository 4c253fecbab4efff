// SPDX-License-Identifier: MIT
#include "common/option_type.h"

#include <charconv>
#include <regex>

#include "common/text.h"

namespace agntos {
namespace {

using Kind = OptionType::Kind;

bool starts(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

// "(x)" -> "x" when the parentheses enclose the whole text.
std::string_view unparenthesise(std::string_view text) {
  while (text.size() >= 2 && text.front() == '(' && text.back() == ')') {
    int depth = 0;
    bool whole = true;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '(') ++depth;
      if (text[i] == ')' && --depth == 0 && i + 1 != text.size()) {
        whole = false;
        break;
      }
    }
    if (!whole) break;
    text = text.substr(1, text.size() - 2);
  }
  return text;
}

// Top-level " or " splits (outside parentheses and double quotes).
std::vector<std::string_view> alternatives_of(std::string_view text) {
  std::vector<std::string_view> parts;
  int depth = 0;
  bool quoted = false;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (depth == 0 && text.substr(i, 4) == " or ") {
      parts.push_back(text.substr(start, i - start));
      start = i + 4;
      i += 3;
    }
  }
  parts.push_back(text.substr(start));
  return parts;
}

std::optional<long long> number_at(std::string_view text) {
  long long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end == text.data()) return std::nullopt;
  return value;
}

// "... between A and B (both inclusive)"
void read_range(std::string_view text, OptionType& type) {
  const size_t at = text.find("between ");
  if (at == std::string_view::npos) return;
  const std::string_view rest = text.substr(at + 8);
  const size_t and_at = rest.find(" and ");
  if (and_at == std::string_view::npos) return;
  type.min = number_at(rest.substr(0, and_at));
  type.max = number_at(rest.substr(and_at + 5));
}

std::vector<Json> enum_values(std::string_view text) {
  std::vector<Json> values;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == ',')) ++i;
    if (i >= text.size()) break;
    if (text[i] == '"') {
      const size_t end = text.find('"', i + 1);
      if (end == std::string_view::npos) break;
      values.emplace_back(std::string(text.substr(i + 1, end - i - 1)));
      i = end + 1;
    } else {
      size_t end = text.find(',', i);
      if (end == std::string_view::npos) end = text.size();
      const std::string word = trim(text.substr(i, end - i));
      if (word == "true" || word == "false") values.emplace_back(word == "true");
      else if (const auto number = number_at(word)) values.emplace_back(*number);
      i = end;
    }
  }
  return values;
}

OptionType parse_one(std::string_view text) {
  OptionType type;
  text = unparenthesise(text);
  // "(string, not containing newlines or colons)" inside an alternative: the restriction.
  if (text.ends_with(", not containing newlines or colons")) return OptionType::parse(text);
  if (text == "null") {
    type.kind = Kind::null;
  } else if (text == "boolean" || starts(text, "boolean ")) {
    type.kind = Kind::boolean;
  } else if (starts(text, "list of ") || starts(text, "non-empty list of ")) {
    type.kind = Kind::list;
    type.element = std::make_shared<OptionType>(OptionType::parse(text.substr(text.find(" of ") + 4)));
  } else if (starts(text, "attribute set of ") || starts(text, "lazy attribute set of ")) {
    type.kind = Kind::attrs;
    type.element = std::make_shared<OptionType>(OptionType::parse(text.substr(text.find(" of ") + 4)));
  } else if (text == "attribute set") {
    type.kind = Kind::attrs;
  } else if (starts(text, "open submodule")) {
    type.kind = Kind::submodule;
    type.open = true;
  } else if (starts(text, "submodule")) {
    type.kind = Kind::submodule;
  } else if (starts(text, "one of ")) {
    type.kind = Kind::enumeration;
    type.choices = enum_values(text.substr(7));
  } else if (starts(text, "value ") && text.find("(singular enum)") != std::string_view::npos) {
    type.kind = Kind::enumeration;
    type.choices = enum_values(text.substr(6, text.find(" (singular enum)") - 6));
  } else if (text == "floating point number") {
    type.kind = Kind::floating;
  } else if (text.find("integer") != std::string_view::npos && text.find("floating") == std::string_view::npos &&
             text.find("string") == std::string_view::npos) {
    type.kind = Kind::integer;
    if (text.find("unsigned integer, meaning >=0") != std::string_view::npos) type.min = 0;
    if (text.find("positive integer, meaning >0") != std::string_view::npos) type.min = 1;
    read_range(text, type);
  } else if (text == "string" || starts(text, "string ") || starts(text, "string,") || starts(text, "non-empty string") ||
             starts(text, "strings concatenated with") || text.find("single-line string") != std::string_view::npos) {
    type.kind = Kind::string;
    type.non_empty = starts(text, "non-empty");
    type.single_line = text.find("single-line") != std::string_view::npos;
    type.no_spaces = text == "string without spaces";
    if (starts(text, "string matching the pattern ")) type.pattern = std::string(text.substr(28));
  } else if (text == "absolute path" || text == "path" || starts(text, "path in the Nix store") || starts(text, "absolute path")) {
    type.kind = Kind::path;
  } else if (text == "package") {
    type.kind = Kind::package;
  } else if (text == "anything" || text == "raw value" || text == "unspecified value" || text == "JSON value") {
    type.kind = Kind::any;
  }
  return type;
}

TypeCheck fits() { return TypeCheck{TypeCheck::Result::fits, ""}; }
TypeCheck no(std::string reason) { return TypeCheck{TypeCheck::Result::does_not_fit, std::move(reason)}; }

std::string range_text(const OptionType& type) {
  if (type.min && type.max) return "between " + std::to_string(*type.min) + " and " + std::to_string(*type.max);
  if (type.min) return "at least " + std::to_string(*type.min);
  return "at most " + std::to_string(*type.max);
}

TypeCheck check_string(const OptionType& type, const std::string& text) {
  if (type.non_empty && trim(text).empty()) return no("the value is empty");
  if (type.single_line && text.find('\n') != std::string::npos) return no("the value has a newline");
  if (type.no_colons && text.find(':') != std::string::npos) return no("the value has a colon");
  if (type.no_spaces && text.find(' ') != std::string::npos) return no("the value has a space");
  if (type.pattern) {
    try {
      // builtins.match: POSIX extended, the whole string must match.
      if (!std::regex_match(text, std::regex(*type.pattern, std::regex::extended)))
        return no(describe_value(text) + " does not match the pattern " + *type.pattern);
    } catch (const std::regex_error&) {
      return TypeCheck{TypeCheck::Result::unchecked, "the pattern " + *type.pattern + " was not checked"};
    }
  }
  return fits();
}

}  // namespace

OptionType OptionType::parse(std::string_view description) {
  const std::string_view text = unparenthesise(description);
  // "integer or floating point number ..." is one type (types.number), not two.
  for (const std::string_view number : {"integer or floating point number", "nonnegative integer or floating point number",
                                        "positive integer or floating point number"}) {
    if (starts(text, number)) {
      OptionType type;
      type.kind = Kind::number;
      if (starts(text, "nonnegative") || starts(text, "positive")) type.min = 0;
      read_range(text, type);
      return type;
    }
  }
  // types.passwdEntry: ", not containing newlines or colons" restricts the whole type before it.
  static constexpr std::string_view kPasswd = ", not containing newlines or colons";
  if (text.size() > kPasswd.size() && text.substr(text.size() - kPasswd.size()) == kPasswd) {
    OptionType type = parse(text.substr(0, text.size() - kPasswd.size()));
    type.single_line = type.no_colons = true;
    return type;
  }
  const auto parts = alternatives_of(text);
  if (parts.size() == 1) return parse_one(text);
  OptionType type;
  for (const auto part : parts) type.alternatives.push_back(parse_one(part));
  return type;
}

bool OptionType::may_have_attributes() const {
  if (!alternatives.empty()) {
    for (const auto& alternative : alternatives)
      if (alternative.may_have_attributes()) return true;
    return false;
  }
  return kind == Kind::attrs || kind == Kind::submodule || kind == Kind::any || kind == Kind::unknown;
}

const OptionType* OptionType::list_type() const {
  if (kind == Kind::list) return this;
  for (const auto& alternative : alternatives)
    if (const auto* list = alternative.list_type()) return list;
  return nullptr;
}

TypeCheck check_value(const OptionType& type, const Json& value) {
  if (!type.alternatives.empty()) {
    std::optional<TypeCheck> unchecked;
    std::vector<std::string> reasons;
    for (const auto& alternative : type.alternatives) {
      auto verdict = check_value(alternative, value);
      if (verdict.result == TypeCheck::Result::fits) return verdict;
      if (verdict.result == TypeCheck::Result::unchecked && !unchecked) unchecked = verdict;
      // A reason that is more than "wrong kind" is worth keeping ("70000 is out of range").
      if (verdict.result == TypeCheck::Result::does_not_fit && !verdict.reason.starts_with("got ")) reasons.push_back(verdict.reason);
    }
    if (unchecked) return *unchecked;
    return no(reasons.empty() ? "got " + describe_value(value) : join(reasons, "; "));
  }
  const auto wrong_kind = [&] { return no("got " + describe_value(value)); };
  switch (type.kind) {
    case Kind::null: return value.is_null() ? fits() : wrong_kind();
    case Kind::boolean: return value.is_boolean() ? fits() : wrong_kind();
    case Kind::integer: {
      if (!value.is_number_integer()) return wrong_kind();
      const long long number = value.is_number_unsigned() && value.get<unsigned long long>() > 9223372036854775807ULL
                                   ? 9223372036854775807LL
                                   : value.get<long long>();
      if ((type.min && number < *type.min) || (type.max && number > *type.max))
        return no(std::to_string(number) + " is out of range (" + range_text(type) + ")");
      return fits();
    }
    case Kind::floating: return value.is_number_float() ? fits() : wrong_kind();
    case Kind::number: {
      if (!value.is_number()) return wrong_kind();
      const double number = value.get<double>();
      if ((type.min && number < static_cast<double>(*type.min)) || (type.max && number > static_cast<double>(*type.max)))
        return no(value.dump() + " is out of range (" + range_text(type) + ")");
      return fits();
    }
    case Kind::string: return value.is_string() ? check_string(type, value.get<std::string>()) : wrong_kind();
    case Kind::path:
      if (!value.is_string()) return wrong_kind();
      return value.get<std::string>().starts_with("/") ? fits() : no("a path must be absolute (start with /)");
    case Kind::package:
      if (value.is_string() && value.get<std::string>().starts_with("/nix/store/")) return fits();
      return no(describe_value(value) + " is not a package (give one with --nix-expr pkgs.NAME)");
    case Kind::enumeration:
      for (const auto& choice : type.choices)
        if (choice == value) return fits();
      return wrong_kind();
    case Kind::list:
      if (!value.is_array()) return wrong_kind();
      if (type.element)
        for (const auto& item : value) {
          auto verdict = check_value(*type.element, item);
          if (verdict.result != TypeCheck::Result::fits) {
            if (verdict.result == TypeCheck::Result::does_not_fit) verdict.reason = "an element: " + verdict.reason;
            return verdict;
          }
        }
      return fits();
    case Kind::attrs:
      if (!value.is_object()) return wrong_kind();
      if (type.element)
        for (const auto& [key, item] : value.items()) {
          auto verdict = check_value(*type.element, item);
          if (verdict.result != TypeCheck::Result::fits) {
            if (verdict.result == TypeCheck::Result::does_not_fit) verdict.reason = "attribute " + key + ": " + verdict.reason;
            return verdict;
          }
        }
      return fits();
    case Kind::submodule:
      if (!value.is_object()) return wrong_kind();
      return TypeCheck{TypeCheck::Result::unchecked, "the sub-options are checked when the system is built"};
    case Kind::any: return fits();
    case Kind::unknown: break;
  }
  return TypeCheck{TypeCheck::Result::unchecked, "this type is not one agntctl can check; the build checks it"};
}

std::string describe_value(const Json& value) {
  if (value.is_null()) return "null";
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number_integer()) return "the integer " + value.dump();
  if (value.is_number()) return "the number " + value.dump();
  if (value.is_string()) {
    std::string text = value.get<std::string>();
    if (utf8_length(text) > 60) text = std::string(utf8_first_characters(text, 57)) + "...";
    return "the string " + Json(text).dump();
  }
  if (value.is_array()) return "a list";
  return "an attribute set";
}

}  // namespace agntos
