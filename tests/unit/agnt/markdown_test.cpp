// SPDX-License-Identifier: MIT
// The Markdown -> ANSI renderer against golden files (tests/golden/agnt/<case>.{ansi,plain}.txt;
// in .ansi files ESC is written "\e"). AGNTOS_ACCEPT_GOLDEN=1 rewrites them from the output.

#include "agnt/markdown.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "common/files.h"
#include "common/text.h"
#include "support/agntctl_runner.h"
#include "support/golden.h"

namespace agnt {
namespace {

std::string shown_escapes(const std::string& text) {
  std::string out;
  for (char c : text) out += c == '\x1b' ? std::string("\\e") : std::string(1, c);
  return out;
}

void expect_golden(const std::string& name, const std::string& actual) {
  agntos::testing::expect_golden(agntos::testing::source_dir() / "tests/golden/agnt" / (name + ".txt"), actual);
}

// Both renderings of one document at 80 columns; the plain one never holds an ESC byte and
// no line of either is wider than 80 columns (code blocks aside).
void check(const std::string& name, const std::string& markdown, bool code_lines_may_overflow = false) {
  const auto ansi = render_markdown(markdown, 80, Style{true});
  const auto plain = render_markdown(markdown, 80, Style{false});
  EXPECT_EQ(plain.find('\x1b'), std::string::npos) << plain;
  if (!code_lines_may_overflow) {
    for (const auto& line : agntos::split_lines(ansi)) EXPECT_LE(display_width(line), 80u) << line;
    for (const auto& line : agntos::split_lines(plain)) EXPECT_LE(display_width(line), 80u) << line;
  }
  expect_golden(name + ".ansi", shown_escapes(ansi));
  expect_golden(name + ".plain", plain);
}

TEST(Markdown, InlineStylesHeadingsAndLinksAt80Columns) {
  check("inline",
        "# Installing htop\n\nThis adds **htop**, an *interactive* process viewer, with `environment.systemPackages`. "
        "See [the manual](https://nixos.org/manual) or <https://search.nixos.org>. The change is ~~risky~~ safe, and "
        "this sentence is long enough that it has to be wrapped at eighty columns at least once or twice.\n\n"
        "## Next\n\n---\n\n> A quote that is also rather long, so that it wraps inside the quote bar and keeps the bar "
        "on every line.\n");
}

TEST(Markdown, WideCharactersTakeTwoColumnsWhenWrapping) {
  check("wide",
        "日本語のテキストは二つの列を使います。日本語 のテキスト は 二つの 列を 使います。 日本語 のテキスト は 二つの 列を "
        "使います。 emoji 🎉 🎉 🎉 and Ünïcödé letters stay one column each when the line is wrapped.\n");
}

TEST(Markdown, FencedCodeBlocksKeepTheirLines) {
  check("code",
        "Put this in a module:\n\n```nix\n{ pkgs, ... }:\n{\n  environment.systemPackages = [ pkgs.htop ];\n}\n```\n\n"
        "    indented code\n    stays too\n\nDone.\n",
        true);
}

TEST(Markdown, NestedListsIndentUnderTheirItem) {
  check("lists",
        "- first item\n- second item with enough words in it that it needs to wrap onto a second line at eighty columns\n"
        "  - nested one\n  - nested two\n    1. deep ordered\n    2. deep again\n- third\n\n"
        "3. starts at three\n4. four\n\n- [ ] a task\n- [x] a done task\n");
}

TEST(Markdown, ControlCharactersInTheTextAreShownNotObeyed) {
  const auto plain = render_markdown("evil \x1b[2J text and \x1b]0;title\x07 here\n", 80, Style{false});
  EXPECT_EQ(plain.find('\x1b'), std::string::npos) << plain;
  EXPECT_NE(plain.find("^[[2J"), std::string::npos) << plain;
  const auto ansi = render_markdown("**evil \x1b[2J**\n", 80, Style{true});
  EXPECT_EQ(ansi.find("\x1b[2J"), std::string::npos) << ansi;
}

TEST(Markdown, StreamRendersWholeBlocksAsTheyComplete) {
  MarkdownStream stream(80, Style{false});
  EXPECT_EQ(stream.feed("# Title\n\nfirst para"), "# Title\n");
  EXPECT_EQ(stream.feed("graph\n\n```\ncode\n\nmore\n"), "\nfirst paragraph\n");  // the fence is still open
  EXPECT_EQ(stream.feed("```\n"), "");
  EXPECT_EQ(stream.finish(), "\n```\ncode\n\nmore\n```\n");
}

}  // namespace
}  // namespace agnt
