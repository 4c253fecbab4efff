// SPDX-License-Identifier: MIT
#pragma once
// The daemon's Unix socket (SPEC §4 promise 3, §6.5).
//
// The socket's directory must be private: it is created with mode 0700 when missing, and the
// daemon refuses to start in a directory that is group- or world-writable or belongs to
// another user (anyone who can write there could replace the socket). The socket itself is
// mode 0600. A stale socket file (no one accepts on it) is replaced; a live one means another
// agntd is running, and this one refuses to start.

#include <sys/types.h>

#include <filesystem>

#include "common/fd.h"

namespace agntd {

// Creates the directory (0700) when missing; throws Error(Errc::refused) when it is not private.
void prepare_socket_dir(const std::filesystem::path& dir);

// A non-blocking, close-on-exec listening socket at `path` (mode 0600). Throws
// Error(Errc::conflict) when another daemon listens there, SysError for OS failures.
agntos::Fd listen_unix(const std::filesystem::path& path);

// A blocking connection to the socket at `path`; throws SysError when no one listens.
agntos::Fd connect_unix(const std::filesystem::path& path);

struct PeerCredentials {
  pid_t pid = 0;
  uid_t uid = 0;
  gid_t gid = 0;
};

// SO_PEERCRED of a connected socket; throws SysError.
PeerCredentials peer_credentials(int fd);

}  // namespace agntd
