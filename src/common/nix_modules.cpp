// SPDX-License-Identifier: MIT
#include "common/nix_syntax.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>

#include "common/error.h"
#include "common/text.h"

namespace agntos {
namespace {

constexpr size_t kMaxPathLength = 200;
// Deeper JSON is refused rather than rendered: nobody writes such an option value by hand,
// and the renderer recurses.
constexpr int kMaxJsonDepth = 64;
// A list (or a one-attribute set) of scalars goes on one line when it is at most this long.
constexpr size_t kOneLineWidth = 60;
// Characters of user text quoted back in an error message.
constexpr size_t kQuoteLimit = 80;

constexpr std::array<std::string_view, 10> kKeywords{"if",  "then", "else", "assert",  "with",
                                                     "let", "in",   "rec",  "inherit", "or"};

// Attributes the module system itself interprets rather than treating as options. `imports`
// and `require` load Nix files by path, so an option path or JSON key naming them would let a
// string value pull arbitrary code into the configuration (also inside submodules such as
// users.users.<name>); `disabledModules` and `_module` change how modules are evaluated.
constexpr std::array<std::string_view, 4> kModuleKeysAnywhere{"imports", "require", "disabledModules", "_module"};
// At the top of a module these are structure, not options.
constexpr std::array<std::string_view, 4> kModuleKeysAtTop{"config", "options", "_file", "key"};

template <size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_identifier_start(char c) { return is_letter(c) || c == '_'; }
bool is_identifier_char(char c) { return is_identifier_start(c) || is_digit(c) || c == '-' || c == '\''; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

// A plain Nix identifier that needs no quotes as an attribute name.
bool is_plain_identifier(std::string_view text) {
  if (text.empty() || !is_identifier_start(text[0])) return false;
  if (!std::all_of(text.begin(), text.end(), is_identifier_char)) return false;
  return !contains(kKeywords, text);
}

std::string hex_byte(unsigned char c) {
  constexpr std::string_view digits = "0123456789ABCDEF";
  return {digits[c >> 4], digits[c & 0xF]};
}

// The code point of the UTF-8 sequence at `pos` and its length, or nullopt when invalid.
std::optional<std::pair<char32_t, size_t>> decode_utf8(std::string_view text, size_t pos) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  size_t length = 0;
  char32_t code = 0;
  if (lead < 0x80) return std::pair<char32_t, size_t>{lead, 1};
  if ((lead & 0xE0) == 0xC0) { length = 2; code = lead & 0x1F; }
  else if ((lead & 0xF0) == 0xE0) { length = 3; code = lead & 0x0F; }
  else if ((lead & 0xF8) == 0xF0) { length = 4; code = lead & 0x07; }
  else return std::nullopt;
  if (pos + length > text.size()) return std::nullopt;
  for (size_t i = 1; i < length; ++i) {
    const auto next = static_cast<unsigned char>(text[pos + i]);
    if ((next & 0xC0) != 0x80) return std::nullopt;
    code = (code << 6) | (next & 0x3F);
  }
  return std::pair<char32_t, size_t>{code, length};
}

// "U+04BB"
std::string code_point_name(char32_t code) {
  constexpr std::string_view digits = "0123456789ABCDEF";
  std::string hex;
  for (; code != 0 || hex.size() < 4; code >>= 4) hex.insert(hex.begin(), digits[code & 0xF]);
  return "U+" + hex;
}

// "a space", "';'", "non-ASCII character U+04BB", ...: the character at `pos` for a message.
std::string describe_character(std::string_view text, size_t pos) {
  const auto c = static_cast<unsigned char>(text[pos]);
  switch (c) {
    case '\0': return "a NUL byte";
    case ' ': return "a space";
    case '\n': return "a newline";
    case '\t': return "a tab";
    case '\r': return "a carriage return";
    default: break;
  }
  if (c < 0x20 || c == 0x7F) return "control character 0x" + hex_byte(c);
  if (c < 0x80) return std::string("'") + static_cast<char>(c) + "'";
  const auto decoded = decode_utf8(text, pos);
  if (!decoded) return "byte 0x" + hex_byte(c) + " (not UTF-8)";
  return "non-ASCII character " + code_point_name(decoded->first);
}

// User text in double quotes for an error message: quotes, backslashes and control characters
// escaped so that the message stays on one line, and long text cut short.
std::string in_quotes(std::string_view text, size_t limit = kQuoteLimit) {
  std::string result = "\"";
  size_t characters = 0;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c & 0xC0) != 0x80 && characters++ == limit) {
      result += "…";
      break;
    }
    if (c == '"' || c == '\\') result += {'\\', ch};
    else if (c == '\n') result += "\\n";
    else if (c == '\t') result += "\\t";
    else if (c == '\r') result += "\\r";
    else if (c < 0x20 || c == 0x7F) result += "\\x" + hex_byte(c);
    else result += ch;
  }
  return result + "\"";
}

