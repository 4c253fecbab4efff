// SPDX-License-Identifier: MIT
// agntctl read_file PATH [--offset N] [--limit N]: the file with numbered lines.
#include <sys/stat.h>

#include <cstdio>

#include "agntctl/commands.h"
#include "agntctl/generic_audit.h"
#include "common/error.h"
#include "common/files.h"
#include "common/text.h"

namespace agntctl {
namespace {

constexpr size_t kMaxFileBytes = 10 * 1024 * 1024;
constexpr size_t kMaxLineChars = 2000;

}  // namespace

Output run_read(Invocation& inv) {
  CLI::App app{"Print a file with line numbers. Binary files are refused; long lines are cut."};
  std::string path;
  size_t offset = 1;
  size_t limit = 2000;
  app.add_option("path", path, "file to read")->required();
  app.add_option("--offset", offset, "first line to show (1-based)")->check(CLI::PositiveNumber);
  app.add_option("--limit", limit, "number of lines to show")->check(CLI::PositiveNumber);
  inv.parse(app);

  refuse_process_path(path);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) agntos::throw_errno("cannot read", path);
  if (S_ISDIR(st.st_mode))
    throw agntos::Error(agntos::Errc::usage, path + " is a directory; use 'agntctl bash \"ls -la " + path + "\"'");
  if (static_cast<size_t>(st.st_size) > kMaxFileBytes)
    throw agntos::Error(agntos::Errc::too_large, path + " is " + agntos::group_thousands(st.st_size) +
                                                     " bytes, over the " + agntos::group_thousands(kMaxFileBytes) +
                                                     "-byte cap; use 'agntctl bash' with head, tail or grep");
  const std::string content = agntos::read_file(path);
  if (agntos::looks_binary(content))
    throw agntos::Error(agntos::Errc::binary_file,
                        path + " looks binary (" + agntos::group_thousands(static_cast<long long>(content.size())) +
                            " bytes); not shown. Use 'agntctl bash \"file " + path + "\"' to identify it");

  // Only the form that is printed is built: the agent reads files through --json, a person
  // through the text.
  const auto lines = agntos::split_lines(content);
  Output output;
  std::string& text = output.text;
  Json shown = Json::array();
  size_t count = 0;
  bool cut = false;
  for (size_t n = offset; n <= lines.size() && n < offset + limit; ++n, ++count) {
    std::string line = lines[n - 1];
    if (agntos::utf8_length(line) > kMaxLineChars) {
      line = line.substr(0, kMaxLineChars) + " [line cut]";
      cut = true;
    }
    if (inv.json()) {
      Json entry = Json::object();
      entry["number"] = n;
      entry["text"] = std::move(line);
      shown.push_back(std::move(entry));
      continue;
    }
    char number[32];
    std::snprintf(number, sizeof number, "%6zu\t", n);
    text.append(number).append(line).push_back('\n');
  }
  const size_t last = count == 0 ? offset - 1 : offset + count - 1;
  const bool more = last < lines.size();
  if (inv.json()) {
    output.json = Json{{"path", path},   {"total_lines", lines.size()}, {"offset", offset},
                       {"lines", std::move(shown)}, {"more", more}, {"lines_cut", cut}};
    return output;
  }
  if (more) text += "[" + std::to_string(lines.size() - last) + " more lines; use --offset " + std::to_string(last + 1) + "]\n";
  if (lines.empty()) text = "[empty file]\n";
  return output;
}

}  // namespace agntctl
