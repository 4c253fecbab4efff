// SPDX-License-Identifier: MIT
#pragma once
// The one way a typed value becomes text and back. Each enum has exactly one table of its
// spellings (next to the enum) and one `names_of(E)` overload returning it; the functions below
// serve every enum alike. Values stay typed inside the programs and become text only at the
// edges (JSON, TOML, the command line).
//
//   enum class Colour { red, green };
//   inline constexpr EnumNames<Colour, 2> kColourNames{"colour", {{{Colour::red, "red"}, {Colour::green, "green"}}}};
//   constexpr const auto& names_of(Colour) { return kColourNames; }
//
//   to_string(Colour::red)                 -> "red"
//   enum_from_string<Colour>("green")      -> Colour::green (nullopt for an unknown word)
//   parse_enum<Colour>("blue")             -> throws Error(Errc::unknown_value):
//                                             colour "blue" is not one of "red", "green"
//   parse_enum<Colour>("blue", "x.toml: c =") -> x.toml: c = "blue" is not one of "red", "green"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>

#include "common/error.h"

namespace agntos {

template <typename E>
struct EnumName {
  E value;
  std::string_view name;
};

template <typename E, size_t N>
struct EnumNames {
  std::string_view what;  // what the values are, for messages ("audit status")
  std::array<EnumName<E>, N> names;
};

template <typename E>
concept NamedEnum = std::is_enum_v<E> && requires(E value) { names_of(value).names; };

template <NamedEnum E>
std::string_view to_string(E value) {
  for (const auto& entry : names_of(value).names)
    if (entry.value == value) return entry.name;
  return "?";  // a value outside the table: a cast from an int, never made by this program
}

template <NamedEnum E>
std::optional<E> enum_from_string(std::string_view text) {
  for (const auto& entry : names_of(E{}).names)
    if (entry.name == text) return entry.value;
  return std::nullopt;
}

// '"a", "b", "c"': the valid spellings, for messages.
template <NamedEnum E>
std::string quoted_names() {
  std::string text;
  for (const auto& entry : names_of(E{}).names) text += (text.empty() ? "\"" : ", \"") + std::string(entry.name) + "\"";
  return text;
}

// Throws Error(Errc::unknown_value) naming `text` and the valid spellings. `subject` replaces
// the table's `what` at the start of the message (a file and a key, say).
template <NamedEnum E>
E parse_enum(std::string_view text, std::string_view subject = {}) {
  if (const auto value = enum_from_string<E>(text)) return *value;
  throw Error(Errc::unknown_value, std::string(subject.empty() ? names_of(E{}).what : subject) + " \"" +
                                       std::string(text) + "\" is not one of " + quoted_names<E>());
}

// Every value of E, in table order.
template <NamedEnum E>
auto enum_values() {
  const auto& table = names_of(E{}).names;
  std::array<E, std::tuple_size_v<std::remove_cvref_t<decltype(table)>>> values{};
  for (size_t i = 0; i < values.size(); ++i) values[i] = table[i].value;
  return values;
}

}  // namespace agntos