// 1-based character position of byte offset `pos`.
size_t position_of(std::string_view text, size_t pos) { return utf8_length(text.substr(0, pos)) + 1; }

constexpr std::string_view kPathGrammar =
    "; names are Nix attribute paths: segments of letters, digits, '_', '-' and '\\'' that start with a "
    "letter or '_', joined by '.'";

// What is wrong with `path` as an attribute path, or nullopt when it is fine.
std::optional<std::string> attribute_path_problem(std::string_view path, std::string_view what) {
  const std::string subject = std::string(what) + " " + in_quotes(path);
  if (path.empty()) return std::string(what) + " is empty" + std::string(kPathGrammar);
  if (path.size() > kMaxPathLength)
    return subject + " is " + std::to_string(utf8_length(path)) + " characters long; the limit is " +
           std::to_string(kMaxPathLength);
  bool segment_start = true;
  for (size_t i = 0; i < path.size(); ++i) {
    const char c = path[i];
    const std::string at = " at position " + std::to_string(position_of(path, i));
    if (c == '.') {
      if (segment_start) return subject + " has an empty segment" + at + std::string(kPathGrammar);
      segment_start = true;
      continue;
    }
    if (!is_identifier_char(c)) return subject + " has " + describe_character(path, i) + at + std::string(kPathGrammar);
    if (segment_start && !is_identifier_start(c))
      return subject + " starts a segment with " + describe_character(path, i) + at +
             "; segments start with a letter or '_'";
    segment_start = false;
  }
  if (segment_start) return subject + " ends with '.'" + std::string(kPathGrammar);
  return std::nullopt;
}

// The grammar, plus the refusal of module-system attributes (see kModuleKeysAnywhere).
std::optional<std::string> option_path_problem(std::string_view path) {
  if (auto problem = attribute_path_problem(path, "option path")) return problem;
  const auto segments = split(path, '.');
  for (size_t i = 0; i < segments.size(); ++i) {
    if (contains(kModuleKeysAnywhere, segments[i]) || (i == 0 && contains(kModuleKeysAtTop, segments[i])))
      return "option path " + in_quotes(path) + " uses " + in_quotes(segments[i]) +
             ", which the Nix module system interprets itself (it is not an option); write such a module "
             "with --module instead";
  }
  return std::nullopt;
}

// --- typed literals ---

bool all_digits(std::string_view text) { return !text.empty() && std::all_of(text.begin(), text.end(), is_digit); }

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

