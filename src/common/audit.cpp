// SPDX-License-Identifier: MIT
#include "common/audit.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>

#include "common/error.h"
#include "common/fd.h"
#include "common/file_lock.h"
#include "common/files.h"
#include "common/ids.h"
#include "common/text.h"

namespace agntos {
namespace {

std::vector<std::string> string_list(const Json& value, const char* key) {
  std::vector<std::string> result;
  auto it = value.find(key);
  if (it == value.end() || !it->is_array()) return result;
  for (const auto& item : *it)
    if (item.is_string()) result.push_back(item.get<std::string>());
  return result;
}

// If the file does not end in a newline, a crash tore the last append: cut it off.
void repair_torn_tail(int fd, const std::string& path) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw_errno("cannot stat", path);
  if (st.st_size == 0) return;
  char last = 0;
  if (::pread(fd, &last, 1, st.st_size - 1) != 1) throw_errno("cannot read", path);
  if (last == '\n') return;
  // Scan back to the last newline (lines are short; read in blocks).
  off_t end = st.st_size;
  char block[4096];
  while (end > 0) {
    const off_t start = std::max<off_t>(0, end - static_cast<off_t>(sizeof block));
    const ssize_t n = ::pread(fd, block, static_cast<size_t>(end - start), start);
    if (n <= 0) throw_errno("cannot read", path);
    for (ssize_t i = n - 1; i >= 0; --i) {
      if (block[i] == '\n') {
        if (::ftruncate(fd, start + i + 1) != 0) throw_errno("cannot repair", path);
        return;
      }
    }
    end = start;
  }
  if (::ftruncate(fd, 0) != 0) throw_errno("cannot repair", path);
}

}  // namespace

AuditEntry AuditEntry::make(std::string action_type, std::string summary_text) {
  AuditEntry entry;
  entry.id = make_id("a");
  entry.timestamp = iso8601_now();
  entry.action = Json{{"type", std::move(action_type)}};
  entry.summary = std::move(summary_text);
  return entry;
}

std::string AuditEntry::action_type() const { return json_string(action, "type").value_or("Generic"); }

Json AuditEntry::to_json() const {
  Json result = Json::object();
  if (status == "Success") result = {{"status", status}, {"message", json_or_null(message)}};
  else if (status == "Failed") result = {{"status", status}, {"error", error.value_or(message.value_or(""))}};
  else result = {{"status", status}, {"message", json_or_null(message)}};
  return Json{{"id", id},
              {"timestamp", timestamp},
              {"action", action},
              {"actor", actor},
              {"approved_by", json_or_null(approved_by)},
              {"summary", summary},
              {"prompt", json_or_null(prompt)},
              {"rationale", json_or_null(rationale)},
              {"files_changed", files_changed},
              {"files_written", files_written},
              {"files_deleted", files_deleted},
              {"packages", packages},
              {"generation_before", json_or_null(generation_before)},
              {"generation_after", json_or_null(generation_after)},
              {"commit", json_or_null(commit)},
              {"session_id", json_or_null(session_id)},
              {"model", json_or_null(model)},
              {"undoes", json_or_null(undoes)},
              {"rollback_hint", json_or_null(rollback_hint)},
              {"result", result}};
}

AuditEntry AuditEntry::from_json(const Json& value) {
  if (!value.is_object()) throw Error(Errc::failed, "audit entry is not an object");
  AuditEntry entry;
  entry.id = json_string(value, "id").value_or("");
  entry.timestamp = json_string(value, "timestamp").value_or("");
  if (entry.id.empty()) throw Error(Errc::failed, "audit entry has no id");
  if (auto it = value.find("action"); it != value.end()) {
    if (it->is_object()) entry.action = *it;
    else if (it->is_string()) entry.action = Json{{"type", *it}};
  }
  entry.actor = json_string(value, "actor").value_or("user");
  entry.approved_by = json_string(value, "approved_by");
  entry.summary = json_string(value, "summary").value_or("");
  entry.prompt = json_string(value, "prompt");
  entry.rationale = json_string(value, "rationale");
  entry.files_changed = string_list(value, "files_changed");
  entry.files_written = string_list(value, "files_written");
  entry.files_deleted = string_list(value, "files_deleted");
  entry.packages = string_list(value, "packages");
  entry.generation_before = json_int(value, "generation_before");
  entry.generation_after = json_int(value, "generation_after");
  entry.commit = json_string(value, "commit");
  entry.session_id = json_string(value, "session_id");
  entry.model = json_string(value, "model");
  entry.undoes = json_string(value, "undoes");
  entry.rollback_hint = json_string(value, "rollback_hint");
  if (auto it = value.find("result"); it != value.end() && it->is_object()) {
    entry.status = json_string(*it, "status").value_or("Success");
    entry.message = json_string(*it, "message");
    if (!entry.message) entry.message = json_string(*it, "reason");  // prototype's Pending
    entry.error = json_string(*it, "error");
  }
  return entry;
}

