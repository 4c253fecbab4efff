// SPDX-License-Identifier: MIT
#include "agntd/peer_check.h"

#include <fstream>
#include <system_error>

namespace agntd {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> namespace_of(const fs::path& proc, pid_t pid, const char* kind) {
  std::error_code ec;
  auto target = fs::read_symlink(proc / std::to_string(pid) / "ns" / kind, ec);
  if (ec) return std::nullopt;
  return target.string();
}

std::optional<pid_t> parent_of(const fs::path& proc, pid_t pid) {
  std::ifstream status(proc / std::to_string(pid) / "status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("PPid:", 0) != 0) continue;
    try {
      return static_cast<pid_t>(std::stol(line.substr(5)));
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> peer_refusal(pid_t peer, pid_t self, const fs::path& proc) {
  if (peer <= 0) return "the peer's process is unknown";
  for (const char* kind : {"user", "pid"}) {
    const auto theirs = namespace_of(proc, peer, kind);
    const auto ours = namespace_of(proc, self, kind);
    if (!theirs || !ours) return std::string("cannot read the peer's ") + kind + " namespace";
    if (*theirs != *ours)
      return std::string("the peer runs in another ") + kind + " namespace (a sandbox); tools may not reach agntd";
  }
  // Bounded: a PPid chain is short, and a cycle (pid reuse while walking) must not hang us.
  pid_t at = peer;
  for (int steps = 0; steps < 4096 && at > 1; ++steps) {
    const auto parent = parent_of(proc, at);
    if (!parent) break;  // the process ended while we walked: what we saw so far stands
    if (*parent == self) return "the peer descends from one of agntd's own processes (a tool); tools may not reach agntd";
    at = *parent;
  }
  return std::nullopt;
}

}  // namespace agntd