std::string render_attribute_name(const std::string& key) {
  if (contains(kModuleKeysAnywhere, key))
    throw Error(Errc::validation, "attribute name " + in_quotes(key) +
                                      " is interpreted by the Nix module system (it loads or disables modules); "
                                      "write such a module with --module instead");
  return is_plain_identifier(key) ? key : render_nix_string(key);
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

// --- placing a value source inside a module ---

// Arguments a raw --nix-expr may use; the module asks for those it names (NixOS and the
// profile evaluator pass all of them).
constexpr std::array<std::string_view, 3> kModuleArguments{"config", "lib", "pkgs"};

// Where the newlines of a Nix expression lie, found by following its strings, comments and
// brackets (enough of the Nix lexer for layout; real Nix checks the syntax).
struct SourceLayout {
  std::vector<size_t> code_newlines;  // newlines outside strings and comments
  std::vector<std::string> module_arguments;  // config, lib, pkgs when the code names them
  bool ends_in_line_comment = false;  // a ';' after it would be commented out
  std::optional<std::string> problem; // unbalanced brackets, unterminated string or comment
};

SourceLayout scan_source(std::string_view source) {
  enum class Frame { bracket_round, bracket_square, brace, interpolation, string, indented_string };
  SourceLayout layout;
  std::vector<Frame> stack;
  auto in_code = [&] {
    return stack.empty() || (stack.back() != Frame::string && stack.back() != Frame::indented_string);
  };
  auto at = [&](size_t i) { return i < source.size() ? source[i] : '\0'; };
  size_t i = 0;
  while (i < source.size()) {
    const char c = source[i];
    if (in_code()) {
      if (is_identifier_start(c)) {  // identifiers may contain '' (a''), which is no string
        const size_t start = i;
        while (i < source.size() && is_identifier_char(source[i])) ++i;
        const std::string_view name = source.substr(start, i - start);
        if (contains(kModuleArguments, name) &&
            std::find(layout.module_arguments.begin(), layout.module_arguments.end(), name) ==
                layout.module_arguments.end())
          layout.module_arguments.emplace_back(name);
        continue;
      }
      if (c == '#') {
        while (i < source.size() && source[i] != '\n') ++i;
        if (i == source.size()) layout.ends_in_line_comment = true;
        continue;
      }
      if (c == '/' && at(i + 1) == '*') {
        const auto end = source.find("*/", i + 2);
        if (end == std::string_view::npos) {
          layout.problem = "unterminated /* comment";
          return layout;
        }
        i = end + 2;
        continue;
      }
      if (c == '\n') layout.code_newlines.push_back(i);
      if (c == '"') stack.push_back(Frame::string);
      else if (c == '\'' && at(i + 1) == '\'') {
        stack.push_back(Frame::indented_string);
        ++i;
      } else if (c == '$' && at(i + 1) == '{') {
        stack.push_back(Frame::interpolation);
        ++i;
      } else if (c == '(') stack.push_back(Frame::bracket_round);
      else if (c == '[') stack.push_back(Frame::bracket_square);
      else if (c == '{') stack.push_back(Frame::brace);
      else if (c == ')' || c == ']' || c == '}') {
        const Frame expected = c == ')' ? Frame::bracket_round : c == ']' ? Frame::bracket_square : Frame::brace;
        if (stack.empty() || (stack.back() != expected && !(c == '}' && stack.back() == Frame::interpolation))) {
          layout.problem = std::string("unbalanced '") + c + "'";
          return layout;
        }
        stack.pop_back();
      }
      ++i;
    } else if (stack.back() == Frame::string) {
      if (c == '\\') i += 2;
      else if (c == '$' && at(i + 1) == '$') i += 2;  // "$${" is literal text
      else if (c == '$' && at(i + 1) == '{') {
        stack.push_back(Frame::interpolation);
        i += 2;
      } else {
        if (c == '"') stack.pop_back();
        ++i;
      }
    } else {  // indented string
      if (c == '\'' && at(i + 1) == '\'') {
        const char next = at(i + 2);
        if (next == '\'' || next == '$') i += 3;       // ''' and ''$ escape
        else if (next == '\\') i += 4;                // ''\x escapes x
        else {
          stack.pop_back();
          i += 2;
        }
      } else if (c == '$' && at(i + 1) == '$') i += 2;
      else if (c == '$' && at(i + 1) == '{') {
        stack.push_back(Frame::interpolation);
        i += 2;
      } else ++i;
    }
  }
  if (!stack.empty()) {
    const Frame open = stack.back();
    layout.problem = open == Frame::string ? "unterminated string"
                     : open == Frame::indented_string ? "unterminated '' string"
                                                      : "unclosed bracket";
  }
  return layout;
}

struct PlacedValue {
  std::string text;       // as it appears after "  path = ", ready for the ';'
  std::string arguments;  // the module's argument pattern, e.g. "{ ... }:" or "{ lib, pkgs, ... }:"
};

// Continuation lines move right by two spaces (newlines inside strings are content and stay
// as they are).
PlacedValue place_value(std::string_view value_source) {
  const std::string source = trim(value_source);
  if (source.empty()) throw Error(Errc::validation, "the option value is empty");
  const auto layout = scan_source(source);
  if (layout.problem)
    throw Error(Errc::validation,
                "the option value is not one Nix expression (" + *layout.problem + "): " + in_quotes(source));
  std::string placed;
  size_t next = 0;
  for (const size_t newline : layout.code_newlines) {
    placed.append(source, next, newline + 1 - next);
    next = newline + 1;
    if (next < source.size() && source[next] != '\n') placed += "  ";
  }
  placed.append(source, next);
  if (layout.ends_in_line_comment) placed += "\n  ";
  std::vector<std::string> arguments;
  const auto& used = layout.module_arguments;
  for (const auto name : kModuleArguments)
    if (std::find(used.begin(), used.end(), name) != used.end()) arguments.emplace_back(name);
  arguments.emplace_back("...");
  return PlacedValue{placed, "{ " + join(arguments, ", ") + " }:"};
}

GeneratedModule option_like_module(std::string_view folder, std::string_view comment, std::string_view option_path,
                                   std::string_view value_source) {
  if (auto problem = option_path_problem(option_path)) throw Error(Errc::invalid_name, *problem);
  const PlacedValue value = place_value(value_source);
  return GeneratedModule{std::string(folder) + "/" + option_file_stem(option_path) + ".nix",
                         "# Managed by AgntOS: " + std::string(comment) + " " + std::string(option_path) + "\n" +
                             value.arguments + "\n{\n  " + render_attribute_path(option_path) + " = " + value.text +
                             ";\n}\n"};
}

// --- intents ---

struct Verb {
  std::string_view word;
  Intent::Kind kind;
};

constexpr std::array<Verb, 7> kVerbs{{
    {"install", Intent::Kind::install},
    {"remove", Intent::Kind::remove},
    {"uninstall", Intent::Kind::remove},
    {"enable", Intent::Kind::enable},
    {"disable", Intent::Kind::disable},
    {"set", Intent::Kind::set},
    {"set-home-option", Intent::Kind::set_home_option},
}};

constexpr std::string_view kFormsUnderstood =
    "\nForms understood: install <package...> | remove <package...> (or uninstall) | enable <service> | "
    "disable <service> | set <option.path> <value> (or set <option.path> = <value>) | "
    "set-home-option <option.path> <value>. Join several with ';' or 'and' before the next verb, "
    "e.g. \"install htop btop and enable openssh\".";

[[noreturn]] void refuse(Errc code, const std::string& problem) {
  throw Error(code, problem + std::string(kFormsUnderstood));
}

const Verb* find_verb(std::string_view word) {
  const std::string lower = to_lower(word);
  for (const auto& verb : kVerbs)
    if (verb.word == lower) return &verb;
  return nullptr;
}

// The whitespace-delimited word that starts at or after `pos`.
std::string_view word_at(std::string_view text, size_t pos) {
  while (pos < text.size() && is_space(text[pos])) ++pos;
  size_t end = pos;
  while (end < text.size() && !is_space(text[end])) ++end;
  return text.substr(pos, end - pos);
}

// Splits at ';' and at the word "and" when the next word is a verb, so that a `set` value may
// hold either ("set users.motd fish and chips").
std::vector<std::string_view> split_intents(std::string_view text) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    size_t joiner = 0;
    if (text[i] == ';') joiner = 1;
    else if ((i == 0 || is_space(text[i - 1])) && word_at(text, i).size() == 3 && to_lower(text.substr(i, 3)) == "and")
      joiner = 3;
    if (joiner == 0 || !find_verb(word_at(text, i + joiner))) continue;
    parts.push_back(text.substr(start, i - start));
    start = i + joiner;
    i += joiner - 1;
  }
  parts.push_back(text.substr(start));
  return parts;
}