void AuditLog::append(const AuditEntry& entry) const {
  make_directories(m_path.parent_path(), m_mode | ((m_mode & 0444) >> 2));
  Fd fd(::open(m_path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, m_mode));
  if (!fd) throw_errno("cannot open audit log", m_path.string());
  struct stat st {};
  if (::fstat(fd.get(), &st) == 0 && (st.st_mode & 0777 & ~m_mode) != 0) (void)::fchmod(fd.get(), st.st_mode & m_mode & 0777);
  FileLock lock(fd.get(), default_lock_timeout(), "audit log " + m_path.string());
  repair_torn_tail(fd.get(), m_path.string());
  const std::string line = entry.to_json().dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
  // One write() of the whole line: readers never see half an entry from a live writer.
  const ssize_t n = ::write(fd.get(), line.data(), line.size());
  if (n < 0) throw_errno("cannot append to audit log", m_path.string());
  if (static_cast<size_t>(n) != line.size()) {
    // Disk full or similar: cut the partial line so the log stays well-formed.
    repair_torn_tail(fd.get(), m_path.string());
    throw Error(Errc::io, "short write to audit log " + m_path.string() + " (disk full?)");
  }
  if (::fsync(fd.get()) != 0) throw_errno("cannot fsync audit log", m_path.string());
}

std::vector<AuditEntry> AuditLog::read_all() const {
  std::vector<AuditEntry> entries;
  const auto content = read_file_if_exists(m_path);
  if (!content) return entries;
  std::string_view rest(*content);
  while (!rest.empty()) {
    const auto newline = rest.find('\n');
    if (newline == std::string_view::npos) break;  // torn last line: not yet (or never) complete
    const std::string_view line = rest.substr(0, newline);
    rest.remove_prefix(newline + 1);
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    try {
      entries.push_back(AuditEntry::from_json(Json::parse(line)));
    } catch (const std::exception&) {
      // A malformed line is skipped; the rest of the log stays readable.
    }
  }
  return entries;
}

std::vector<AuditEntry> read_audit_logs(const std::vector<std::filesystem::path>& logs) {
  std::vector<AuditEntry> merged;
  std::vector<std::filesystem::path> seen;
  for (const auto& log : logs) {
    const auto resolved = resolve_path(log);
    if (std::find(seen.begin(), seen.end(), resolved) != seen.end()) continue;
    seen.push_back(resolved);
    auto entries = AuditLog(log).read_all();
    merged.insert(merged.end(), std::make_move_iterator(entries.begin()), std::make_move_iterator(entries.end()));
  }
  std::stable_sort(merged.begin(), merged.end(),
                   [](const AuditEntry& a, const AuditEntry& b) { return a.timestamp < b.timestamp; });
  return merged;
}

bool AuditFilter::matches(const AuditEntry& entry) const {
  if (since && entry.timestamp < *since) return false;
  const auto type = entry.action_type();
  if (!types.empty()) return std::find(types.begin(), types.end(), type) != types.end();
  return include_generic || type != "Generic";
}

