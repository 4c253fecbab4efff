// SPDX-License-Identifier: MIT
#include "common/memory.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <utility>

#include "common/error.h"
#include "common/fd.h"
#include "common/file_lock.h"
#include "common/files.h"
#include "common/ids.h"
#include "common/memory_scan.h"
#include "common/text.h"

namespace agntos {
namespace {

constexpr std::string_view kSectionSign = "\xC2\xA7";  // §

std::string in_quotes(std::string_view text) { return "\"" + std::string(text) + "\""; }

std::string describe(const MemoryEntryRef& entry) {
  return in_quotes(entry.text) + (entry.section ? " (§ " + *entry.section + ")" : std::string());
}

bool same_name(std::string_view a, std::string_view b) { return to_lower(trim(a)) == to_lower(trim(b)); }

// Command-line text as one entry line: lines joined by spaces, tabs made spaces, trimmed, and
// a leading "- " dropped (people paste the entry as it appears in the file).
std::string single_line(std::string_view text) {
  std::vector<std::string> parts;
  for (auto& part : split(text, '\n')) {
    std::replace(part.begin(), part.end(), '\t', ' ');
    if (auto trimmed = trim(part); !trimmed.empty()) parts.push_back(std::move(trimmed));
  }
  std::string line = join(parts, " ");
  if (line.starts_with("- ")) line = trim(line.substr(2));
  return line;
}

std::string section_argument(std::string_view text) {
  std::string name = single_line(text);
  if (name.starts_with(kSectionSign)) name = trim(name.substr(kSectionSign.size()));
  return name;
}

void refuse_unsafe(std::string_view text, std::string_view what, MemoryKind kind) {
  if (auto finding = scan_memory_text(text))
    throw Error(Errc::unsafe_content, "refused to write this " + std::string(what) + " to " +
                                          std::string(memory_file_name(kind)) + ": " + finding->reason +
                                          "; nothing was changed. Memory goes into every prompt: write preferences "
                                          "in plain words, without hidden characters, secrets or orders to the model");
}

MemoryLine entry_line(const std::string& text) { return {MemoryLine::Kind::entry, text, "- " + text}; }
MemoryLine blank_line() { return {MemoryLine::Kind::other, {}, {}}; }
bool is_blank(const MemoryLine& line) { return line.kind == MemoryLine::Kind::other && trim(line.raw).empty(); }

struct Location {
  size_t section;
  size_t line;
};

std::vector<Location> entries_of(const MemoryDocument& document) {
  std::vector<Location> result;
  for (size_t s = 0; s < document.sections.size(); ++s)
    for (size_t l = 0; l < document.sections[s].lines.size(); ++l)
      if (document.sections[s].lines[l].kind == MemoryLine::Kind::entry) result.push_back({s, l});
  return result;
}

MemoryEntryRef ref_at(const MemoryDocument& document, Location at) {
  return {document.sections[at.section].name, document.sections[at.section].lines[at.line].text};
}

std::string candidate_list(const MemoryDocument& document, const std::vector<Location>& locations) {
  std::vector<std::string> parts;
  for (const auto& at : locations) parts.push_back(describe(ref_at(document, at)));
  return join(parts, "; ");
}

// The one entry `target` names (see MemoryStore::replace).
Location find_target(const MemoryDocument& document, MemoryKind kind, std::string_view target_text) {
  const std::string target = single_line(target_text);
  const std::string file(memory_file_name(kind));
  if (target.empty()) throw Error(Errc::usage, "the target is empty; give part of the entry's text with --target");
  const auto all = entries_of(document);
  if (all.empty())
    throw Error(Errc::no_match, file + " has no entries, so nothing matches " + in_quotes(target) +
                                    "; add one with 'agntctl memory add " + std::string(memory_kind_name(kind)) +
                                    " --section S --content C'");
  std::vector<Location> exact;
  std::vector<Location> containing;
  const std::string lowered = to_lower(target);
  for (const auto& at : all) {
    const auto& text = document.sections[at.section].lines[at.line].text;
    if (text == target) exact.push_back(at);
    if (to_lower(text).find(lowered) != std::string::npos) containing.push_back(at);
  }
  const auto& matches = exact.empty() ? containing : exact;
  if (matches.size() == 1) return matches.front();
  if (matches.size() > 1)
    throw Error(Errc::ambiguous, in_quotes(target) + " matches " + std::to_string(matches.size()) + " entries of " +
                                     file + ": " + candidate_list(document, matches) +
                                     "; give a longer part of the one you mean");
  // No match: offer the closest entries by edit distance.
  std::vector<std::pair<size_t, Location>> ranked;
  for (const auto& at : all)
    ranked.emplace_back(edit_distance(lowered, to_lower(document.sections[at.section].lines[at.line].text)), at);
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Location> closest;
  for (size_t i = 0; i < ranked.size() && i < 3; ++i) closest.push_back(ranked[i].second);
  throw Error(Errc::no_match, "no entry of " + file + " contains " + in_quotes(target) +
                                  "; the closest: " + candidate_list(document, closest) + " ('agntctl memory show " +
                                  std::string(memory_kind_name(kind)) + "' lists all)");
}

std::optional<Location> find_duplicate(const MemoryDocument& document, std::string_view text,
                                       std::optional<Location> except = std::nullopt) {
  const std::string key = memory_entry_key(text);
  for (const auto& at : entries_of(document)) {
    if (except && except->section == at.section && except->line == at.line) continue;
    if (memory_entry_key(document.sections[at.section].lines[at.line].text) == key) return at;
  }
  return std::nullopt;
}

// Adds `text` to the section called `name` (nullopt: the unnamed part), creating it at the end.
std::optional<std::string> insert_entry(MemoryDocument& document, const std::optional<std::string>& name,
                                        const std::string& text) {
  MemorySection* section = nullptr;
  if (!name) {
    section = &document.sections.front();
  } else {
    for (auto& candidate : document.sections)
      if (candidate.name && same_name(*candidate.name, *name)) {
        section = &candidate;
        break;
      }
  }
  if (!section) {
    auto& last = document.sections.back();
    const bool file_empty = document.sections.size() == 1 && last.lines.empty();
    if (!file_empty && (last.lines.empty() ? last.name.has_value() : !is_blank(last.lines.back())))
      last.lines.push_back(blank_line());
    MemorySection created;
    created.name = *name;
    created.header = std::string(kSectionSign) + " " + *name;
    created.lines.push_back(entry_line(text));
    document.sections.push_back(std::move(created));
    return name;
  }
  auto& lines = section->lines;
  // After the last entry; in a section without entries, after its last non-blank line.
  size_t position = 0;
  bool found_entry = false;
  for (size_t i = 0; i < lines.size(); ++i)
    if (lines[i].kind == MemoryLine::Kind::entry) {
      position = i + 1;
      found_entry = true;
    }
  if (!found_entry)
    for (size_t i = 0; i < lines.size(); ++i)
      if (!is_blank(lines[i])) position = i + 1;
  lines.insert(lines.begin() + static_cast<long>(position), entry_line(text));
  // An unnamed part that was empty needs a blank line before the first header.
  if (!section->name && document.sections.size() > 1 && lines.size() == 1) lines.push_back(blank_line());
  return section->name;
}

std::vector<std::string> similarity_words(std::string_view text) {
  std::vector<std::string> result;
  std::string current;
  auto flush = [&] {
    if (current.empty()) return;
    if (current != "a" && current != "an" && current != "the") {
      if (current.size() > 3 && current.back() == 's' && current[current.size() - 2] != 's') current.pop_back();
      result.push_back(current);
    }
    current.clear();
  };
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || u >= 0x80)
      current += static_cast<char>(std::tolower(u));
    else
      flush();
  }
  flush();
  return result;
}

