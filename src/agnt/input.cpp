// SPDX-License-Identifier: MIT
#include "agnt/input.h"

#include <histedit.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <deque>

#include "agnt/style.h"
#include "common/files.h"
#include "common/text.h"

namespace agnt {
namespace {

bool drain(int fd) {
  bool any = false;
  char buffer[64];
  while (::read(fd, buffer, sizeof buffer) > 0) any = true;
  return any;
}

class TerminalInput : public LineInput {
public:
  TerminalInput(std::filesystem::path history_file, int interrupt_fd, Completer completer)
      : m_history_file(std::move(history_file)), m_interrupt_fd(interrupt_fd), m_completer(std::move(completer)) {
    m_history = ::history_init();
    HistEvent event;
    ::history(m_history, &event, H_SETSIZE, 2000);
    ::history(m_history, &event, H_SETUNIQUE, 1);
    ::history(m_history, &event, H_LOAD, m_history_file.c_str());
    m_editline = ::el_init("agnt", stdin, stdout, stderr);
    ::el_set(m_editline, EL_CLIENTDATA, this);
    ::el_set(m_editline, EL_EDITOR, "emacs");
    ::el_set(m_editline, EL_PROMPT_ESC, &TerminalInput::prompt_of, '\1');
    ::el_set(m_editline, EL_HIST, ::history, m_history);
    ::el_set(m_editline, EL_GETCFN, &TerminalInput::read_char);
    ::el_set(m_editline, EL_ADDFN, "agnt-complete", "complete a slash command or skill", &TerminalInput::complete);
    ::el_set(m_editline, EL_BIND, "^I", "agnt-complete", nullptr);
    ::el_source(m_editline, nullptr);  // ~/.editrc, as every libedit program
  }
  ~TerminalInput() override {
    ::el_end(m_editline);
    ::history_end(m_history);
  }

  InputResult read_line(const std::string& prompt, int watch_fd, bool remember) override {
    // libedit counts the prompt's width: our escape codes are fenced by \1 so it skips them.
    m_prompt.clear();
    bool in_escape = false;
    for (char c : prompt) {
      if (c == '\x1b' && !in_escape) {
        // Adjacent codes share one fence: libedit mishandles "\1\1".
        if (!m_prompt.empty() && m_prompt.back() == '\1') m_prompt.pop_back();
        else m_prompt += '\1';
        in_escape = true;
      }
      m_prompt += c;
      if (in_escape && c >= 0x40 && c <= 0x7e && c != '[') {
        m_prompt += '\1';
        in_escape = false;
      }
    }
    m_watch_fd = watch_fd;
    m_stop = InputStatus::line;
    if (!m_prefill.empty()) {
      ::el_push(m_editline, m_prefill.c_str());
      m_prefill.clear();
    }
    int count = 0;
    const char* text = ::el_gets(m_editline, &count);
    if (!text) {
      if (count < 0 && m_stop != InputStatus::line) {
        // libedit leaves the cursor on the edited line: end it so output starts clean.
        agntos::write_best_effort(STDOUT_FILENO, m_stop == InputStatus::interrupted ? "^C\n" : "\n");
        return {m_stop, ""};
      }
      agntos::write_best_effort(STDOUT_FILENO, "\n");
      return {InputStatus::end, ""};
    }
    std::string line(text, static_cast<size_t>(count));
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    if (remember && !agntos::trim(line).empty()) {
      HistEvent event;
      ::history(m_history, &event, H_ENTER, line.c_str());
      ::history(m_history, &event, H_SAVE, m_history_file.c_str());
    }
    return {InputStatus::line, line};
  }

  void prefill(const std::string& text) override { m_prefill = text; }
  bool terminal() const override { return true; }

private:
  static TerminalInput& self(EditLine* editline) {
    void* data = nullptr;
    ::el_get(editline, EL_CLIENTDATA, &data);
    return *static_cast<TerminalInput*>(data);
  }

  static char* prompt_of(EditLine* editline) { return self(editline).m_prompt.data(); }

