// SPDX-License-Identifier: MIT
#include "agntctl/pipeline/change_set.h"

#include <algorithm>
#include <regex>

#include "common/error.h"
#include "common/files.h"
#include "common/git_repo.h"
#include "common/paths.h"
#include "common/text.h"

namespace agntctl {

namespace fs = std::filesystem;
using agntos::Errc;
using agntos::Error;
using agntos::Json;

std::map<std::string, std::string> read_module_tree(const fs::path& config_dir) {
  std::map<std::string, std::string> files;
  for (const char* kind : agntos::kModuleKinds) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(config_dir / kind, ec)) {
      const auto name = entry.path().filename().string();
      if (name.starts_with(".") || !entry.is_regular_file()) continue;
      files[std::string(kind) + "/" + name] = agntos::read_file(entry.path());
    }
  }
  return files;
}

std::string tree_hash(const fs::path& config_dir) {
  std::string listing;
  for (const auto& [path, content] : read_module_tree(config_dir))
    listing += path + " " + agntos::git_blob_hash(content) + "\n";
  return agntos::git_blob_hash(listing);
}

void check_module_path(const fs::path& config_dir, const std::string& path) {
  static const std::regex kShape(R"(([a-z]+)/([A-Za-z0-9_][A-Za-z0-9_.'-]*)\.nix)");
  std::smatch match;
  const auto kinds = std::string("packages, services, options, modules, home");
  if (path.find("..") != std::string::npos || path.starts_with("/") || !std::regex_match(path, match, kShape))
    throw Error(Errc::invalid_path, "module path '" + path + "' is not allowed: use <kind>/<name>.nix with kind one of " +
                                        kinds + ", a plain file name, no '..' and no absolute path");
  const std::string kind = match[1];
  if (std::none_of(std::begin(agntos::kModuleKinds), std::end(agntos::kModuleKinds),
                   [&](const char* k) { return kind == k; }))
    throw Error(Errc::invalid_path, "module folder '" + kind + "' is not one of " + kinds);
  std::error_code ec;
  const fs::path folder = config_dir / kind;
  const fs::path file = config_dir / path;
  if (fs::is_symlink(folder, ec) || fs::is_symlink(file, ec) || !agntos::path_is_within(file, config_dir))
    throw Error(Errc::invalid_path, "module path '" + path + "' goes through a symlink; the config dir must hold real "
                                    "files only (remove the link)");
}

std::string diff_changes(const fs::path& config_dir, const std::vector<FileChange>& changes) {
  std::string diff;
  for (const auto& change : changes)
    diff += agntos::unified_diff(change.path, agntos::read_file_if_exists(config_dir / change.path), change.content);
  return diff;
}

std::vector<std::string> absolute_paths(const fs::path& config_dir, const std::vector<FileChange>& changes,
                                        const char* action) {
  std::vector<std::string> paths;
  for (const auto& change : changes)
    if (!action || change.action() == action) paths.push_back((config_dir / change.path).string());
  return paths;
}

agntos::Json files_before_to_json(const FilesBefore& files) {
  agntos::Json list = agntos::Json::array();
  for (const auto& [path, content] : files)
    list.push_back(agntos::Json{{"path", path},
                                {"before_base64", content ? agntos::Json(agntos::base64_encode(*content)) : agntos::Json()}});
  return list;
}

FilesBefore files_before_from_json(const agntos::Json& list) {
  FilesBefore files;
  for (const auto& file : list) {
    const auto encoded = agntos::json_string(file, "before_base64");
    files[file.at("path").get<std::string>()] =
        encoded ? std::optional<std::string>(agntos::base64_decode(*encoded)) : std::nullopt;
  }
  return files;
}

}  // namespace agntctl