void check_name(std::string_view name, std::string_view what) {
  if (auto problem = attribute_path_problem(name, what)) refuse(Errc::invalid_name, *problem);
}

// "the time zone to Europe/Berlin", "time zone to UTC", "my hostname = demo": an article, or
// two or more plain words, before "to" (or "="). Returns the lowercased words and the value.
std::optional<std::pair<std::string, std::string>> natural_setting(std::string_view all) {
  std::vector<std::string> names;
  size_t pos = 0;
  bool article = false;
  while (pos < all.size()) {
    const std::string_view word = word_at(all, pos);
    if (word.empty()) break;
    const size_t next = static_cast<size_t>(word.data() - all.data()) + word.size();
    const std::string lower = to_lower(word);
    if (lower == "to" || lower == "=") {
      if (names.empty() || (!article && names.size() < 2)) return std::nullopt;
      return std::make_pair(join(names, " "), trim(all.substr(next)));
    }
    const bool plain = std::isalpha(static_cast<unsigned char>(word[0])) &&
                       std::all_of(word.begin(), word.end(), [](char c) {
                         return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
                       });
    if (names.empty() && !article && (lower == "the" || lower == "a" || lower == "an" || lower == "my")) {
      article = true;
    } else if (!plain || names.size() >= 5) {
      if (article) refuse(Errc::usage, "say which setting and its value: 'set the <setting> to <value>' or 'set <option.path> <value>'");
      return std::nullopt;
    } else {
      names.push_back(lower);
    }
    pos = next;
  }
  if (article) refuse(Errc::usage, "say which setting and its value: 'set the <setting> to <value>' or 'set <option.path> <value>'");
  return std::nullopt;
}

