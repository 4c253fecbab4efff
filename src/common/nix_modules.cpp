// SPDX-License-Identifier: MIT
#include "common/nix_modules.h"

#include <algorithm>
#include <array>
#include <optional>
#include <vector>

#include "common/error.h"
#include "common/nix_names.h"
#include "common/text.h"

namespace agntos {
namespace {

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
      if (is_nix_identifier_start(c)) {  // identifiers may contain '' (a''), which is no string
        const size_t start = i;
        while (i < source.size() && is_nix_identifier_char(source[i])) ++i;
        const std::string_view name = source.substr(start, i - start);
        if (std::find(kModuleArguments.begin(), kModuleArguments.end(), name) != kModuleArguments.end() &&
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
                "the option value is not one Nix expression (" + *layout.problem + "): " + quoted_for_message(source));
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
  check_option_path(option_path);
  const PlacedValue value = place_value(value_source);
  return GeneratedModule{std::string(folder) + "/" + option_file_stem(option_path) + ".nix",
                         "# Managed by AgntOS: " + std::string(comment) + " " + std::string(option_path) + "\n" +
                             value.arguments + "\n{\n  " + render_attribute_path(option_path) + " = " + value.text +
                             ";\n}\n"};
}

}  // namespace

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
  check_option_path(option_path);
  return GeneratedModule{"services/" + std::string(service) + ".nix",
                         "# Managed by AgntOS: " + std::string(enable ? "enable" : "disable") + " service " +
                             std::string(service) + " (" + std::string(option_path) + ")\n{ ... }:\n{\n  " +
                             render_attribute_path(option_path) + " = " + (enable ? "true" : "false") + ";\n}\n"};
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

}  // namespace agntos
