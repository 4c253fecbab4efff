// SPDX-License-Identifier: MIT
#pragma once
// Curated memory (SPEC §3.5): MEMORY.md (system conventions) and USER.md (the user's
// preferences) in <state>/memory, Hermes-compatible.
//
// Format. A line "§ Name" starts a section; a line "- text" is an entry of the current
// section; entries before the first "§" line belong to no section. Every other line (blank
// lines, a "# title", free text) is kept exactly as it is, so files written by hand or by the
// earlier prototype load unchanged and survive add/replace/remove byte for byte apart from
// the lines those operations touch. consolidate rewrites the file in the canonical form:
// sections in order, one blank line between them, "§ Name" and "- text" spelled exactly so.
//
// Caps. Each file has a cap in characters (Unicode code points of the whole rendered file,
// not bytes): [limits] memory_chars and user_chars of agntos.toml, 2,200 and 1,375 by default.
// A change that would leave a file over its cap and larger than before is refused with the
// figures; shrinking changes are always allowed, even for a file that is over its cap.
//
// Safety. Every written section name, entry and replacement passes scan_memory_text
// (memory_scan.h); refusals name the reason. Writes happen under an exclusive lock
// (<memory>/.lock), re-read the file inside the lock and replace it atomically, so concurrent
// writers from several processes never lose each other's entries. Entries that consolidate,
// replace or remove take out of a file are first appended to ARCHIVE.jsonl, one JSON object
// per line: {"time","file","section","entry","operation","reason"}.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/paths.h"
#include "common/settings.h"

namespace agntos {

enum class MemoryKind { memory, user };

// "MEMORY.md" / "USER.md".
std::string_view memory_file_name(MemoryKind kind);
// "memory" / "user".
std::string_view memory_kind_name(MemoryKind kind);
// Accepts "memory", "user", "MEMORY.md", "USER.md" (any case); nullopt otherwise.
std::optional<MemoryKind> parse_memory_kind(std::string_view text);

struct MemoryLine {
  enum class Kind { entry, other };
  Kind kind = Kind::other;
  std::string text;  // entry: the text after "- ", trimmed; other: empty
  std::string raw;   // the line as it is written in the file (without the newline)
};

struct MemorySection {
  std::optional<std::string> name;  // nullopt: the lines before the first "§" header
  std::string header;               // the header line as written ("" for the unnamed part)
  std::vector<MemoryLine> lines;

  size_t entry_count() const;
};

// A whole file. parse() accepts any text; render() gives it back unchanged (with a final
// newline) until an operation modifies it.
struct MemoryDocument {
  std::vector<MemorySection> sections;  // sections.front() is always the unnamed part

  static MemoryDocument parse(std::string_view text);
  std::string render() const;
  size_t entry_count() const;
};

// "61% — 1,342/2,200". The percentage is rounded down, so 100% means full.
struct MemoryUsage {
  long long chars = 0;
  long long cap = 0;

  int percent() const;
  std::string figures() const;
};

// One entry as operations report it.
struct MemoryEntryRef {
  std::optional<std::string> section;
  std::string text;
};

// The result of show and of every change: the file as it is now.
struct MemoryFileView {
  MemoryKind kind = MemoryKind::memory;
  std::filesystem::path path;
  MemoryDocument document;
  MemoryUsage usage;

  // {"file","kind","path","chars","cap","percent","usage","entry_count","sections":[{"name","entries"}]}
  Json to_json() const;
  // "USER.md 3% — 41/1,375" followed by the file's text, or "(empty)".
  std::string to_text() const;
};

struct ArchivedEntry {
  MemoryEntryRef entry;
  std::string reason;
};

struct MemoryChange {
  std::string operation;                   // "add", "replace", "remove", "consolidate"
  std::optional<MemoryEntryRef> entry;     // what was added, or the replaced/removed entry
  std::optional<std::string> replacement;  // replace: the new text
  std::vector<ArchivedEntry> archived;     // entries moved to ARCHIVE.jsonl
  size_t sections_dropped = 0;             // consolidate: empty sections removed
  MemoryFileView file;                     // the file after the change

  // {"operation","file","section","entry","replacement","archived":[...],"sections_dropped",
  //  "chars","cap","percent","usage"}
  Json to_json() const;
  std::string to_text() const;
};

class MemoryStore {
public:
  struct Caps {
    long long memory_chars = 2200;
    long long user_chars = 1375;
  };
  using Clock = std::function<std::string()>;

  // `dir` is <state>/memory; it is created (mode 0700) by the first write. `now` gives the
  // archive's timestamps (ISO 8601, default: the current time).
  MemoryStore(std::filesystem::path dir, Caps caps, Clock now = {});
  MemoryStore(const Paths& paths, const Settings& settings);

  std::filesystem::path path(MemoryKind kind) const;
  std::filesystem::path archive_path() const { return m_dir / "ARCHIVE.jsonl"; }
  long long cap(MemoryKind kind) const;

  // The file as it is on disk (an absent file is empty).
  MemoryFileView show(MemoryKind kind) const;

  // Adds `content` as an entry of `section` (created at the end when absent; nullopt: before
  // the first section). Refused: an empty text (usage), an unsafe one (unsafe_content), an entry
  // already present in the file ignoring case, spacing and final punctuation (duplicate),
  // a file that would go over its cap (over_cap, with the figures and the way out).
  // Multi-line content is joined into one line.
  MemoryChange add(MemoryKind kind, const std::optional<std::string>& section, std::string_view content);

  // The entry `target` names: the entry equal to it, else the one entry containing it
  // (ignoring case). No entry: no_match with the closest entries; several: ambiguous with
  // all of them. replace keeps the entry's place and section.
  MemoryChange replace(MemoryKind kind, std::string_view target, std::string_view replacement);
  MemoryChange remove(MemoryKind kind, std::string_view target);

  // Merges sections of the same name, drops exact and near duplicates (equal ignoring case,
  // spacing, punctuation, articles and plural -s, or differing by one typo in words of five
  // letters or more; the first one stays) and empty sections, and rewrites the file in the
  // canonical form. Every dropped entry goes to ARCHIVE.jsonl with the reason.
  MemoryChange consolidate(MemoryKind kind);

private:
  template <typename Edit>
  MemoryChange modify(MemoryKind kind, Edit&& edit);

  std::filesystem::path m_dir;
  Caps m_caps;
  Clock m_now;
};

// The frozen snapshot the daemon puts in the system prompt at session start: for each file
// its usage header ("MEMORY.md 61% — 1,342/2,200") and its text. An entry that fails
// scan_memory_text (a file edited by hand) is replaced by a "[blocked ...]" line that says
// how to remove it, so it never reaches the model.
std::string memory_snapshot(const Paths& paths, const Settings& settings);

// Key used to find duplicates: lowercase, single spaces, no final punctuation.
std::string memory_entry_key(std::string_view text);
// True when consolidate treats the two entries as the same (see MemoryStore::consolidate).
bool memory_entries_similar(std::string_view a, std::string_view b);

}  // namespace agntos
