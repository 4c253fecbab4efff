// SPDX-License-Identifier: MIT
#include "agntctl/pipeline/switch_inhibitors.h"

#include <map>
#include <optional>

#include "common/files.h"
#include "common/text.h"

namespace agntctl {
namespace {

namespace fs = std::filesystem;

// Where a link of a system leads, fully resolved (the store paths are what differ); nullopt
// when the system has no such entry.
std::optional<std::string> resolved(const fs::path& system, const std::string& entry) {
  std::error_code ec;
  const fs::path path = system / entry;
  if (!fs::exists(fs::symlink_status(path, ec))) return std::nullopt;
  const auto target = fs::canonical(path, ec);
  if (!ec) return target.string();
  const auto link = fs::read_symlink(path, ec);  // a dangling link still names what it was
  if (!ec) return link.string();
  return path.string();
}

// The switch-inhibitors file: an object of strings (keys whose values are not strings are
// compared as their JSON text).
std::map<std::string, std::string> inhibitors(const fs::path& system) {
  std::map<std::string, std::string> values;
  try {
    const auto text = agntos::read_file_if_exists(system / "switch-inhibitors");
    if (!text) return values;
    const auto json = agntos::Json::parse(*text);
    if (!json.is_object()) return values;
    for (const auto& [key, value] : json.items()) values[key] = value.is_string() ? value.get<std::string>() : value.dump();
  } catch (const std::exception&) {
  }
  return values;
}

fs::path usable(const fs::path& preferred, const fs::path& fallback) {
  std::error_code ec;
  return !preferred.empty() && fs::exists(preferred, ec) ? preferred : fallback;
}

}  // namespace

std::vector<CriticalChange> critical_changes(const RunningSystems& running, const fs::path& new_system) {
  const fs::path booted = usable(running.booted, running.current);
  const fs::path current = usable(running.current, running.booted);
  std::vector<CriticalChange> changes;
  auto compare = [&](const fs::path& reference, const std::string& entry, const std::string& component) {
    if (reference.empty()) return;
    const auto before = resolved(reference, entry);
    const auto after = resolved(new_system, entry);
    if (before && after && *before != *after) changes.push_back({component, *before, *after});
  };
  compare(booted, "kernel", "kernel");
  compare(booted, "kernel-modules", "kernel-modules");
  compare(booted, "initrd", "initrd");
  compare(current, "systemd", "systemd");
  compare(current, "etc/systemd/system/dbus.service", "dbus");
  if (!current.empty()) {
    const auto old_values = inhibitors(current);
    const auto new_values = inhibitors(new_system);
    for (const auto& [key, value] : old_values)
      if (const auto it = new_values.find(key); it != new_values.end() && it->second != value)
        changes.push_back({key, value, it->second});
  }
  return changes;
}

ActivationChoice choose_activation(agntos::ActivationMode configured_mode, std::vector<CriticalChange> changes) {
  ActivationChoice choice;
  choice.configured = configured_mode;
  choice.mode = changes.empty() ? configured_mode : agntos::ActivationMode::boot;
  choice.changes = std::move(changes);
  return choice;
}

std::string ActivationChoice::notice() const {
  if (mode == configured || changes.empty()) return "";
  std::vector<std::string> names;
  for (const auto& change : changes) names.push_back(change.component);
  return "The new system changes " + agntos::join(names, ", ") + ", which cannot be replaced in a running system: it is "
         "installed with 'boot' instead of a live '" + std::string(agntos::to_string(configured)) + "' (the default for the next boot; the running "
         "system stays as it is). Reboot to use it.";
}

agntos::Json ActivationChoice::to_json() const {
  agntos::Json list = agntos::Json::array();
  for (const auto& change : changes)
    list.push_back(agntos::Json{{"component", change.component}, {"before", change.before}, {"after", change.after}});
  const auto text = notice();
  return agntos::Json{{"configured", agntos::to_string(configured)},
                      {"mode", agntos::to_string(mode)},
                      {"critical_changes", list},
                      {"notice", text.empty() ? agntos::Json() : agntos::Json(text)}};
}

}  // namespace agntctl