bool has_digit(std::string_view word) {
  return std::any_of(word.begin(), word.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

std::string over_cap_message(MemoryKind kind, const MemoryUsage& before, const MemoryUsage& after) {
  const std::string file(memory_file_name(kind));
  const std::string name(memory_kind_name(kind));
  const long long room = std::max(0LL, before.cap - before.chars);
  return file + " would be " + after.figures() + " (now " + before.figures() + "): the change needs " +
         group_thousands(after.chars - before.chars) + " more characters and " + group_thousands(room) +
         " are left. Make room first: 'agntctl memory consolidate " + name +
         "' merges duplicates, 'agntctl memory replace " + name +
         " --target T --replacement R' shortens an entry, 'agntctl memory remove " + name + " --target T' drops one";
}

void append_archive(const std::filesystem::path& archive, const std::string& lines) {
  Fd fd(::open(archive.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600));
  if (!fd) throw_errno("cannot open the memory archive", archive.string());
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) throw_errno("cannot stat", archive.string());
  std::string data = lines;
  if (st.st_size > 0) {
    char last = '\n';
    if (::pread(fd.get(), &last, 1, st.st_size - 1) == 1 && last != '\n') data.insert(0, "\n");  // torn line
  }
  write_all(fd.get(), data, archive.string());
  if (::fsync(fd.get()) != 0) throw_errno("cannot fsync", archive.string());
}

}  // namespace

