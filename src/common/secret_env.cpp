// SPDX-License-Identifier: MIT
#include "common/secret_env.h"

#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>

extern char** environ;

namespace agntos {
namespace {

std::mutex g_mutex;

std::map<std::string, std::string>& store() {
  static std::map<std::string, std::string> secrets;
  return secrets;
}

}  // namespace

void take_secret_variable(const std::string& name) {
  if (name.empty() || name.find('=') != std::string::npos) return;
  std::lock_guard lock(g_mutex);
  const std::string prefix = name + "=";
  bool found = false;
  for (char** entry = environ; entry && *entry; ++entry) {
    if (std::strncmp(*entry, prefix.c_str(), prefix.size()) != 0) continue;
    char* value = *entry + prefix.size();
    if (!found) store()[name] = value;
    found = true;
    // Overwrite in place: for a variable inherited at exec this is the block that
    // /proc/<pid>/environ reads.
    std::memset(value, 0, std::strlen(value));
  }
  if (found) ::unsetenv(name.c_str());
}

std::optional<std::string> secret_variable(const std::string& name) {
  {
    std::lock_guard lock(g_mutex);
    if (auto it = store().find(name); it != store().end()) return it->second;
  }
  if (const char* value = std::getenv(name.c_str())) return std::string(value);
  return std::nullopt;
}

std::string redact_secrets(std::string text, const std::vector<std::string>& secrets) {
  for (const auto& secret : secrets) {
    if (secret.empty()) continue;
    for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + kRedactedMark.size()))
      text.replace(at, secret.size(), kRedactedMark);
  }
  return text;
}

}  // namespace agntos
