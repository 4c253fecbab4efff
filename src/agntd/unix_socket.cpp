// SPDX-License-Identifier: MIT
#include "agntd/unix_socket.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/error.h"

namespace agntd {
namespace {

namespace fs = std::filesystem;
using agntos::Errc;
using agntos::Error;

sockaddr_un address_of(const fs::path& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const auto text = path.string();
  if (text.size() >= sizeof(address.sun_path))
    throw Error(Errc::usage, "socket path too long (" + std::to_string(text.size()) + " bytes, at most " +
                                 std::to_string(sizeof(address.sun_path) - 1) + "): " + text);
  std::memcpy(address.sun_path, text.c_str(), text.size() + 1);
  return address;
}

std::string octal_mode(mode_t mode) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%04o", static_cast<unsigned>(mode & 07777));
  return buffer;
}

}  // namespace

void prepare_socket_dir(const fs::path& dir) {
  struct stat info {};
  if (::stat(dir.c_str(), &info) != 0) {
    if (errno != ENOENT) agntos::throw_errno("cannot inspect socket dir", dir.string());
    std::error_code ec;
    fs::create_directories(dir.parent_path(), ec);
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) agntos::throw_errno("cannot create socket dir", dir.string());
    if (::stat(dir.c_str(), &info) != 0) agntos::throw_errno("cannot inspect socket dir", dir.string());
  }
  if (!S_ISDIR(info.st_mode)) throw Error(Errc::refused, "socket dir " + dir.string() + " is not a directory");
  if (info.st_mode & (S_IWGRP | S_IWOTH))
    throw Error(Errc::refused, "refusing to serve in " + dir.string() + ": it is group- or world-writable (mode " +
                                   octal_mode(info.st_mode) + "), so others could replace the socket; use a private "
                                   "dir such as $XDG_RUNTIME_DIR (mode 0700) or --socket");
  if (info.st_uid != ::geteuid())
    throw Error(Errc::refused, "refusing to serve in " + dir.string() + ": it belongs to uid " +
                                   std::to_string(info.st_uid) + ", not to this user; use --socket");
}

agntos::Fd connect_unix(const fs::path& path) {
  const auto address = address_of(path);
  agntos::Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) agntos::throw_errno("cannot create socket");
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0)
    agntos::throw_errno("cannot connect to", path.string());
  return fd;
}

agntos::Fd listen_unix(const fs::path& path) {
  const auto address = address_of(path);
  struct stat info {};
  if (::lstat(path.c_str(), &info) == 0) {
    if (!S_ISSOCK(info.st_mode))
      throw Error(Errc::refused, path.string() + " exists and is not a socket; remove it or use --socket");
    bool live = false;
    try {
      connect_unix(path);
      live = true;
    } catch (const agntos::SysError&) {
    }
    if (live) throw Error(Errc::conflict, "another agntd is already serving on " + path.string());
    ::unlink(path.c_str());
  }
  agntos::Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd) agntos::throw_errno("cannot create socket");
  // The umask makes the socket 0600 from its first moment; chmod states it explicitly.
  const mode_t old_mask = ::umask(0177);
  const int bound = ::bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address);
  const int bind_errno = errno;
  ::umask(old_mask);
  if (bound != 0) {
    errno = bind_errno;
    agntos::throw_errno("cannot bind socket", path.string());
  }
  if (::chmod(path.c_str(), 0600) != 0) agntos::throw_errno("cannot set the mode of", path.string());
  if (::listen(fd.get(), 64) != 0) agntos::throw_errno("cannot listen on", path.string());
  return fd;
}

PeerCredentials peer_credentials(int fd) {
  ucred credentials{};
  socklen_t size = sizeof credentials;
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &size) != 0) agntos::throw_errno("cannot read SO_PEERCRED");
  return PeerCredentials{credentials.pid, credentials.uid, credentials.gid};
}

}  // namespace agntd
