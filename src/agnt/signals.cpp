// SPDX-License-Identifier: MIT
#include "agnt/signals.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include "common/error.h"

namespace agnt {
namespace {

int g_interrupt_write = -1;

extern "C" void on_interrupt(int) {
  const int saved = errno;
  const char byte = 1;
  [[maybe_unused]] const auto written = ::write(g_interrupt_write, &byte, 1);
  errno = saved;
}

}  // namespace

InterruptPipe::InterruptPipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) agntos::throw_errno("cannot create a pipe");
  m_read.reset(fds[0]);
  m_write.reset(fds[1]);
  g_interrupt_write = m_write.get();
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // interrupt blocking reads
  ::sigaction(SIGINT, &action, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
}

InterruptPipe::~InterruptPipe() {
  ::signal(SIGINT, SIG_DFL);
  g_interrupt_write = -1;
}

bool InterruptPipe::take() {
  bool any = false;
  char buffer[64];
  while (::read(m_read.get(), buffer, sizeof buffer) > 0) any = true;
  return any;
}

}  // namespace agnt
