// SPDX-License-Identifier: MIT
// agntctl edit_file PATH --old TEXT --new TEXT [--all]: exact find and replace.
#include <algorithm>

#include "agntctl/commands.h"
#include "agntctl/generic_audit.h"
#include "common/error.h"
#include "common/files.h"
#include "common/text.h"

namespace agntctl {
namespace {

size_t line_of(const std::string& text, size_t position) {
  return 1 + static_cast<size_t>(std::count(text.begin(), text.begin() + static_cast<long>(position), '\n'));
}

std::vector<size_t> occurrences(const std::string& text, const std::string& needle) {
  std::vector<size_t> found;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size()))
    found.push_back(at);
  return found;
}

}  // namespace

Output run_edit(Invocation& inv) {
  CLI::App app{"Replace exact text in a file. The old text must occur exactly once, unless --all."};
  std::string path;
  std::string old_text;
  std::string new_text;
  bool all = false;
  app.add_option("path", path, "file to edit")->required();
  app.add_option("--old", old_text, "exact text to replace")->required();
  app.add_option("--new", new_text, "replacement text")->required();
  app.add_flag("--all", all, "replace every occurrence");
  inv.parse(app);

  const auto& paths = inv.paths();
  refuse_protected_path(paths, path);
  if (old_text.empty()) throw agntos::Error(agntos::Errc::usage, "--old must not be empty");
  const std::filesystem::path target = agntos::resolve_path(path);
  // The replacement file is created before the old text is looked for: a target that cannot
  // be written fails the same way whatever it holds, so failures are no oracle of its content.
  agntos::AtomicFile replacement(target);
  const std::string content = agntos::read_file(target);
  const auto found = occurrences(content, old_text);
  if (found.empty())
    throw agntos::Error(agntos::Errc::no_match, "the old text does not occur in " + target.string() +
                                                    "; read the file again ('agntctl read " + target.string() +
                                                    "') and copy the text exactly, whitespace included");
  if (found.size() > 1 && !all) {
    std::vector<std::string> lines;
    for (size_t at : found) lines.push_back(std::to_string(line_of(content, at)));
    throw agntos::Error(agntos::Errc::ambiguous, "the old text occurs " + std::to_string(found.size()) +
                                                     " times in " + target.string() + " (lines " +
                                                     agntos::join(lines, ", ") +
                                                     "); include more context to make it unique, or pass --all");
  }

  std::string updated;
  std::vector<size_t> changed_lines;
  size_t copied = 0;
  const size_t new_line_count = static_cast<size_t>(std::count(new_text.begin(), new_text.end(), '\n'));
  for (size_t at : found) {
    updated.append(content, copied, at - copied);
    const size_t first = line_of(updated, updated.size());
    for (size_t line = first; line <= first + new_line_count; ++line)
      if (changed_lines.empty() || changed_lines.back() < line) changed_lines.push_back(line);
    updated += new_text;
    copied = at + old_text.size();
  }
  updated.append(content, copied);
  replacement.write(updated);
  replacement.commit();

  std::vector<std::string> numbers;
  for (size_t line : changed_lines) numbers.push_back(std::to_string(line));
  const std::string summary = "Edited " + target.string() + ": " + std::to_string(found.size()) + " replacement" +
                              (found.size() == 1 ? "" : "s") + " (line" + (numbers.size() == 1 ? " " : "s ") +
                              agntos::join(numbers, ", ") + ")";
  const auto entry = record_generic(paths, "edit_file", summary, {target.string()});
  Output output;
  output.text = summary;
  output.json = Json{{"path", target.string()},
                     {"replacements", found.size()},
                     {"lines_changed", changed_lines},
                     {"audit_id", entry.id}};
  return output;
}

}  // namespace agntctl