std::string_view memory_file_name(MemoryKind kind) { return kind == MemoryKind::memory ? "MEMORY.md" : "USER.md"; }
std::string_view memory_kind_name(MemoryKind kind) { return kind == MemoryKind::memory ? "memory" : "user"; }

std::optional<MemoryKind> parse_memory_kind(std::string_view text) {
  const std::string lowered = to_lower(text);
  if (lowered == "memory" || lowered == "memory.md") return MemoryKind::memory;
  if (lowered == "user" || lowered == "user.md") return MemoryKind::user;
  return std::nullopt;
}

size_t MemorySection::entry_count() const {
  return static_cast<size_t>(
      std::count_if(lines.begin(), lines.end(), [](const MemoryLine& l) { return l.kind == MemoryLine::Kind::entry; }));
}

MemoryDocument MemoryDocument::parse(std::string_view text) {
  MemoryDocument document;
  document.sections.emplace_back();
  for (auto& raw : split_lines(text)) {
    std::string_view body = raw;
    if (body.ends_with('\r')) body.remove_suffix(1);
    if (body.starts_with(kSectionSign)) {
      MemorySection section;
      section.name = trim(body.substr(kSectionSign.size()));
      section.header = std::move(raw);
      document.sections.push_back(std::move(section));
      continue;
    }
    MemoryLine line;
    line.raw = raw;
    if (body.starts_with("- ") || body.starts_with("-\t")) {
      line.text = trim(body.substr(2));
      if (!line.text.empty()) line.kind = MemoryLine::Kind::entry;
    }
    document.sections.back().lines.push_back(std::move(line));
  }
  return document;
}

std::string MemoryDocument::render() const {
  std::string text;
  for (const auto& section : sections) {
    if (section.name) text += section.header + "\n";
    for (const auto& line : section.lines) text += line.raw + "\n";
  }
  return text;
}

size_t MemoryDocument::entry_count() const {
  size_t count = 0;
  for (const auto& section : sections) count += section.entry_count();
  return count;
}

int MemoryUsage::percent() const {
  if (cap <= 0) return chars > 0 ? 100 : 0;
  return static_cast<int>(chars * 100 / cap);
}

std::string MemoryUsage::figures() const {
  return std::to_string(percent()) + "% \xE2\x80\x94 " + group_thousands(chars) + "/" + group_thousands(cap);
}

Json MemoryFileView::to_json() const {
  Json sections = Json::array();
  for (const auto& section : document.sections) {
    if (!section.name && section.entry_count() == 0) continue;
    Json entries = Json::array();
    for (const auto& line : section.lines)
      if (line.kind == MemoryLine::Kind::entry) entries.push_back(line.text);
    sections.push_back(Json{{"name", json_or_null(section.name)}, {"entries", entries}});
  }
  return Json{{"file", memory_file_name(kind)},
              {"kind", memory_kind_name(kind)},
              {"path", path.string()},
              {"chars", usage.chars},
              {"cap", usage.cap},
              {"percent", usage.percent()},
              {"usage", usage.figures()},
              {"entry_count", document.entry_count()},
              {"sections", sections},
              {"text", document.render()}};
}

