// SPDX-License-Identifier: MIT
#pragma once
// Where the user's lines come from. On a terminal: libedit (line editing, arrow keys,
// history persisted in a file, tab completion). Otherwise: lines of standard input, echoed
// after their prompt so that a transcript reads like a session (scripted input, CI). Both
// serve the chat prompt and the approval question through one reader, so no typed line is
// swallowed by the wrong question.

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace agnt {

enum class InputStatus {
  line,         // a line (without its newline)
  end,          // end of input (Ctrl-D on an empty line)
  interrupted,  // Ctrl-C
  event,        // the watched descriptor became readable first
};

struct InputResult {
  InputStatus status = InputStatus::end;
  std::string line;
};

class LineInput {
public:
  virtual ~LineInput() = default;
  // Shows `prompt` (which may hold the Style's escape codes) and reads one line. Ctrl-C
  // (`interrupt_fd` readable) ends the wait with `interrupted`, `watch_fd` (-1: none) with
  // `event`. With `remember`, a non-empty line goes into the history.
  virtual InputResult read_line(const std::string& prompt, int watch_fd, bool remember) = 0;
  // The next read_line starts with this text already typed (terminal), or returns it as
  // its line (plain input).
  virtual void prefill(const std::string& text) = 0;
  virtual bool terminal() const = 0;
};

// Full slash-command words ("/help", "/add-package") that start with `prefix`.
using Completer = std::function<std::vector<std::string>(const std::string& prefix)>;

std::unique_ptr<LineInput> make_terminal_input(const std::filesystem::path& history_file, int interrupt_fd,
                                               Completer completer);
std::unique_ptr<LineInput> make_plain_input(int interrupt_fd);

}  // namespace agnt
