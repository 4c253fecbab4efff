// SPDX-License-Identifier: MIT
#include "agntctl/commands/inspect_option.h"

#include "agntctl/pipeline/options_source.h"
#include "common/error.h"
#include "common/settings.h"
#include "common/text.h"

namespace agntctl {
namespace {

using agntos::Json;

// Descriptions are Markdown of any length; the listing keeps the first lines.
std::string short_text(const std::string& text, size_t limit) {
  std::string flat;
  for (const char c : agntos::trim(text)) flat += c == '\n' ? ' ' : c;
  return flat.size() <= limit ? flat : std::string(agntos::utf8_prefix(flat, limit - 3)) + "...";
}

}  // namespace

Output inspect_option(Invocation& inv, const std::string& query, size_t limit) {
  const auto& paths = inv.paths();
  const auto settings = agntos::Settings::load(paths);
  if (agntos::trim(query).empty())
    throw agntos::Error(agntos::Errc::usage, "inspect option needs an option path or words, e.g. "
                                             "'agntctl inspect option networking.firewall' or 'agntctl inspect option time zone'");
  const auto reachable = running_options_index(paths, settings);
  if (!reachable.index)
    throw agntos::Error(agntos::Errc::not_found, "no options index to search: " + reachable.source);
  const auto& index = *reachable.index;
  const auto found = index.search(query, limit);
  const auto exact = index.match(agntos::trim(query));
  const bool is_option = query.find(' ') == std::string::npos && exact.kind == agntos::PathMatch::Kind::option;

  Json list = Json::array();
  for (const auto* option : found) list.push_back(option->to_json());
  std::optional<std::string> message;
  if (found.empty()) message = "no option matches \"" + agntos::trim(query) + "\"";
  else if (query.find(' ') == std::string::npos && query.find('.') != std::string::npos &&
           exact.kind == agntos::PathMatch::Kind::unknown)
    message = agntos::trim(query) + " does not exist; the closest options follow";

  Output output;
  output.json = Json{{"query", agntos::trim(query)},
                     {"source", reachable.source},
                     {"exact", is_option},
                     {"options", list},
                     {"message", agntos::json_or_null(message)}};
  std::string& text = output.text;
  if (message) text += *message + "\n";
  for (const auto* option : found) {
    text += option->name + (option->read_only ? " (read-only)" : "") + "\n";
    text += "  type: " + option->type + "\n";
    text += "  default: " + (option->default_text ? short_text(*option->default_text, 200) : std::string("(none)")) + "\n";
    if (option->description) text += "  " + short_text(*option->description, is_option ? 2000 : 240) + "\n";
    if (is_option && !option->declarations.empty())
      text += "  declared in: " + agntos::join(option->declarations, ", ") + "\n";
  }
  if (found.size() == limit) text += "(first " + std::to_string(limit) + "; --limit N shows more)\n";
  text += "(" + reachable.source + ")\n";
  return output;
}

}  // namespace agntctl