std::string MemoryFileView::to_text() const {
  const std::string body = document.render();
  return std::string(memory_file_name(kind)) + " " + usage.figures() + "\n" + (body.empty() ? "(empty)\n" : body);
}

Json MemoryChange::to_json() const {
  Json archived_json = Json::array();
  for (const auto& item : archived)
    archived_json.push_back(
        Json{{"section", json_or_null(item.entry.section)}, {"entry", item.entry.text}, {"reason", item.reason}});
  return Json{{"operation", operation},
              {"file", memory_file_name(file.kind)},
              {"section", entry ? json_or_null(entry->section) : Json(nullptr)},
              {"entry", entry ? Json(entry->text) : Json(nullptr)},
              {"replacement", json_or_null(replacement)},
              {"archived", archived_json},
              {"sections_dropped", sections_dropped},
              {"chars", file.usage.chars},
              {"cap", file.usage.cap},
              {"percent", file.usage.percent()},
              {"usage", file.usage.figures()}};
}

std::string MemoryChange::to_text() const {
  const std::string name(memory_file_name(file.kind));
  const std::string where = entry && entry->section ? " § " + *entry->section : std::string();
  std::string text;
  if (operation == "add") {
    text = "added to " + name + where + ": " + in_quotes(entry->text) + "\n";
  } else if (operation == "replace") {
    text = "replaced in " + name + where + ": " + in_quotes(entry->text) + " -> " + in_quotes(*replacement) + "\n";
  } else if (operation == "remove") {
    text = "removed from " + name + where + ": " + in_quotes(entry->text) + " (kept in ARCHIVE.jsonl)\n";
  } else {
    text = "consolidated " + name + ": " + std::to_string(archived.size()) +
           (archived.size() == 1 ? " entry" : " entries") + " moved to ARCHIVE.jsonl, " +
           std::to_string(sections_dropped) + (sections_dropped == 1 ? " empty section" : " empty sections") +
           " dropped\n";
    for (const auto& item : archived) text += "  - " + describe(item.entry) + ": " + item.reason + "\n";
  }
  return text + name + " " + file.usage.figures() + "\n";
}

std::string memory_entry_key(std::string_view text) {
  std::string key;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !key.empty();
      continue;
    }
    if (space) key += ' ';
    space = false;
    key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  while (!key.empty() && std::string_view(".,;:!? ").find(key.back()) != std::string_view::npos) key.pop_back();
  return key;
}

bool memory_entries_similar(std::string_view a, std::string_view b) {
  if (memory_entry_key(a) == memory_entry_key(b)) return true;
  const auto left = similarity_words(a);
  const auto right = similarity_words(b);
  if (left.empty() || left.size() != right.size()) return false;
  size_t typos = 0;
  for (size_t i = 0; i < left.size(); ++i) {
    if (left[i] == right[i]) continue;
    // One typo in a long word, never in numbers: "hellix" is "helix", "8080" is not "8081".
    if (left[i].size() < 5 || right[i].size() < 5 || has_digit(left[i]) || has_digit(right[i]) ||
        edit_distance(left[i], right[i]) != 1 || ++typos > 1)
      return false;
  }
  return true;
}

MemoryStore::MemoryStore(std::filesystem::path dir, Caps caps, Clock now)
    : m_dir(std::move(dir)), m_caps(caps), m_now(now ? std::move(now) : Clock(iso8601_now)) {}

MemoryStore::MemoryStore(const Paths& paths, const Settings& settings)
    : MemoryStore(paths.memory_dir(), Caps{settings.limits.memory_chars, settings.limits.user_chars}) {}

std::filesystem::path MemoryStore::path(MemoryKind kind) const { return m_dir / memory_file_name(kind); }

long long MemoryStore::cap(MemoryKind kind) const {
  return kind == MemoryKind::memory ? m_caps.memory_chars : m_caps.user_chars;
}

MemoryFileView MemoryStore::show(MemoryKind kind) const {
  MemoryFileView view;
  view.kind = kind;
  view.path = path(kind);
  view.document = MemoryDocument::parse(read_file_if_exists(view.path).value_or(""));
  view.usage = {static_cast<long long>(utf8_length(view.document.render())), cap(kind)};
  return view;
}