Intent parse_one_intent(std::string_view part) {
  const std::string text = trim(part);
  if (text.empty()) refuse(Errc::usage, "empty intent (a stray ';' or 'and'?)");
  const std::string_view view = text;
  const std::string_view word = word_at(view, 0);
  const Verb* verb = find_verb(word);
  if (!verb) refuse(Errc::usage, "unknown action " + in_quotes(word) + " in " + in_quotes(text));
  const std::string rest = trim(view.substr(word.size()));
  Intent intent{verb->kind, {}, {}};
  switch (verb->kind) {
    case Intent::Kind::install:
    case Intent::Kind::remove: {
      // Names are separated by spaces, commas or "and" ("install htop, btop and jq").
      std::string spaced = rest;
      std::replace(spaced.begin(), spaced.end(), ',', ' ');
      for (size_t pos = 0; pos < spaced.size();) {
        const std::string_view name = word_at(spaced, pos);
        if (name.empty()) break;
        pos = static_cast<size_t>(name.data() - spaced.data()) + name.size();
        if (to_lower(name) == "and") continue;
        check_name(name, "package name");
        if (std::find(intent.names.begin(), intent.names.end(), name) == intent.names.end())
          intent.names.emplace_back(name);
      }
      if (intent.names.empty()) refuse(Errc::usage, std::string(verb->word) + " needs at least one package name");
      break;
    }
    case Intent::Kind::enable:
    case Intent::Kind::disable: {
      const std::string_view name = word_at(rest, 0);
      if (name.empty()) refuse(Errc::usage, std::string(verb->word) + " needs a service name");
      if (name.size() != rest.size())
        refuse(Errc::usage, std::string(verb->word) + " takes one service name, got " + in_quotes(rest) + " (write \"" +
                                std::string(verb->word) + " a and " + std::string(verb->word) + " b\")");
      check_name(name, "service name");
      intent.names.emplace_back(name);
      break;
    }
    case Intent::Kind::set:
    case Intent::Kind::set_home_option: {
      const std::string_view all = rest;
      // "set the time zone to Europe/Berlin": words that name a setting, not an option path.
      if (auto natural = natural_setting(all)) {
        if (verb->kind != Intent::Kind::set)
          refuse(Errc::usage, "set-home-option needs an option path (programs.git.userName), got " + in_quotes(text));
        if (natural->second.empty()) refuse(Errc::usage, "set needs a value after 'to', got " + in_quotes(text));
        render_nix_value(natural->second);
        intent.phrase = natural->first;
        intent.value = natural->second;
        break;
      }
      size_t end = 0;
      while (end < all.size() && !is_space(all[end]) && all[end] != '=') ++end;
      const std::string_view path = all.substr(0, end);
      size_t value_at = end;
      while (value_at < all.size() && is_space(all[value_at])) ++value_at;
      if (value_at < all.size() && all[value_at] == '=') ++value_at;
      // "set networking.hostName to demo": "to" separates like "=".
      else if (to_lower(word_at(all, value_at)) == "to" && value_at + 2 < all.size() && is_space(all[value_at + 2]))
        value_at += 2;
      const std::string value = trim(all.substr(value_at));
      if (path.empty() || value.empty())
        refuse(Errc::usage, std::string(verb->word) + " needs an option path and a value, got " + in_quotes(text));
      if (auto problem = option_path_problem(path)) refuse(Errc::invalid_name, *problem);
      render_nix_value(value);  // refuses values that have no Nix literal now, not at apply time
      intent.names.emplace_back(path);
      // One word is a top-level option (fileSystems) or a setting's name (timezone).
      if (verb->kind == Intent::Kind::set && path.find('.') == std::string_view::npos) intent.phrase = to_lower(path);
      intent.value = value;
      break;
    }
  }
  return intent;
}

