// SPDX-License-Identifier: MIT
#pragma once
// A shared library loaded at run time (dlopen), for the few dependencies that only some code
// paths need: libgit2 (history) and libcurl (HTTP providers). Linking them would make every
// process map their whole dependency trees at start-up, which dominates the cost of a short
// agntctl command (docs/BENCHMARKS.md).
//
// A loaded library stays loaded until the process exits (never dlclose'd: libgit2 and libcurl
// keep thread-local state and atexit handlers). Loading is thread-safe through the callers'
// function-local statics.

#include <string>
#include <vector>

namespace agntos {

class SharedLibrary {
public:
  // Loads the first of `candidates` (absolute paths or sonames, tried in order) that dlopen
  // accepts, with RTLD_NOW | RTLD_LOCAL. Throws Error(Errc::failed) naming `purpose`, every
  // candidate and dlopen's last message when none loads.
  static SharedLibrary open(const std::vector<std::string>& candidates, const std::string& purpose);

  // The address of `name`; throws Error(Errc::failed) when the library lacks it.
  void* symbol(const char* name) const;

  // Sets `pointer` to the function `name` (its type taken from the pointer).
  template <typename Function>
  void bind(Function*& pointer, const char* name) const {
    pointer = reinterpret_cast<Function*>(symbol(name));
  }

  const std::string& path() const { return m_path; }

private:
  SharedLibrary(void* handle, std::string path) : m_handle(handle), m_path(std::move(path)) {}
  void* m_handle;
  std::string m_path;
};

// The candidates for a library whose soname and directory were found at build time: the
// absolute path first (so an rpath-less or Nix-built binary finds exactly the build's library),
// then the soname through the loader's search path. Either part may be empty.
std::vector<std::string> library_candidates(const std::string& directory, const std::string& soname);

}  // namespace agntos