template <typename Edit>
MemoryChange MemoryStore::modify(MemoryKind kind, Edit&& edit) {
  make_directories(m_dir, 0700);
  const auto lock_file = m_dir / ".lock";
  FileLock lock(lock_file, default_lock_timeout(), "memory (" + lock_file.string() + ")");

  // Read inside the lock: another process may have written since the caller looked.
  const auto file = path(kind);
  const std::string before_text = read_file_if_exists(file).value_or("");
  MemoryDocument document = MemoryDocument::parse(before_text);
  const MemoryUsage before{static_cast<long long>(utf8_length(document.render())), cap(kind)};

  MemoryChange change = edit(document);
  const std::string after_text = document.render();
  const MemoryUsage after{static_cast<long long>(utf8_length(after_text)), cap(kind)};
  if (after.chars > after.cap && after.chars > before.chars)
    throw Error(Errc::over_cap, over_cap_message(kind, before, after));

  // Archive first: a crash between the two leaves an entry in both places, never in neither.
  if (!change.archived.empty()) {
    std::string lines;
    const std::string time = m_now();
    for (const auto& item : change.archived)
      lines += dump_json(Json{{"time", time},
                              {"file", memory_file_name(kind)},
                              {"section", json_or_null(item.entry.section)},
                              {"entry", item.entry.text},
                              {"operation", change.operation},
                              {"reason", item.reason}}) +
               "\n";
    append_archive(archive_path(), lines);
  }
  if (after_text != before_text) write_file_atomic(file, after_text, 0600);

  change.file.kind = kind;
  change.file.path = file;
  change.file.document = std::move(document);
  change.file.usage = after;
  return change;
}

MemoryChange MemoryStore::add(MemoryKind kind, const std::optional<std::string>& section_text,
                              std::string_view content) {
  const std::string text = single_line(content);
  if (text.empty()) throw Error(Errc::usage, "the entry is empty; give its text with --content");
  std::optional<std::string> section;
  if (section_text) {
    section = section_argument(*section_text);
    if (section->empty()) section.reset();
  }
  // Cheap size check before the scan: an entry longer than the whole cap can never fit.
  const MemoryUsage alone{static_cast<long long>(utf8_length(text)), cap(kind)};
  if (alone.chars > alone.cap)
    throw Error(Errc::over_cap, "the entry alone is " + group_thousands(alone.chars) + " characters, more than the " +
                                    group_thousands(alone.cap) + " of " + std::string(memory_file_name(kind)) +
                                    "; write it shorter");
  refuse_unsafe(text, "entry", kind);
  if (section) refuse_unsafe(*section, "section name", kind);

  return modify(kind, [&](MemoryDocument& document) {
    if (auto existing = find_duplicate(document, text))
      throw Error(Errc::duplicate, std::string(memory_file_name(kind)) +
                                       " already has this entry: " + describe(ref_at(document, *existing)) +
                                       "; nothing was changed (to reword it use 'agntctl memory replace " +
                                       std::string(memory_kind_name(kind)) + " --target T --replacement R')");
    MemoryChange change;
    change.operation = "add";
    change.entry = MemoryEntryRef{insert_entry(document, section, text), text};
    return change;
  });
}

MemoryChange MemoryStore::replace(MemoryKind kind, std::string_view target, std::string_view replacement_text) {
  const std::string text = single_line(replacement_text);
  if (text.empty())
    throw Error(Errc::usage, "the replacement is empty; to delete the entry use 'agntctl memory remove " +
                                 std::string(memory_kind_name(kind)) + " --target T'");
  if (static_cast<long long>(utf8_length(text)) > cap(kind))
    throw Error(Errc::over_cap, "the replacement alone is longer than the cap of " +
                                    std::string(memory_file_name(kind)) + "; write it shorter");
  refuse_unsafe(text, "replacement", kind);

  return modify(kind, [&](MemoryDocument& document) {
    const Location at = find_target(document, kind, target);
    if (auto existing = find_duplicate(document, text, at))
      throw Error(Errc::duplicate, std::string(memory_file_name(kind)) + " already has " +
                                       describe(ref_at(document, *existing)) +
                                       "; remove the old entry instead of replacing it");
    MemoryChange change;
    change.operation = "replace";
    change.entry = ref_at(document, at);
    change.replacement = text;
    if (change.entry->text != text) change.archived.push_back({*change.entry, "replaced by " + in_quotes(text)});
    document.sections[at.section].lines[at.line] = entry_line(text);
    return change;
  });
}