std::vector<std::string> parse_audit_types(const std::vector<std::string>& words) {
  std::vector<std::string> types;
  for (const auto& word : words) {
    for (const auto& part : split(word, ',')) {
      const auto name = to_lower(trim(part));
      if (name.empty()) continue;
      const auto known = std::find_if(std::begin(kAuditActionTypes), std::end(kAuditActionTypes),
                                      [&](const char* type) { return to_lower(type) == name; });
      if (known == std::end(kAuditActionTypes)) {
        std::vector<std::string> names;
        for (const char* type : kAuditActionTypes) names.push_back(to_lower(type));
        throw Error(Errc::usage, "unknown audit entry type '" + std::string(trim(part)) + "'; the types are " + join(names, ", "));
      }
      if (std::find(types.begin(), types.end(), *known) == types.end()) types.emplace_back(*known);
    }
  }
  return types;
}

std::string parse_audit_since(std::string_view text, std::chrono::system_clock::time_point now) {
  const std::string value(trim(text));
  auto usage = [&]() {
    return Error(Errc::usage, "--since '" + value + "' is neither a UTC date or time (2026-11-24, 2026-11-24T10:00, "
                              "2026-11-24T10:00:30Z) nor a duration back from now (45s, 30m, 2h, 3d, 1w)");
  };
  std::time_t when = 0;
  long long amount = 0;
  char unit = 0;
  int consumed = 0;
  if (std::sscanf(value.c_str(), "%lld%c%n", &amount, &unit, &consumed) == 2 &&
      static_cast<size_t>(consumed) == value.size() && amount >= 0 && std::isdigit(static_cast<unsigned char>(value[0]))) {
    long long seconds = 0;
    switch (unit) {
      case 's': seconds = 1; break;
      case 'm': seconds = 60; break;
      case 'h': seconds = 3600; break;
      case 'd': seconds = 86400; break;
      case 'w': seconds = 7 * 86400; break;
      default: throw usage();
    }
    if (amount > 100LL * 366 * 86400 / seconds) throw usage();
    when = std::chrono::system_clock::to_time_t(now) - static_cast<std::time_t>(amount * seconds);
  } else {
    std::tm tm{};
    int fraction_start = 0;
    int end = 0;
    const int date_fields = std::sscanf(value.c_str(), "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &end);
    if (date_fields != 3 || end != 10) throw usage();
    std::string_view rest = std::string_view(value).substr(10);
    if (!rest.empty()) {
      if (rest[0] != 'T' && rest[0] != 't' && rest[0] != ' ') throw usage();
      rest.remove_prefix(1);
      const std::string time(rest);
      int hour_end = 0;
      if (std::sscanf(time.c_str(), "%2d:%2d%n", &tm.tm_hour, &tm.tm_min, &hour_end) != 2 || hour_end != 5) throw usage();
      rest.remove_prefix(5);
      if (!rest.empty() && rest[0] == ':') {
        const std::string seconds(rest.substr(1));
        if (std::sscanf(seconds.c_str(), "%2d%n", &tm.tm_sec, &fraction_start) != 1 || fraction_start != 2) throw usage();
        rest.remove_prefix(3);
        if (!rest.empty() && rest[0] == '.') {
          rest.remove_prefix(1);
          if (rest.empty() || !std::isdigit(static_cast<unsigned char>(rest[0]))) throw usage();
          while (!rest.empty() && std::isdigit(static_cast<unsigned char>(rest[0]))) rest.remove_prefix(1);
        }
      }
      if (rest == "Z" || rest == "z") rest = {};
      if (!rest.empty()) throw usage();
    }
    const int year = tm.tm_year, month = tm.tm_mon, day = tm.tm_mday;
    if (month < 1 || month > 12 || day < 1 || day > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
      throw usage();
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    when = ::timegm(&tm);
    // timegm normalizes 2026-02-31 to March 3rd: such a date does not exist.
    std::tm check{};
    ::gmtime_r(&when, &check);
    if (check.tm_year + 1900 != year || check.tm_mon + 1 != month || check.tm_mday != day) throw usage();
  }
  std::tm utc{};
  ::gmtime_r(&when, &utc);
  char buffer[80];  // room for any int the compiler can imagine, so -Wformat-truncation stays quiet
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.000Z", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
  return buffer;
}

}  // namespace agntos
