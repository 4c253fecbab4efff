// SPDX-License-Identifier: MIT
#include "agntd/llm/libcurl.h"

#include "common/shared_library.h"

#ifndef AGNTOS_LIBCURL_DIR
#define AGNTOS_LIBCURL_DIR ""
#endif
#ifndef AGNTOS_LIBCURL_SONAME
#define AGNTOS_LIBCURL_SONAME "libcurl.so.4"
#endif

namespace agntd::llm {
namespace {

class LoadedLibCurl {
public:
  LoadedLibCurl()
      : m_library(agntos::SharedLibrary::open(agntos::library_candidates(AGNTOS_LIBCURL_DIR, AGNTOS_LIBCURL_SONAME),
                                              "libcurl (needed by the HTTP providers)")) {
#define AGNTOS_LIBCURL_BIND(name) m_api.name = reinterpret_cast<decltype(m_api.name)>(m_library.symbol(#name));
    AGNTOS_LIBCURL_FUNCTIONS(AGNTOS_LIBCURL_BIND)
#undef AGNTOS_LIBCURL_BIND
  }
  const LibCurl& api() const { return m_api; }

private:
  agntos::SharedLibrary m_library;
  LibCurl m_api;
};

}  // namespace

const LibCurl& libcurl() {
  static const LoadedLibCurl loaded;
  return loaded.api();
}

}  // namespace agntd::llm
