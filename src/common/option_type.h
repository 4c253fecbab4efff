// SPDX-License-Identifier: MIT
#pragma once
// NixOS option types, read from the type description an options index carries ("boolean",
// "list of 16 bit unsigned integer; between 0 and 65535 (both inclusive)", "null or string",
// "one of \"yes\", \"no\"", "attribute set of (submodule)", ...: the text nixpkgs' lib.types
// writes), and the check of a value an intent gives (JSON: what `set OPTION VALUE` renders)
// against it.
//
// The description language is nixpkgs': top-level alternatives are joined by " or " (composite
// parts are parenthesised), lists are "list of X", attribute sets "attribute set of X", integer
// ranges "...; between A and B (both inclusive)", restrictions such as ", not containing
// newlines or colons" follow the noun. A description this parser does not know (a custom type)
// is Kind::unknown: its values are never refused, and check() says the type was not checked.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"

namespace agntos {

struct OptionType {
  enum class Kind { boolean, integer, floating, number, string, path, package, enumeration, null, list, attrs, submodule, any, unknown };
  Kind kind = Kind::unknown;
  // integer, number: inclusive bounds when the description gives them.
  std::optional<long long> min;
  std::optional<long long> max;
  // string: restrictions.
  bool non_empty = false;
  bool single_line = false;
  bool no_colons = false;
  bool no_spaces = false;
  std::optional<std::string> pattern;  // POSIX extended regular expression, whole-string match
  // enumeration: allowed values (strings, integers, booleans).
  std::vector<Json> choices;
  // list, attrs: element type.
  std::shared_ptr<OptionType> element;
  // Alternatives of "X or Y" (also "null or X"); empty for a single type.
  std::vector<OptionType> alternatives;
  bool open = false;  // submodule: "open submodule" (freeform: any attribute is accepted)

  static OptionType parse(std::string_view description);

  // True when an attribute path may continue below an option of this type (attribute sets,
  // submodules, anything, or a type this parser does not know).
  bool may_have_attributes() const;
  // The list type among the alternatives ("list of X", "null or (list of X)"), or nullptr.
  const OptionType* list_type() const;
};

struct TypeCheck {
  enum class Result { fits, does_not_fit, unchecked };
  Result result = Result::unchecked;
  std::string reason;  // does_not_fit: why ("got the string \"x\"", "70000 is out of range (between 0 and
                       // 65535)"); unchecked: what was not checked
};

// Checks a value (JSON: null, boolean, integer, float, string, array, object) against the type.
TypeCheck check_value(const OptionType& type, const Json& value);

// A short human name of a value's kind: "the integer 8080", "the string \"hello\"", "a list".
std::string describe_value(const Json& value);

}  // namespace agntos
