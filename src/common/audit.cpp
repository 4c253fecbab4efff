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

AuditEntry AuditEntry::make(AuditActionType type, std::string summary_text) {
  AuditEntry entry;
  entry.id = make_id("a");
  entry.timestamp = iso8601_now();
  entry.action.type = type;
  entry.summary = std::move(summary_text);
  return entry;
}

Json AuditAction::to_json() const {
  return Json{{"type", to_string(type)},
              {"generation", json_or_null(generation)},
              {"store_path", json_or_null(store_path)},
              {"mode", json_or_null(mode)},
              {"confirm", confirm.is_object() ? confirm : Json()},
              {"reverts", json_or_null(reverts)},
              {"reason", json_or_null(reason)},
              {"interrupted", json_or_null(interrupted)},
              {"confirms", json_or_null(confirms)},
              {"tool", json_or_null(tool)}};
}

AuditAction AuditAction::from_json(const Json& value) {
  AuditAction action;
  if (value.is_string()) {
    action.type = parse_enum<AuditActionType>(value.get<std::string>());
    return action;
  }
  if (!value.is_object()) return action;
  action.type = parse_enum<AuditActionType>(json_string(value, "type").value_or("Generic"));
  action.generation = json_int(value, "generation");
  if (const auto prototype = json_string(value, "generation_id"); !action.generation && prototype && all_digits(*prototype) &&
                                                                  prototype->size() < 19)
    action.generation = std::stoll(*prototype);
  action.store_path = json_string(value, "store_path");
  action.mode = json_enum<ActivationMode>(value, "mode");
  if (auto it = value.find("confirm"); it != value.end() && it->is_object()) action.confirm = *it;
  action.reverts = json_string(value, "reverts");
  action.reason = json_string(value, "reason");
  action.interrupted = json_string(value, "interrupted");
  action.confirms = json_string(value, "confirms");
  action.tool = json_string(value, "tool");
  return action;
}

Json AuditResult::to_json() const {
  return Json{{"status", to_string(status)}, {"message", json_or_null(message)}, {"error", json_or_null(error)}};
}

AuditResult AuditResult::from_json(const Json& value) {
  AuditResult result;
  if (!value.is_object()) return result;
  result.status = parse_enum<AuditStatus>(json_string(value, "status").value_or("Success"));
  result.message = json_string(value, "message");
  if (!result.message) result.message = json_string(value, "reason");  // prototype's Pending
  result.error = json_string(value, "error");
  return result;
}

Json AuditEntry::to_json() const {
  Json entry{{"id", id},
             {"timestamp", timestamp},
             {"action", action.to_json()},
             {"actor", actor},
             {"approved_by", json_or_null(approved_by)},
             {"summary", summary}};
  origin.append_to(entry);
  entry["files_changed"] = files_changed;
  entry["files_written"] = files_written;
  entry["files_deleted"] = files_deleted;
  entry["packages"] = packages;
  entry["generation_before"] = json_or_null(generation_before);
  entry["generation_after"] = json_or_null(generation_after);
  entry["commit"] = json_or_null(commit);
  entry["undoes"] = json_or_null(undoes);
  entry["rollback_hint"] = json_or_null(rollback_hint);
  entry["result"] = result.to_json();
  return entry;
}

AuditEntry AuditEntry::from_json(const Json& value) {
  if (!value.is_object()) throw Error(Errc::failed, "audit entry is not an object");
  AuditEntry entry;
  entry.id = json_string(value, "id").value_or("");
  entry.timestamp = json_string(value, "timestamp").value_or("");
  if (entry.id.empty()) throw Error(Errc::failed, "audit entry has no id");
  if (auto it = value.find("action"); it != value.end()) entry.action = AuditAction::from_json(*it);
  entry.actor = json_string(value, "actor").value_or("user");
  entry.approved_by = json_string(value, "approved_by");
  entry.summary = json_string(value, "summary").value_or("");
  entry.origin = ChangeOrigin::from_json(value);
  // Entries before the fixed shape kept the proposal id in the action.
  if (!entry.origin.proposal_id)
    if (auto it = value.find("action"); it != value.end()) entry.origin.proposal_id = json_string(*it, "proposal_id");
  entry.files_changed = string_list(value, "files_changed");
  entry.files_written = string_list(value, "files_written");
  entry.files_deleted = string_list(value, "files_deleted");
  entry.packages = string_list(value, "packages");
  entry.generation_before = json_int(value, "generation_before");
  entry.generation_after = json_int(value, "generation_after");
  entry.commit = json_string(value, "commit");
  entry.undoes = json_string(value, "undoes");
  entry.rollback_hint = json_string(value, "rollback_hint");
  if (auto it = value.find("result"); it != value.end()) entry.result = AuditResult::from_json(*it);
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
  return !(since && entry.timestamp < *since) && shows(entry.action.type);
}

bool AuditFilter::shows(AuditActionType type) const {
  if (!types.empty()) return std::find(types.begin(), types.end(), type) != types.end();
  return include_generic || type != AuditActionType::generic;
}

std::vector<AuditActionType> parse_audit_types(const std::vector<std::string>& words) {
  std::vector<AuditActionType> types;
  for (const auto& word : words) {
    for (const auto& part : split(word, ',')) {
      const auto name = to_lower(trim(part));
      if (name.empty()) continue;
      const auto& table = kAuditActionTypeNames.names;
      const auto known = std::find_if(table.begin(), table.end(), [&](const auto& type) { return to_lower(type.name) == name; });
      if (known == table.end()) {
        std::vector<std::string> names;
        for (const auto& type : table) names.push_back(to_lower(type.name));
        throw Error(Errc::usage, "unknown audit entry type '" + std::string(trim(part)) + "'; the types are " + join(names, ", "));
      }
      if (std::find(types.begin(), types.end(), known->value) == types.end()) types.push_back(known->value);
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
