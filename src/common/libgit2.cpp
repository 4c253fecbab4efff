// SPDX-License-Identifier: MIT
#include "common/libgit2.h"

#include "common/shared_library.h"

#ifndef AGNTOS_LIBGIT2_DIR
#define AGNTOS_LIBGIT2_DIR ""
#endif
#ifndef AGNTOS_LIBGIT2_SONAME
#define AGNTOS_LIBGIT2_SONAME "libgit2.so"
#endif

namespace agntos {
namespace {

class LoadedLibGit2 {
public:
  LoadedLibGit2()
      : m_library(SharedLibrary::open(library_candidates(AGNTOS_LIBGIT2_DIR, AGNTOS_LIBGIT2_SONAME), "libgit2")) {
#define AGNTOS_LIBGIT2_BIND(name) m_api.name = reinterpret_cast<decltype(m_api.name)>(m_library.symbol(#name));
    AGNTOS_LIBGIT2_FUNCTIONS(AGNTOS_LIBGIT2_BIND)
#undef AGNTOS_LIBGIT2_BIND
    m_api.git_libgit2_init();
    // The config dir belongs to root while the daemon and `agntctl rollback list` read its
    // history as the user. libgit2 never runs hooks or fsmonitor commands, so the ownership
    // check (which protects git from hostile repositories in shared directories) only gets in
    // the way of reading our own, root-owned history.
    m_api.git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
  }
  LoadedLibGit2(const LoadedLibGit2&) = delete;
  LoadedLibGit2& operator=(const LoadedLibGit2&) = delete;
  ~LoadedLibGit2() { m_api.git_libgit2_shutdown(); }

  const LibGit2& api() const { return m_api; }

private:
  SharedLibrary m_library;
  LibGit2 m_api;
};

}  // namespace

const LibGit2& libgit2() {
  static const LoadedLibGit2 loaded;
  return loaded.api();
}

}  // namespace agntos
