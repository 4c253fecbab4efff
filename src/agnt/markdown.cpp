// SPDX-License-Identifier: MIT
#include "agnt/markdown.h"

#include <md4c.h>

#include <algorithm>
#include <vector>

#include "common/text.h"

namespace agnt {
namespace {

// Greedy word wrap of styled text to `width` columns; '\n' forces a break. Escape codes take
// no width; a word longer than the width gets a line of its own.
std::vector<std::string> wrap_styled(const std::string& text, size_t width) {
  std::vector<std::string> lines;
  width = std::max<size_t>(width, 10);
  for (const auto& segment : agntos::split(text, '\n')) {
    std::string line;
    size_t line_width = 0;
    bool pending_space = false;
    size_t start = 0;
    while (start <= segment.size()) {
      size_t end = segment.find(' ', start);
      if (end == std::string::npos) end = segment.size();
      const std::string word = segment.substr(start, end - start);
      start = end + 1;
      if (word.empty()) {
        pending_space = pending_space || line_width > 0;
        if (end == segment.size()) break;
        continue;
      }
      const size_t word_width = display_width(word);
      if (word_width == 0) {
        line += word;  // only escape codes
      } else if (line_width == 0) {
        line += word;
        line_width = word_width;
      } else if (line_width + 1 + word_width <= width) {
        line += ' ';
        line += word;
        line_width += 1 + word_width;
      } else {
        lines.push_back(line);
        line = word;
        line_width = word_width;
      }
      pending_space = true;
      if (end == segment.size()) break;
    }
    lines.push_back(line);
  }
  return lines;
}

std::string decode_entity(std::string_view entity) {
  if (entity == "&amp;") return "&";
  if (entity == "&lt;") return "<";
  if (entity == "&gt;") return ">";
  if (entity == "&quot;") return "\"";
  if (entity == "&apos;") return "'";
  if (entity == "&nbsp;") return " ";
  if (entity.size() > 3 && entity[1] == '#') {
    try {
      const bool hex = entity[2] == 'x' || entity[2] == 'X';
      const auto digits = std::string(entity.substr(hex ? 3 : 2, entity.size() - (hex ? 4 : 3)));
      const unsigned long value = std::stoul(digits, nullptr, hex ? 16 : 10);
      if (value > 0 && value <= 0x10FFFF && !(value >= 0xD800 && value <= 0xDFFF)) {
        std::string out;
        agntos::append_utf8(out, static_cast<char32_t>(value));
        return agntos::visible_text(out);
      }
    } catch (const std::exception&) {
    }
  }
  return std::string(entity);
}

struct Container {
  enum Kind { unordered, ordered, item, quote } kind = unordered;
  bool tight = false;
  unsigned next_number = 1;
  std::string bullet;       // item: shown on its first line, then spaces of the same width
  size_t bullet_width = 0;
};

Container make_container(Container::Kind kind) {
  Container container;
  container.kind = kind;
  return container;
}

class Renderer {
public:
  Renderer(int width, const Style& style) : m_width(width), m_style(style) {}

  std::string render(std::string_view markdown) {
    const std::string text = agntos::visible_text(markdown);
    MD_PARSER parser{};
    parser.abi_version = 0;
    parser.flags = MD_DIALECT_GITHUB | MD_FLAG_NOHTML;
    parser.enter_block = [](MD_BLOCKTYPE type, void* detail, void* self) {
      static_cast<Renderer*>(self)->enter_block(type, detail);
      return 0;
    };
    parser.leave_block = [](MD_BLOCKTYPE type, void* detail, void* self) {
      static_cast<Renderer*>(self)->leave_block(type, detail);
      return 0;
    };
    parser.enter_span = [](MD_SPANTYPE type, void* detail, void* self) {
      static_cast<Renderer*>(self)->enter_span(type, detail);
      return 0;
    };
    parser.leave_span = [](MD_SPANTYPE type, void* detail, void* self) {
      static_cast<Renderer*>(self)->leave_span(type, detail);
      return 0;
    };
    parser.text = [](MD_TEXTTYPE type, const MD_CHAR* data, MD_SIZE size, void* self) {
      static_cast<Renderer*>(self)->text(type, std::string_view(data, size));
      return 0;
    };
    if (md_parse(text.data(), static_cast<MD_SIZE>(text.size()), &parser, this) != 0) return text + "\n";
    flush_inline();
    return m_out;
  }

private:
  // The prefix of the next output line (quote bars, list indentation, a pending bullet) and
  // its width. A pending bullet is used once.
  std::pair<std::string, size_t> prefix() {
    std::string prefix;
    size_t width = 0;
    for (auto& container : m_containers) {
      if (container.kind == Container::quote) {
        prefix += m_style.dim() + "│ " + m_style.reset();
        width += 2;
      } else if (container.kind == Container::item) {
        if (!container.bullet.empty()) {
          prefix += container.bullet;
          container.bullet.clear();
        } else {
          prefix += std::string(container.bullet_width, ' ');
        }
        width += container.bullet_width;
      }
    }
    return {prefix, width};
  }

