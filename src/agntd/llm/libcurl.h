// SPDX-License-Identifier: MIT
#pragma once
// libcurl, loaded on first use (common/shared_library.h) instead of linked: a daemon that
// uses the offline provider never maps libcurl and its dependency tree (TLS, HTTP/2, SSH,
// LDAP, Kerberos, IDN), which is most of an idle agntd's resident memory and start-up time.
// The functions http_transport.cpp calls are members of one table with the same names and
// types as libcurl's declarations (curl's type-checking macros are disabled, so the names
// are not macros).
//
// libcurl() loads the library and resolves every function; it throws Error(Errc::failed)
// when the library or a function is missing. It does not call curl_global_init.

#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

namespace agntd::llm {

#define AGNTOS_LIBCURL_FUNCTIONS(X) \
  X(curl_easy_cleanup)              \
  X(curl_easy_getinfo)              \
  X(curl_easy_init)                 \
  X(curl_easy_setopt)               \
  X(curl_easy_strerror)             \
  X(curl_getdate)                   \
  X(curl_global_init)               \
  X(curl_multi_add_handle)          \
  X(curl_multi_cleanup)             \
  X(curl_multi_info_read)           \
  X(curl_multi_init)                \
  X(curl_multi_perform)             \
  X(curl_multi_poll)                \
  X(curl_multi_remove_handle)       \
  X(curl_slist_append)              \
  X(curl_slist_free_all)

struct LibCurl {
#define AGNTOS_LIBCURL_MEMBER(name) decltype(&::name) name = nullptr;
  AGNTOS_LIBCURL_FUNCTIONS(AGNTOS_LIBCURL_MEMBER)
#undef AGNTOS_LIBCURL_MEMBER
};

const LibCurl& libcurl();

}  // namespace agntd::llm
