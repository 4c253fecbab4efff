// SPDX-License-Identifier: MIT
#include "agntctl/pipeline/confirm_timer.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <set>

#include "common/error.h"
#include "common/files.h"
#include "common/text.h"

namespace agntctl {
namespace {

namespace fs = std::filesystem;
using agntos::Errc;
using agntos::Error;
using agntos::Json;

// Leaf option paths of a manifest's "options" object -> their JSON text.
void flatten(const Json& value, const std::string& path, std::map<std::string, std::string>& out) {
  if (value.is_object() && !value.empty()) {
    for (const auto& [key, child] : value.items()) flatten(child, path.empty() ? key : path + "." + key, out);
    return;
  }
  if (!path.empty()) out[path] = value.dump();
}

std::optional<std::map<std::string, std::string>> manifest_options(const fs::path& system) {
  try {
    const auto text = agntos::read_file_if_exists(system / "manifest.json");
    if (!text) return std::nullopt;
    const auto manifest = Json::parse(*text);
    if (!manifest.is_object() || !manifest.contains("options")) return std::nullopt;
    std::map<std::string, std::string> options;
    flatten(manifest["options"], "", options);
    return options;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// Identifiers of a Nix text with its comments left out.
std::set<std::string> identifiers(const std::string& text) {
  std::set<std::string> words;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) words.insert(word);
    word.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '#') {
      flush();
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      flush();
      const auto end = text.find("*/", i + 2);
      i = end == std::string::npos ? text.size() : end + 1;
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || ((c == '-' || c == '\'') && !word.empty())) {
      word += c;
    } else {
      flush();
    }
  }
  flush();
  return words;
}

bool under(const std::string& path, const std::string& prefix) {
  auto within = [](const std::string& a, const std::string& b) {  // a is b or lies beneath it
    return a == b || (a.size() > b.size() && a.starts_with(b) && a[b.size()] == '.');
  };
  return within(path, prefix) || within(prefix, path);
}

// The option path a module file's name stands for, if any.
std::optional<std::string> path_of_file(const std::string& file) {
  const auto slash = file.find('/');
  if (slash == std::string::npos || !file.ends_with(".nix")) return std::nullopt;
  const std::string kind = file.substr(0, slash);
  std::string name = file.substr(slash + 1, file.size() - slash - 1 - 4);
  if (kind == "services") return "services." + name;
  if (kind == "options") {
    std::replace(name.begin(), name.end(), '-', '.');
    return name;
  }
  return std::nullopt;
}

std::string seconds(long s) { return std::to_string(s) + " s"; }

}  // namespace

std::vector<std::string> class_prefixes(const std::string& name) {
  if (name == "networking") return {"networking"};
  if (name == "firewall") return {"networking.firewall", "networking.nftables"};
  if (name == "openssh" || name == "ssh") return {"services.openssh", "services.sshd"};
  if (name == "users") return {"users"};
  if (name == "boot") return {"boot"};
  return {name};
}

std::optional<std::vector<std::string>> changed_options(const std::optional<std::string>& before_system,
                                                        const std::string& after_system) {
  const auto after = manifest_options(after_system);
  if (!after) return std::nullopt;
  std::map<std::string, std::string> before;
  if (before_system) {
    const auto read = manifest_options(*before_system);
    if (!read) return std::nullopt;
    before = *read;
  }
  std::vector<std::string> changed;
  for (const auto& [path, value] : *after)
    if (const auto it = before.find(path); it == before.end() || it->second != value) changed.push_back(path);
  for (const auto& [path, value] : before)
    if (!after->count(path)) changed.push_back(path);
  std::sort(changed.begin(), changed.end());
  return changed;
}

std::optional<ConfirmGate> confirm_gate(const agntos::Settings::Rebuild& settings, const fs::path& config_dir,
                                        const std::vector<FileChange>& changes,
                                        const std::optional<std::vector<std::string>>& changed) {
  ConfirmGate gate;
  std::set<std::string> because;
  for (const auto& name : settings.confirm_classes) {
    bool touched = false;
    for (const auto& prefix : class_prefixes(name)) {
      if (changed) {
        for (const auto& path : *changed)
          if (under(path, prefix)) {
            because.insert(path);
            touched = true;
          }
        continue;
      }
      for (const auto& change : changes) {
        if (const auto path = path_of_file(change.path); path && under(*path, prefix)) {
          because.insert(*path);
          touched = true;
          continue;
        }
        std::vector<std::string> segments = agntos::split(prefix, '.');
        for (const auto& text : {agntos::read_file_if_exists(config_dir / change.path), change.content}) {
          if (!text) continue;
          const auto words = identifiers(*text);
          if (std::all_of(segments.begin(), segments.end(), [&](const std::string& s) { return words.count(s) > 0; })) {
            because.insert(change.path + " (" + prefix + ")");
            touched = true;
            break;
          }
        }
      }
    }
    if (touched) gate.classes.push_back(name);
  }
  gate.because.assign(because.begin(), because.end());
  if (settings.confirm_timeout) {
    gate.every_change = true;
    gate.timeout_s = *settings.confirm_timeout;
    return gate;
  }
  if (gate.classes.empty()) return std::nullopt;
  gate.timeout_s = settings.confirm_class_timeout;
  return gate;
}