  size_t prefix_width() const {
    size_t width = 0;
    for (const auto& container : m_containers)
      if (container.kind == Container::quote) width += 2;
      else if (container.kind == Container::item) width += container.bullet_width;
    return width;
  }

  void separate() {
    if (m_need_blank && !m_out.empty()) {
      auto [text, width] = quote_prefix();
      m_out += text;
      while (!m_out.empty() && m_out.back() == ' ') m_out.pop_back();
      m_out += "\n";
    }
    m_need_blank = false;
  }

  std::pair<std::string, size_t> quote_prefix() const {
    std::string text;
    size_t width = 0;
    for (const auto& container : m_containers)
      if (container.kind == Container::quote) {
        text += m_style.dim() + "│" + m_style.reset() + " ";
        width += 2;
      }
    return {text, width};
  }

  void emit_wrapped(const std::string& styled) {
    const size_t available = static_cast<size_t>(std::max(m_width, 20)) - std::min<size_t>(prefix_width(), 40);
    for (const auto& line : wrap_styled(styled, available)) {
      auto [text, width] = prefix();
      m_out += text + line + "\n";
    }
  }

  void emit_raw_line(const std::string& line) {
    auto [text, width] = prefix();
    m_out += text + line + "\n";
  }

  // Inline text collected so far becomes a block of its own (the text of a tight list item).
  void flush_inline() {
    if (agntos::trim(m_inline).empty()) {
      m_inline.clear();
      return;
    }
    separate();
    emit_wrapped(m_inline);
    m_inline.clear();
  }

  bool in_tight_item() const {
    for (auto it = m_containers.rbegin(); it != m_containers.rend(); ++it)
      if (it->kind == Container::unordered || it->kind == Container::ordered) return it->tight;
    return false;
  }

  bool nested_in_item() const {
    return std::any_of(m_containers.begin(), m_containers.end(), [](const Container& c) { return c.kind == Container::item; });
  }

  void enter_block(MD_BLOCKTYPE type, void* detail) {
    switch (type) {
      case MD_BLOCK_DOC: break;
      case MD_BLOCK_QUOTE:
        flush_inline();
        separate();
        m_containers.push_back(make_container(Container::quote));
        break;
      case MD_BLOCK_UL: {
        flush_inline();
        separate();
        Container list = make_container(Container::unordered);
        list.tight = static_cast<MD_BLOCK_UL_DETAIL*>(detail)->is_tight != 0;
        m_containers.push_back(list);
        break;
      }
      case MD_BLOCK_OL: {
        flush_inline();
        separate();
        Container list = make_container(Container::ordered);
        const auto* ol = static_cast<MD_BLOCK_OL_DETAIL*>(detail);
        list.tight = ol->is_tight != 0;
        list.next_number = ol->start;
        m_containers.push_back(list);
        break;
      }
      case MD_BLOCK_LI: {
        flush_inline();
        Container item = make_container(Container::item);
        auto& list = m_containers.back();
        if (list.kind == Container::ordered) {
          item.bullet = std::to_string(list.next_number++) + ". ";
          item.bullet_width = item.bullet.size();
        } else {
          size_t depth = 0;
          for (const auto& container : m_containers) depth += container.kind == Container::unordered;
          static const char* const marks[] = {"•", "◦", "▪"};
          item.bullet = m_style.on ? std::string(marks[(depth - 1) % 3]) + " " : "- ";
          item.bullet_width = 2;
        }
        const auto* li = static_cast<MD_BLOCK_LI_DETAIL*>(detail);
        if (li->is_task) {
          item.bullet += (li->task_mark == ' ' ? "[ ] " : "[x] ");
          item.bullet_width += 4;
        }
        if (m_style.on) item.bullet = m_style.cyan() + item.bullet + m_style.color_off();
        if (!list.tight) separate();
        m_need_blank = false;
        m_containers.push_back(item);
        break;
      }
      case MD_BLOCK_HR:
        flush_inline();
        separate();
        emit_raw_line(m_style.dim() + [&] {
          std::string rule;
          for (int i = 0; i < std::min(m_width, 40); ++i) rule += m_style.on ? "─" : "-";
          return rule;
        }() + m_style.reset());
        m_need_blank = true;
        break;
      case MD_BLOCK_H:
        flush_inline();
        separate();
        m_heading = static_cast<int>(static_cast<MD_BLOCK_H_DETAIL*>(detail)->level);
        break;
      case MD_BLOCK_CODE: {
        flush_inline();
        separate();
        m_in_code = true;
        m_code.clear();
        const auto& lang = static_cast<MD_BLOCK_CODE_DETAIL*>(detail)->lang;
        m_code_lang.assign(lang.text ? lang.text : "", lang.size);
        break;
      }
      case MD_BLOCK_P:
        flush_inline();
        separate();
        break;
      case MD_BLOCK_TABLE:
        flush_inline();
        separate();
        break;
      case MD_BLOCK_TR:
        m_row.clear();
        break;
      case MD_BLOCK_TH:
      case MD_BLOCK_TD:
        m_inline.clear();
        break;
      default: break;
    }
  }

