// SPDX-License-Identifier: MIT
#include "common/system/nixos.h"

#include "common/system/fact_files.h"
#include "common/text.h"

namespace agntos {

using namespace facts;

NixosInfo read_nixos_info(const fs::path& root) {
  NixosInfo info;
  info.os = read_os_release(root);
  if (!info.os.version_id.empty())
    info.version = info.os.version_id;
  else
    info.version = read_trimmed(under(root, "/run/current-system/nixos-version"));
  info.system = read_profile_generations(under(root, "/nix/var/nix/profiles/system"));
  return info;
}

}  // namespace agntos
