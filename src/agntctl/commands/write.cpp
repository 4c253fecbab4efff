// SPDX-License-Identifier: MIT
// agntctl write_file PATH (--content TEXT | stdin) [--mkdir]: create or replace a file atomically.
#include <unistd.h>

#include <iostream>
#include <iterator>

#include "agntctl/commands.h"
#include "agntctl/generic_audit.h"
#include "common/error.h"
#include "common/files.h"
#include "common/text.h"

namespace agntctl {

Output run_write(Invocation& inv) {
  CLI::App app{"Create or replace a file atomically. Content from --content or standard input."};
  std::string path;
  std::optional<std::string> content;
  bool mkdir = false;
  app.add_option("path", path, "file to write")->required();
  app.add_option("--content", content, "the new content (otherwise read from standard input)");
  app.add_flag("--mkdir", mkdir, "create missing parent directories");
  inv.parse(app);

  const auto& paths = inv.paths();
  refuse_protected_path(paths, path);
  if (!content) {
    if (::isatty(STDIN_FILENO))
      throw agntos::Error(agntos::Errc::usage, "no content: pass --content TEXT or pipe the content on standard input");
    content = std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  const std::filesystem::path target = agntos::resolve_path(path);
  std::error_code ec;
  if (!mkdir && !std::filesystem::is_directory(target.parent_path(), ec))
    throw agntos::Error(agntos::Errc::not_found,
                        "directory " + target.parent_path().string() + " does not exist; pass --mkdir to create it");
  if (std::filesystem::is_directory(target, ec))
    throw agntos::Error(agntos::Errc::usage, path + " is a directory");
  const bool created = !std::filesystem::exists(target, ec);
  agntos::write_file_atomic(target, *content, 0644, mkdir ? agntos::MakeParents::yes : agntos::MakeParents::no);

  const std::string summary = std::string(created ? "Created " : "Wrote ") + target.string() + " (" +
                              agntos::group_thousands(static_cast<long long>(content->size())) + " bytes)";
  const auto entry = record_generic(paths, "write_file", summary, {target.string()});
  Output output;
  output.text = summary;
  output.json = Json{{"path", target.string()},
                     {"bytes", content->size()},
                     {"created", created},
                     {"audit_id", entry.id}};
  return output;
}

}  // namespace agntctl
