// SPDX-License-Identifier: MIT
#include "common/system/os.h"

#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <climits>
#include <map>

#include "common/system/fact_files.h"
#include "common/text.h"

namespace agntos {

using namespace facts;

OsRelease parse_os_release(std::string_view text) {
  std::map<std::string, std::string> values;
  for (const auto& raw : split_lines(text)) {
    const auto line = trim(raw);
    if (line.empty() || line[0] == '#') continue;
    const auto equals = line.find('=');
    if (equals == std::string::npos) continue;
    std::string value = line.substr(equals + 1);
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
      const char quote = value.front();
      std::string unquoted;
      for (size_t i = 1; i + 1 < value.size(); ++i) {
        if (quote == '"' && value[i] == '\\' && i + 2 < value.size()) ++i;
        unquoted += value[i];
      }
      value = unquoted;
    }
    values[line.substr(0, equals)] = value;
  }
  OsRelease os;
  os.id = values["ID"];
  os.name = values["NAME"];
  os.version_id = values["VERSION_ID"];
  os.version = values["VERSION"];
  os.pretty_name = values["PRETTY_NAME"];
  if (os.pretty_name.empty()) os.pretty_name = trim(os.name + " " + os.version);
  if (os.pretty_name.empty()) os.pretty_name = "Linux";
  return os;
}

OsRelease read_os_release(const fs::path& root) {
  auto text = read_text(under(root, "/etc/os-release"), 64 * 1024);
  if (!text) text = read_text(under(root, "/usr/lib/os-release"), 64 * 1024);
  return parse_os_release(text.value_or(""));
}

KernelInfo read_kernel() {
  struct utsname names {};
  if (::uname(&names) != 0) return {};
  return KernelInfo{names.sysname, names.release, names.machine};
}

std::string read_hostname() {
  char buffer[HOST_NAME_MAX + 1] = {};
  if (::gethostname(buffer, sizeof buffer - 1) != 0) return {};
  return buffer;
}

long long read_uptime_seconds() {
  struct sysinfo info {};
  if (::sysinfo(&info) != 0) return 0;
  return info.uptime;
}

}  // namespace agntos
