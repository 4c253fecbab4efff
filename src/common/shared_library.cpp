// SPDX-License-Identifier: MIT
#include "common/shared_library.h"

#include <dlfcn.h>

#include "common/error.h"

namespace agntos {

SharedLibrary SharedLibrary::open(const std::vector<std::string>& candidates, const std::string& purpose) {
  std::string tried;
  std::string last_error = "no candidate";
  for (const auto& candidate : candidates) {
    if (candidate.empty()) continue;
    if (void* handle = ::dlopen(candidate.c_str(), RTLD_NOW | RTLD_LOCAL)) return SharedLibrary(handle, candidate);
    const char* message = ::dlerror();
    last_error = message ? message : "unknown dlopen error";
    tried += (tried.empty() ? "" : ", ") + candidate;
  }
  throw Error(Errc::failed, "cannot load " + purpose + " (tried " + tried + "): " + last_error +
                                "; install it or check the loader's library path");
}

void* SharedLibrary::symbol(const char* name) const {
  ::dlerror();
  void* address = ::dlsym(m_handle, name);
  if (!address) {
    const char* message = ::dlerror();
    throw Error(Errc::failed, m_path + " has no " + name + (message ? std::string(": ") + message : std::string()));
  }
  return address;
}

std::vector<std::string> library_candidates(const std::string& directory, const std::string& soname) {
  std::vector<std::string> candidates;
  if (!directory.empty() && !soname.empty()) candidates.push_back(directory + "/" + soname);
  if (!soname.empty()) candidates.push_back(soname);
  return candidates;
}

}  // namespace agntos