std::string ConfirmGate::notice() const {
  std::string why = every_change ? "[rebuild] confirm_timeout is set" : "";
  if (!classes.empty()) {
    std::vector<std::string> shown(because.begin(), because.begin() + static_cast<long>(std::min<size_t>(because.size(), 4)));
    if (because.size() > shown.size()) shown.push_back("…");
    why += std::string(why.empty() ? "" : "; ") + "it touches " + agntos::join(classes, ", ") +
           (shown.empty() ? "" : " (" + agntos::join(shown, ", ") + ")");
  }
  return "After activation a " + seconds(timeout_s) + " confirm-or-revert timer runs (" + why +
         "): unless 'agntctl confirm' runs within " + seconds(timeout_s) +
         ", a watchdog restores the files and the previous generation.";
}

Json ConfirmGate::to_json() const {
  return Json{{"timeout_s", timeout_s},
              {"every_change", every_change},
              {"classes", classes},
              {"because", because},
              {"notice", notice()}};
}

ConfirmGate ConfirmGate::from_json(const Json& value) {
  ConfirmGate gate;
  gate.timeout_s = agntos::json_int(value, "timeout_s").value_or(60);
  gate.every_change = value.value("every_change", false);
  if (auto it = value.find("classes"); it != value.end() && it->is_array()) gate.classes = it->get<std::vector<std::string>>();
  if (auto it = value.find("because"); it != value.end() && it->is_array()) gate.because = it->get<std::vector<std::string>>();
  return gate;
}

long long unix_ms_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string iso_of_unix_ms(long long ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  ::gmtime_r(&seconds, &tm);
  char buffer[40];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03lldZ", buffer, ms % 1000);
  return out;
}

fs::path pending_confirmation_file(const agntos::Paths& paths) { return paths.config_dir / ".agntos-confirm.json"; }

std::string PendingConfirmation::deadline_iso() const { return iso_of_unix_ms(deadline_ms); }

Json PendingConfirmation::to_json() const {
  return Json{{"version", 1},
              {"audit_id", audit_id},
              {"phase", agntos::to_string(phase)},
              {"deadline_ms", deadline_ms},
              {"deadline", deadline_iso()},
              {"gate", gate.to_json()},
              {"summary", summary},
              {"backend", agntos::to_string(backend)},
              {"watchdog", agntos::to_string(watchdog)},
              {"generation_before", agntos::json_or_null(generation_before)},
              {"files", files_before_to_json(before)},
              {"revert_error", agntos::json_or_null(revert_error)}};
}

PendingConfirmation PendingConfirmation::from_json(const Json& value) {
  PendingConfirmation record;
  record.audit_id = value.at("audit_id").get<std::string>();
  record.phase = agntos::parse_enum<ConfirmPhase>(agntos::json_string(value, "phase").value_or("waiting"));
  record.deadline_ms = value.at("deadline_ms").get<long long>();
  record.gate = ConfirmGate::from_json(value.value("gate", Json::object()));
  record.summary = agntos::json_string(value, "summary").value_or("");
  record.backend = agntos::parse_enum<agntos::RebuildBackend>(agntos::json_string(value, "backend").value_or("nixos"));
  record.watchdog = agntos::parse_enum<WatchdogKind>(agntos::json_string(value, "watchdog").value_or("detached"));
  record.generation_before = agntos::json_int(value, "generation_before");
  record.revert_error = agntos::json_string(value, "revert_error");
  record.before = files_before_from_json(value.at("files"));
  return record;
}

std::optional<PendingConfirmation> PendingConfirmation::load(const agntos::Paths& paths) {
  const auto text = agntos::read_file_if_exists(pending_confirmation_file(paths));
  if (!text) return std::nullopt;
  try {
    return from_json(Json::parse(*text));
  } catch (const std::exception& e) {
    // Written atomically, so this is damage from outside; keep it for a human.
    throw Error(Errc::failed, "the pending confirmation " + pending_confirmation_file(paths).string() +
                                  " is unreadable (" + e.what() + "); check the system by hand, then move it away");
  }
}

void PendingConfirmation::save(const agntos::Paths& paths) const {
  agntos::write_file_atomic(pending_confirmation_file(paths), agntos::dump_json(to_json()) + "\n", 0600);
}

void PendingConfirmation::remove(const agntos::Paths& paths) { agntos::remove_file_durably(pending_confirmation_file(paths)); }

}  // namespace agntctl