MemoryChange MemoryStore::remove(MemoryKind kind, std::string_view target) {
  return modify(kind, [&](MemoryDocument& document) {
    const Location at = find_target(document, kind, target);
    MemoryChange change;
    change.operation = "remove";
    change.entry = ref_at(document, at);
    change.archived.push_back({*change.entry, "removed on request"});
    auto& lines = document.sections[at.section].lines;
    lines.erase(lines.begin() + static_cast<long>(at.line));
    return change;
  });
}

MemoryChange MemoryStore::consolidate(MemoryKind kind) {
  return modify(kind, [&](MemoryDocument& document) {
    MemoryChange change;
    change.operation = "consolidate";

    // Sections of the same name become one, at the place of the first.
    std::vector<MemorySection> merged;
    for (auto& section : document.sections) {
      auto same = std::find_if(merged.begin(), merged.end(), [&](const MemorySection& m) {
        return section.name && m.name && same_name(*m.name, *section.name);
      });
      if (same == merged.end()) {
        merged.push_back(std::move(section));
      } else {
        for (auto& line : section.lines) same->lines.push_back(std::move(line));
      }
    }

    std::vector<MemoryEntryRef> kept;
    MemoryDocument canonical;
    for (auto& section : merged) {
      MemorySection out;
      out.name = section.name;
      if (out.name) out.header = std::string(kSectionSign) + " " + *out.name;
      for (auto& line : section.lines) {
        if (is_blank(line)) continue;
        if (line.kind != MemoryLine::Kind::entry) {
          out.lines.push_back(std::move(line));
          continue;
        }
        const MemoryEntryRef current{section.name, line.text};
        auto original = std::find_if(kept.begin(), kept.end(), [&](const MemoryEntryRef& k) {
          return memory_entries_similar(k.text, line.text);
        });
        if (original != kept.end()) {
          const bool exact = memory_entry_key(original->text) == memory_entry_key(line.text);
          change.archived.push_back(
              {current, std::string(exact ? "exact" : "near") + " duplicate of " + describe(*original)});
          continue;
        }
        kept.push_back(current);
        out.lines.push_back(entry_line(line.text));
      }
      if (out.name && out.lines.empty()) {
        ++change.sections_dropped;
        continue;
      }
      canonical.sections.push_back(std::move(out));
    }

    // One blank line between parts; an empty unnamed part adds nothing.
    for (size_t i = 0; i + 1 < canonical.sections.size(); ++i)
      if (!canonical.sections[i].lines.empty() || canonical.sections[i].name)
        canonical.sections[i].lines.push_back(blank_line());
    document = std::move(canonical);
    return change;
  });
}

std::string memory_snapshot(const Paths& paths, const Settings& settings) {
  const MemoryStore store(paths, settings);
  std::string snapshot;
  for (const auto kind : {MemoryKind::memory, MemoryKind::user}) {
    auto view = store.show(kind);
    for (auto& section : view.document.sections) {
      if (section.name && scan_memory_text(section.header)) section.header = "\xC2\xA7 [blocked section name]";
      for (auto& line : section.lines) {
        if (is_blank(line)) continue;
        if (auto finding = scan_memory_text(line.raw)) {
          line.raw = "- [blocked: this line failed the memory safety check (" + finding->id +
                     "); the user can delete it with 'agntctl memory remove " + std::string(memory_kind_name(kind)) +
                     " --target ...']";
        }
      }
    }
    if (!snapshot.empty()) snapshot += "\n";
    snapshot += view.to_text();
  }
  return snapshot;
}

}  // namespace agntos