  void leave_block(MD_BLOCKTYPE type, void*) {
    switch (type) {
      case MD_BLOCK_QUOTE:
        flush_inline();
        m_containers.pop_back();
        m_need_blank = true;
        break;
      case MD_BLOCK_UL:
      case MD_BLOCK_OL:
        flush_inline();
        m_containers.pop_back();
        m_need_blank = !nested_in_item() || !in_tight_item();
        break;
      case MD_BLOCK_LI:
        flush_inline();
        m_containers.pop_back();
        break;
      case MD_BLOCK_H: {
        std::string text = m_inline;
        m_inline.clear();
        if (m_style.on) text = m_style.bold() + (m_heading <= 2 ? m_style.underline() : "") + text + m_style.reset();
        else text = std::string(static_cast<size_t>(m_heading), '#') + " " + text;
        emit_wrapped(text);
        m_heading = 0;
        m_need_blank = true;
        break;
      }
      case MD_BLOCK_P:
        flush_inline();
        m_need_blank = !in_tight_item() || !nested_in_item();
        break;
      case MD_BLOCK_CODE: {
        m_in_code = false;
        std::string code = m_code;
        if (!code.empty() && code.back() == '\n') code.pop_back();
        if (!m_style.on) emit_raw_line("```" + m_code_lang);
        for (const auto& line : agntos::split(code, '\n'))
          emit_raw_line(m_style.on ? "  " + m_style.yellow() + line + m_style.color_off() : line);
        if (!m_style.on) emit_raw_line("```");
        m_need_blank = true;
        break;
      }
      case MD_BLOCK_TH:
      case MD_BLOCK_TD:
        m_row.push_back(type == MD_BLOCK_TH ? m_style.bold() + agntos::trim(m_inline) + m_style.bold_off()
                                            : agntos::trim(m_inline));
        m_inline.clear();
        break;
      case MD_BLOCK_TR:
        emit_raw_line(agntos::join(m_row, m_style.dim() + " │ " + m_style.reset()));
        break;
      case MD_BLOCK_THEAD: {
        std::string rule;
        for (int i = 0; i < std::min(m_width, 40); ++i) rule += m_style.on ? "─" : "-";
        emit_raw_line(m_style.dim() + rule + m_style.reset());
        break;
      }
      case MD_BLOCK_TABLE:
        m_need_blank = true;
        break;
      default: break;
    }
  }

  void enter_span(MD_SPANTYPE type, void* detail) {
    switch (type) {
      case MD_SPAN_EM: m_inline += m_style.on ? m_style.italic() : "_"; break;
      case MD_SPAN_STRONG: m_inline += m_style.on ? m_style.bold() : "**"; break;
      case MD_SPAN_DEL: m_inline += m_style.on ? m_style.strike() : "~~"; break;
      case MD_SPAN_CODE: m_inline += m_style.on ? m_style.cyan() : "`"; break;
      case MD_SPAN_A: {
        const auto& href = static_cast<MD_SPAN_A_DETAIL*>(detail)->href;
        m_links.push_back({std::string(href.text ? href.text : "", href.size), m_inline.size()});
        m_inline += m_style.underline() + m_style.blue();
        break;
      }
      default: break;
    }
  }