// A value for a one-line summary: control characters escaped, long text cut short.
std::string summary_value(std::string_view value) {
  const std::string shown = in_quotes(value, 60);
  return shown.substr(1, shown.size() - 2);
}

}  // namespace

void check_attribute_path(std::string_view path, std::string_view what) {
  if (auto problem = attribute_path_problem(path, what)) throw Error(Errc::invalid_name, *problem);
}

std::string render_attribute_path(std::string_view path) {
  check_attribute_path(path, "attribute path");
  std::vector<std::string> segments = split(path, '.');
  for (auto& segment : segments)
    if (contains(kKeywords, segment)) segment = render_nix_string(segment);
  return join(segments, ".");
}

std::string render_nix_string(std::string_view text) {
  std::string result = "\"";
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '\0':
        throw Error(Errc::validation, "the value has a NUL byte at position " + std::to_string(position_of(text, i)) +
                                          ", which a Nix string cannot hold");
      case '\\': result += "\\\\"; break;
      case '"': result += "\\\""; break;
      case '\n': result += "\\n"; break;
      case '\t': result += "\\t"; break;
      case '\r': result += "\\r"; break;  // a raw CR would be read back as a newline
      case '$':
        result += i + 1 < text.size() && text[i + 1] == '{' ? "\\$" : "$";
        break;
      default:
        // Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) make a
        // diff display differently from what Nix reads ("Trojan Source"); no option needs them.
        if (c == '\xE2' && i + 2 < text.size() &&
            ((text[i + 1] == '\x80' && text[i + 2] >= '\xAA' && text[i + 2] <= '\xAE') ||
             (text[i + 1] == '\x81' && text[i + 2] >= '\xA6' && text[i + 2] <= '\xA9')))
          throw Error(Errc::validation, "the value has the bidirectional control character " +
                                            code_point_name(decode_utf8(text, i)->first) + " at position " +
                                            std::to_string(position_of(text, i)) +
                                            ", which would make the change display differently from what it does");
        result += c;
    }
  }
  return result + "\"";
}

std::string render_nix_value(std::string_view value) {
  if (value == "true" || value == "false" || value == "null") return std::string(value);
  if (is_integer_text(value)) {
    long long number = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (error != std::errc() || end != value.data() + value.size())
      throw Error(Errc::validation, "integer " + std::string(value) +
                                        " is out of range for Nix (64-bit signed); for text, use "
                                        "--nix-expr with a quoted string");
    return render_integer(number);
  }
  if (is_float_text(value)) {
    double number = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (error != std::errc() || end != value.data() + value.size())
      throw Error(Errc::validation, "number " + std::string(value) + " is out of range for a Nix float");
    return render_float(number, value);
  }
  if (!value.empty() && (value.front() == '[' || value.front() == '{')) {
    const Json json = Json::parse(value.begin(), value.end(), nullptr, false);
    if (!json.is_discarded()) return render_nix_json(json);
  }
  return render_nix_string(value);
}

