// SPDX-License-Identifier: MIT
// Memory files (src/common/memory.h) as a hand-edited MEMORY.md may hold anything. The input is
// the file. Properties: parse() then render() gives the text back (plus a final newline);
// show, the prompt snapshot, add and consolidate never fail other than with agntos::Error;
// every line the snapshot passes to the prompt passes the memory scanner; consolidate is
// idempotent (a second run archives nothing and leaves the file as the first one wrote it).

#include "common/error.h"
#include "common/files.h"
#include "common/memory.h"
#include "common/memory_scan.h"
#include "common/text.h"
#include "fuzz_support.h"

using agntos::MemoryDocument;
using agntos::MemoryKind;
using agntos::MemoryStore;

namespace {

void check_round_trip(std::string_view text) {
  const auto document = MemoryDocument::parse(text);
  std::string expected(text);
  if (!expected.empty() && expected.back() != '\n') expected += '\n';
  FUZZ_CHECK(document.render() == expected);
  FUZZ_CHECK(!document.sections.empty() && !document.sections.front().name);
}

void check_snapshot(const agntos::Paths& paths) {
  const std::string snapshot = agntos::memory_snapshot(paths, agntos::Settings{});
  // Line 1 of each file's part is our own usage header; every other line reaches the model.
  for (const auto& line : agntos::split_lines(snapshot)) {
    if (line.starts_with("MEMORY.md ") || line.starts_with("USER.md ") || agntos::trim(line).empty()) continue;
    FUZZ_CHECK(!agntos::scan_memory_text(line));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = fuzz::as_text(data, size);
  check_round_trip(text);

  agntos::Paths paths;
  paths.config_dir = fuzz::ScratchDir::get() / "config";
  paths.state_dir = fuzz::ScratchDir::get() / "state";
  std::filesystem::remove_all(paths.memory_dir());
  fuzz::put_file(paths.memory_dir() / "MEMORY.md", text);

  MemoryStore store(paths.memory_dir(), MemoryStore::Caps{1 << 20, 1 << 20}, [] { return std::string("2025-01-01T00:00:00Z"); });
  try {
    const auto view = store.show(MemoryKind::memory);
    (void)view.to_json().dump(-1, ' ', false, agntos::Json::error_handler_t::replace);
    (void)view.to_text();
    check_snapshot(paths);
  } catch (const agntos::Error&) {
  }
  try {
    const auto change = store.add(MemoryKind::memory, "Editors", "Prefers helix over vim");
    FUZZ_CHECK(change.file.document.entry_count() == MemoryDocument::parse(text).entry_count() + 1);
  } catch (const agntos::Error& e) {
    FUZZ_CHECK(e.code() == agntos::Errc::duplicate);  // the file may hold the entry already
  }
  try {
    const auto first = store.consolidate(MemoryKind::memory);
    (void)first.to_json().dump(-1, ' ', false, agntos::Json::error_handler_t::replace);
    (void)first.to_text();
    const std::string after_first = agntos::read_file(store.path(MemoryKind::memory));
    const auto second = store.consolidate(MemoryKind::memory);
    FUZZ_CHECK(second.archived.empty());
    FUZZ_CHECK(second.sections_dropped == 0);
    FUZZ_CHECK(agntos::read_file(store.path(MemoryKind::memory)) == after_first);
  } catch (const agntos::Error&) {
  }
  return 0;
}