  void leave_span(MD_SPANTYPE type, void*) {
    switch (type) {
      case MD_SPAN_EM: m_inline += m_style.on ? m_style.italic_off() : "_"; break;
      case MD_SPAN_STRONG: m_inline += m_style.on ? m_style.bold_off() : "**"; break;
      case MD_SPAN_DEL: m_inline += m_style.on ? m_style.strike_off() : "~~"; break;
      case MD_SPAN_CODE: m_inline += m_style.on ? m_style.color_off() : "`"; break;
      case MD_SPAN_A: {
        if (m_links.empty()) break;
        const auto [href, start] = m_links.back();
        m_links.pop_back();
        const std::string shown = m_inline.substr(start);
        m_inline += m_style.underline_off() + m_style.color_off();
        const std::string plain_href = agntos::starts_with(href, "mailto:") ? href.substr(7) : href;
        if (display_width(shown) != plain_href.size() || shown.find(plain_href) == std::string::npos)
          m_inline += " " + m_style.dim() + "(" + href + ")" + m_style.bold_off();
        break;
      }
      default: break;
    }
  }

  void text(MD_TEXTTYPE type, std::string_view data) {
    if (m_in_code) {
      m_code += data;
      return;
    }
    switch (type) {
      case MD_TEXT_SOFTBR: m_inline += ' '; break;
      case MD_TEXT_BR: m_inline += '\n'; break;
      case MD_TEXT_ENTITY: m_inline += decode_entity(data); break;
      case MD_TEXT_NULLCHAR: m_inline += "\xEF\xBF\xBD"; break;
      default: m_inline += data; break;
    }
  }

  int m_width;
  const Style& m_style;
  std::string m_out;
  std::string m_inline;
  std::vector<Container> m_containers;
  std::vector<std::pair<std::string, size_t>> m_links;
  std::vector<std::string> m_row;
  bool m_need_blank = false;
  int m_heading = 0;
  bool m_in_code = false;
  std::string m_code;
  std::string m_code_lang;
};

// Offset just past the last blank line that is outside a code fence, or 0.
size_t last_block_boundary(std::string_view text) {
  size_t boundary = 0;
  bool in_fence = false;
  std::string fence;
  size_t start = 0;
  while (start < text.size()) {
    const size_t newline = text.find('\n', start);
    if (newline == std::string_view::npos) break;  // an unfinished line is never a boundary
    std::string_view line = text.substr(start, newline - start);
    size_t indent = 0;
    while (indent < line.size() && indent < 4 && line[indent] == ' ') ++indent;
    const auto body = line.substr(indent);
    if (indent < 4 && (body.starts_with("```") || body.starts_with("~~~"))) {
      if (!in_fence) {
        in_fence = true;
        fence = std::string(body.substr(0, 3));
      } else if (body.starts_with(fence)) {
        in_fence = false;
      }
    } else if (!in_fence && agntos::trim(line).empty() && start > 0) {
      boundary = newline + 1;
    }
    start = newline + 1;
  }
  return boundary;
}

}  // namespace

std::string render_markdown(std::string_view markdown, int width, const Style& style) {
  if (agntos::trim(markdown).empty()) return "";
  return Renderer(width, style).render(markdown);
}

std::string MarkdownStream::render_piece(std::string_view text) {
  std::string rendered = render_markdown(text, m_width, m_style);
  if (rendered.empty()) return "";
  if (m_emitted) rendered.insert(0, "\n");
  m_emitted = true;
  return rendered;
}

std::string MarkdownStream::feed(std::string_view text) {
  m_started = m_started || !text.empty();
  m_pending += text;
  const size_t boundary = last_block_boundary(m_pending);
  if (boundary == 0) return "";
  const std::string piece = m_pending.substr(0, boundary);
  m_pending.erase(0, boundary);
  return render_piece(piece);
}

std::string MarkdownStream::finish() {
  std::string out = render_piece(m_pending);
  m_pending.clear();
  m_started = false;
  m_emitted = false;
  return out;
}

}  // namespace agnt
