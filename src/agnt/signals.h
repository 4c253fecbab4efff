// SPDX-License-Identifier: MIT
#pragma once
// Ctrl-C as an event: SIGINT writes a byte to a pipe that the input and the turn loop poll,
// so an interrupt never lands in the middle of a library call.

#include "common/fd.h"

namespace agnt {

class InterruptPipe {
public:
  // Installs the SIGINT handler (once per process) and ignores SIGPIPE.
  InterruptPipe();
  InterruptPipe(const InterruptPipe&) = delete;
  InterruptPipe& operator=(const InterruptPipe&) = delete;
  ~InterruptPipe();

  int fd() const { return m_read.get(); }
  // True when Ctrl-C was pressed since the last call; empties the pipe.
  bool take();

private:
  agntos::Fd m_read;
  agntos::Fd m_write;
};

}  // namespace agnt
