// SPDX-License-Identifier: MIT
#pragma once
// Defence in depth for the socket (SPEC §4 promise 2): a peer that runs inside a tool sandbox
// or descends from one of this daemon's own processes (a tool, or anything a tool started) may
// neither open a session nor approve anything, whatever path it reached the socket through.
//
// A peer is refused when its user or PID namespace differs from the daemon's (run_bash runs in
// namespaces of its own), or when the daemon is among its ancestors (the PPid chain of
// /proc/<pid>/status, up to pid 1). The mount namespace is not compared: a daemon started as a
// hardened service legitimately has one of its own. A peer whose /proc entry cannot be read is
// refused too.

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>

namespace agntd {

// Why `peer` may not talk to the daemon `self`, or nullopt when it may. `proc` is the procfs
// root (a seam for tests).
std::optional<std::string> peer_refusal(pid_t peer, pid_t self, const std::filesystem::path& proc = "/proc");

}  // namespace agntd
