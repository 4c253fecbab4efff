// SPDX-License-Identifier: MIT
// A stand-in for Nix's programs that times them (docs/BENCHMARKS.md, apply overhead): the
// benchmark puts a directory of symlinks named nix-build, nix-instantiate, nix-env, nix-store
// and nix to this program first on PATH. It runs the real program of its own name (the next
// one on PATH), waits, appends "<name> <nanoseconds>" to $AGNTOS_BENCH_NIX_LOG and exits with
// the program's status, so agntctl's own cost is its wall time minus the Nix lines.
#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

extern char** environ;

int main(int, char** argv) {
  const std::string self = argv[0];
  const std::string name = self.substr(self.rfind('/') + 1);
  const std::string own_dir = self.find('/') == std::string::npos ? "" : self.substr(0, self.rfind('/'));
  const char* path = std::getenv("PATH");
  std::string real;
  for (std::string rest = path ? path : ""; !rest.empty();) {
    const size_t colon = rest.find(':');
    const std::string dir = rest.substr(0, colon);
    rest = colon == std::string::npos ? "" : rest.substr(colon + 1);
    if (dir.empty() || dir == own_dir) continue;
    const std::string candidate = dir + "/" + name;
    struct stat st {};
    char resolved[4096];
    if (::stat(candidate.c_str(), &st) == 0 && (st.st_mode & S_IXUSR) && ::realpath(candidate.c_str(), resolved) &&
        std::string(resolved).find("nix_timer") == std::string::npos) {
      real = candidate;
      break;
    }
  }
  if (real.empty()) {
    std::fprintf(stderr, "nix_timer: no %s on PATH after %s\n", name.c_str(), own_dir.c_str());
    return 127;
  }
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = -1;
  argv[0] = real.data();
  if (::posix_spawn(&pid, real.c_str(), nullptr, nullptr, argv, environ) != 0) return 127;
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
  }
  const auto elapsed = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start);
  if (const char* log = std::getenv("AGNTOS_BENCH_NIX_LOG")) {
    const int fd = ::open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd >= 0) {
      const std::string line = name + " " + std::to_string(elapsed.count()) + "\n";
      if (::write(fd, line.data(), line.size()) < 0) std::perror("nix_timer");
      ::close(fd);
    }
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