std::string render_nix_json(const Json& value, int indent) { return render_json(value, indent, 0); }

GeneratedModule package_module(std::string_view package) {
  check_attribute_path(package, "package name");
  return GeneratedModule{"packages/" + std::string(package) + ".nix",
                         "# Managed by AgntOS: install package " + std::string(package) +
                             "\n{ pkgs, ... }:\n{\n  environment.systemPackages = [ pkgs." +
                             render_attribute_path(package) + " ];\n}\n"};
}

GeneratedModule service_module(std::string_view service, bool enable) {
  check_attribute_path(service, "service name");
  return GeneratedModule{"services/" + std::string(service) + ".nix",
                         "# Managed by AgntOS: " + std::string(enable ? "enable" : "disable") + " service " +
                             std::string(service) + "\n{ ... }:\n{\n  services." + render_attribute_path(service) +
                             ".enable = " + (enable ? "true" : "false") + ";\n}\n"};
}

GeneratedModule service_module(std::string_view service, bool enable, std::string_view option_path) {
  check_attribute_path(service, "service name");
  if (auto problem = option_path_problem(option_path)) throw Error(Errc::invalid_name, *problem);
  return GeneratedModule{"services/" + std::string(service) + ".nix",
                         "# Managed by AgntOS: " + std::string(enable ? "enable" : "disable") + " service " +
                             std::string(service) + " (" + std::string(option_path) + ")\n{ ... }:\n{\n  " +
                             render_attribute_path(option_path) + " = " + (enable ? "true" : "false") + ";\n}\n"};
}

Json nix_value_as_json(std::string_view value) {
  if (value == "true" || value == "false") return value == "true";
  if (value == "null") return nullptr;
  if (is_integer_text(value)) {
    long long number = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (error == std::errc() && end == value.data() + value.size()) return number;
  }
  if (is_float_text(value)) {
    double number = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (error == std::errc() && end == value.data() + value.size()) return number;
  }
  if (!value.empty() && (value.front() == '[' || value.front() == '{')) {
    Json json = Json::parse(value.begin(), value.end(), nullptr, false);
    if (!json.is_discarded()) return json;
  }
  return std::string(value);
}

GeneratedModule option_module(std::string_view option_path, std::string_view nix_value_source) {
  return option_like_module("options", "set", option_path, nix_value_source);
}

GeneratedModule home_option_module(std::string_view option_path, std::string_view nix_value_source) {
  return option_like_module("home", "set home option", option_path, nix_value_source);
}

std::string option_file_stem(std::string_view option_path) {
  check_attribute_path(option_path, "option path");
  std::string stem(option_path);
  std::replace(stem.begin(), stem.end(), '.', '-');
  return stem;
}

std::vector<Intent> parse_intents(std::string_view words) {
  if (trim(words).empty()) refuse(Errc::usage, "no intent given");
  std::vector<Intent> intents;
  for (const auto part : split_intents(words)) intents.push_back(parse_one_intent(part));
  return intents;
}

std::string summarize_intents(const std::vector<Intent>& intents) {
  std::vector<std::string> parts;
  for (const auto& intent : intents) {
    const std::string names = join(intent.names, ", ");
    switch (intent.kind) {
      case Intent::Kind::install: parts.push_back("Install package: " + names); break;
      case Intent::Kind::remove: parts.push_back("Remove package: " + names); break;
      case Intent::Kind::enable: parts.push_back("Enable service: " + names); break;
      case Intent::Kind::disable: parts.push_back("Disable service: " + names); break;
      case Intent::Kind::set:
        parts.push_back("Set option: " + (names.empty() ? "the " + intent.phrase : names) + " = " + summary_value(intent.value));
        break;
      case Intent::Kind::set_home_option:
        parts.push_back("Set home option: " + names + " = " + summary_value(intent.value));
        break;
    }
  }
  return join(parts, "; ");
}

}  // namespace agntos