  // Characters from the terminal, one UTF-8 sequence at a time; gives up the line on Ctrl-C
  // or when the watched descriptor has something to say.
  static int read_char(EditLine* editline, wchar_t* out) {
    auto& input = self(editline);
    std::string bytes;
    size_t needed = 1;
    for (;;) {
      pollfd fds[3] = {{STDIN_FILENO, POLLIN, 0}, {input.m_interrupt_fd, POLLIN, 0}, {input.m_watch_fd, POLLIN, 0}};
      const int ready = ::poll(fds, input.m_watch_fd >= 0 ? 3 : 2, -1);
      if (ready < 0) {
        if (errno == EINTR) continue;
        return -1;
      }
      if (bytes.empty() && fds[1].revents && drain(input.m_interrupt_fd)) {
        input.m_stop = InputStatus::interrupted;
        errno = EINTR;
        return -1;
      }
      if (bytes.empty() && input.m_watch_fd >= 0 && fds[2].revents) {
        input.m_stop = InputStatus::event;
        errno = EINTR;
        return -1;
      }
      if (!(fds[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      unsigned char byte = 0;
      const ssize_t n = ::read(STDIN_FILENO, &byte, 1);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return -1;
      if (n == 0) return 0;
      if (bytes.empty()) needed = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1;
      bytes += static_cast<char>(byte);
      if (bytes.size() < needed) continue;
      const auto decoded = agntos::decode_utf8_char(bytes, 0);
      *out = decoded ? static_cast<wchar_t>(decoded->value) : static_cast<wchar_t>(0xFFFD);
      return 1;
    }
  }

  static unsigned char complete(EditLine* editline, int) {
    auto& input = self(editline);
    const LineInfo* info = ::el_line(editline);
    const std::string before(info->buffer, static_cast<size_t>(info->cursor - info->buffer));
    if (before.empty() || before[0] != '/' || before.find(' ') != std::string::npos) return CC_REFRESH_BEEP;
    const auto candidates = input.m_completer(before);
    if (candidates.empty()) return CC_REFRESH_BEEP;
    std::string common = candidates.front();
    for (const auto& candidate : candidates) {
      size_t i = 0;
      while (i < common.size() && i < candidate.size() && common[i] == candidate[i]) ++i;
      common.resize(i);
    }
    if (candidates.size() == 1) common += ' ';
    if (common.size() > before.size()) {
      ::el_insertstr(editline, common.substr(before.size()).c_str());
      return CC_REFRESH;
    }
    std::string listing = "\n";
    for (const auto& candidate : candidates) listing += candidate + "  ";
    listing += "\n";
    agntos::write_best_effort(STDOUT_FILENO, listing);
    return CC_REDISPLAY;
  }

  std::filesystem::path m_history_file;
  int m_interrupt_fd;
  Completer m_completer;
  EditLine* m_editline = nullptr;
  History* m_history = nullptr;
  std::string m_prompt;
  std::string m_prefill;
  int m_watch_fd = -1;
  InputStatus m_stop = InputStatus::line;
};

class PlainInput : public LineInput {
public:
  explicit PlainInput(int interrupt_fd) : m_interrupt_fd(interrupt_fd) {}

  InputResult read_line(const std::string& prompt, int watch_fd, bool) override {
    if (!m_prefilled.empty()) {
      std::string line = m_prefilled.front();
      m_prefilled.pop_front();
      agntos::write_best_effort(STDOUT_FILENO, prompt + line + "\n");
      return {InputStatus::line, line};
    }
    for (;;) {
      if (const auto newline = m_buffer.find('\n'); newline != std::string::npos) {
        std::string line = m_buffer.substr(0, newline);
        m_buffer.erase(0, newline + 1);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        agntos::write_best_effort(STDOUT_FILENO, prompt + agntos::visible_text(line) + "\n");
        return {InputStatus::line, line};
      }
      if (m_eof) {
        if (m_buffer.empty()) return {InputStatus::end, ""};
        m_buffer += '\n';
        continue;
      }
      pollfd fds[3] = {{STDIN_FILENO, POLLIN, 0}, {m_interrupt_fd, POLLIN, 0}, {watch_fd, POLLIN, 0}};
      const int ready = ::poll(fds, watch_fd >= 0 ? 3 : 2, -1);
      if (ready < 0) {
        if (errno == EINTR) continue;
        return {InputStatus::end, ""};
      }
      if (fds[1].revents && drain(m_interrupt_fd)) return {InputStatus::interrupted, ""};
      if (watch_fd >= 0 && fds[2].revents) return {InputStatus::event, ""};
      if (fds[0].revents) {
        char buffer[4096];
        const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) m_eof = true;
        else m_buffer.append(buffer, static_cast<size_t>(n));
      }
    }
  }

  void prefill(const std::string& text) override { m_prefilled.push_back(text); }
  bool terminal() const override { return false; }

private:
  int m_interrupt_fd;
  std::string m_buffer;
  std::deque<std::string> m_prefilled;
  bool m_eof = false;
};

}  // namespace

std::unique_ptr<LineInput> make_terminal_input(const std::filesystem::path& history_file, int interrupt_fd,
                                               Completer completer) {
  return std::make_unique<TerminalInput>(history_file, interrupt_fd, std::move(completer));
}

std::unique_ptr<LineInput> make_plain_input(int interrupt_fd) { return std::make_unique<PlainInput>(interrupt_fd); }

}  // namespace agnt
