// SPDX-License-Identifier: MIT
#include "agntd/llm/offline/answers.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <optional>

#include "common/text.h"

namespace agntd::offline {
namespace {

std::string str(const Json& json, const char* key) {
  return json.is_object() && json.contains(key) && json[key].is_string() ? json[key].get<std::string>() : std::string();
}

std::optional<double> num(const Json& json, const char* key) {
  if (json.is_object() && json.contains(key) && json[key].is_number()) return json[key].get<double>();
  return std::nullopt;
}

const Json& arr(const Json& json, const char* key) {
  static const Json empty = Json::array();
  return json.is_object() && json.contains(key) && json[key].is_array() ? json[key] : empty;
}

const Json& obj(const Json& json, const char* key) {
  static const Json empty = Json::object();
  return json.is_object() && json.contains(key) && json[key].is_object() ? json[key] : empty;
}

std::string fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

std::string plural(long long n, const std::string& word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); }

std::string day_and_time(const std::string& timestamp) {
  if (timestamp.size() < 16) return timestamp;
  return timestamp.substr(0, 10) + " " + timestamp.substr(11, 5);
}

std::string cpu_answer(const Json& cpu) {
  std::string text = "CPU: " + (str(cpu, "model").empty() ? std::string("unknown model") : str(cpu, "model"));
  const auto cores = num(cpu, "cores");
  const auto threads = num(cpu, "threads");
  if (cores) {
    text += ", " + plural(static_cast<long long>(*cores), "core");
    if (threads && *threads != *cores) text += " (" + plural(static_cast<long long>(*threads), "thread") + ")";
  }
  if (auto mhz = num(cpu, "mhz"); mhz && *mhz > 0) text += " at " + fixed(*mhz / 1000.0, 1) + " GHz";
  text += ".";
  const Json& load = obj(cpu, "load_average");
  if (auto one = num(load, "1m")) {
    text += " Load average " + fixed(*one, 2);
    if (auto five = num(load, "5m")) text += " (" + fixed(*five, 2) + " over 5 minutes)";
    text += ".";
  }
  return text;
}

std::string memory_answer_of(const Json& memory) {
  const auto total = num(memory, "total_bytes");
  const auto available = num(memory, "available_bytes");
  if (!total) return "I could not read the memory figures.";
  std::string text = available ? human_bytes(*available) + " of " + human_bytes(*total) + " RAM is available"
                               : human_bytes(*total) + " of RAM";
  if (available && *total > 0) text += " (" + fixed(100.0 * (*total - *available) / *total, 0) + "% in use)";
  text += ".";
  const auto swap_total = num(memory, "swap_total_bytes");
  const auto swap_free = num(memory, "swap_free_bytes");
  if (swap_total && *swap_total > 0)
    text += " Swap: " + human_bytes(swap_free.value_or(0)) + " free of " + human_bytes(*swap_total) + ".";
  else if (swap_total)
    text += " No swap.";
  return text;
}

std::string disk_line(const Json& disk) {
  const auto free = num(disk, "free_bytes");
  const auto size = num(disk, "size_bytes");
  std::string text = (free ? human_bytes(*free) : std::string("?")) + " free of " + (size ? human_bytes(*size) : "?") +
                     " on " + str(disk, "mountpoint");
  std::vector<std::string> notes;
  if (auto used = num(disk, "used_percent")) notes.push_back(fixed(*used, 0) + "% used");
  if (!str(disk, "fstype").empty()) notes.push_back(str(disk, "fstype"));
  if (disk.is_object() && disk.value("read_only", false)) notes.push_back("read-only");
  if (!notes.empty()) text += " (" + agntos::join(notes, ", ") + ")";
  return text;
}

std::string disk_answer(const Json& result) {
  const Json& disks = result.contains("disks") ? arr(result, "disks") : Json::array();
  if (disks.empty()) return "I found no mounted disks to report.";
  if (disks.size() == 1) return disk_line(disks.front()) + ".";
  std::string text = disk_line(disks.front()) + ".";
  text += " Other filesystems:";
  size_t shown = 0;
  for (size_t i = 1; i < disks.size() && shown < 6; ++i, ++shown) text += "\n- " + disk_line(disks[i]);
  if (disks.size() > 7) text += "\n- and " + std::to_string(disks.size() - 7) + " more";
  return text;
}

std::string addresses_of(const Json& interface) {
  std::vector<std::string> addresses;
  for (const auto& address : arr(interface, "addresses")) {
    if (address.is_string()) addresses.push_back(address.get<std::string>());
    else if (!str(address, "address").empty()) {
      std::string text = str(address, "address");
      if (auto prefix = num(address, "prefix")) text += "/" + std::to_string(static_cast<int>(*prefix));
      addresses.push_back(text);
    }
  }
  return agntos::join(addresses, ", ");
}

std::string network_answer(const Json& result) {
  std::vector<std::string> lines;
  size_t loopback = 0;
  size_t without = 0;
  for (const auto& interface : arr(result, "interfaces")) {
    if (interface.value("loopback", false)) {
      ++loopback;
      continue;
    }
    const auto addresses = addresses_of(interface);
    if (addresses.empty()) {
      ++without;
      continue;
    }
    lines.push_back(str(interface, "name") + (interface.value("up", true) ? "" : " (down)") + ": " + addresses);
  }
  std::string text;
  if (lines.empty()) text = "No network interface has an address (besides loopback).";
  else if (lines.size() == 1) text = "Your IP addresses, on " + lines.front() + ".";
  else {
    text = "IP addresses by interface:";
    for (const auto& line : lines) text += "\n- " + line;
  }
  const Json& route = obj(result, "default_route");
  if (!str(route, "gateway").empty())
    text += (lines.size() > 1 ? "\n" : " ") + std::string("Default route via ") + str(route, "gateway") + " on " +
            str(route, "interface") + ".";
  if (without > 0) text += (lines.size() > 1 ? "\n" : " ") + plural(static_cast<long long>(without), "other interface") + " without an address.";
  (void)loopback;
  return text;
}

std::string system_answer(const std::string& focus, const Json& system) {
  const auto host = str(system, "hostname");
  if (focus == "hostname") return "This machine is called " + (host.empty() ? std::string("(unknown)") : host) + ".";
  if (focus == "uptime") {
    if (auto up = num(system, "uptime_seconds")) return "Up " + human_duration(static_cast<long long>(*up)) + ".";
    return "I could not read the uptime.";
  }
  if (focus == "kernel") return "Kernel " + str(system, "kernel") + " (" + str(system, "arch") + ").";
  if (focus == "os") return "This machine runs " + str(system, "os") + ".";
  if (focus == "arch") return "The architecture is " + str(system, "arch") + ".";
  std::string text = (host.empty() ? std::string("This machine") : host) + " runs " + str(system, "os");
  if (!str(system, "kernel").empty()) text += " (kernel " + str(system, "kernel") + ", " + str(system, "arch") + ")";
  text += ".";
  const Json& cpu = obj(system, "cpu");
  std::vector<std::string> parts;
  if (!str(cpu, "model").empty()) {
    std::string part = str(cpu, "model");
    if (auto cores = num(cpu, "cores")) part += " with " + plural(static_cast<long long>(*cores), "core");
    parts.push_back(part);
  }
  const Json& memory = obj(system, "memory");
  if (auto total = num(memory, "total_bytes")) {
    std::string part = human_bytes(*total) + " RAM";
    if (auto available = num(memory, "available_bytes")) part += " (" + human_bytes(*available) + " available)";
    parts.push_back(part);
  }
  const Json& disks = arr(system, "disks");
  if (!disks.empty()) {
    const auto& disk = disks.front();
    parts.push_back(human_bytes(num(disk, "free_bytes").value_or(0)) + " free of " +
                    human_bytes(num(disk, "size_bytes").value_or(0)) + " on " + str(disk, "mountpoint"));
  }
  if (!parts.empty()) text += " It has " + and_list(parts) + ".";
  if (auto up = num(system, "uptime_seconds")) text += " Up " + human_duration(static_cast<long long>(*up)) + ".";
  std::vector<std::string> addresses;
  for (const auto& interface : arr(system, "network")) {
    const auto list = addresses_of(interface);
    if (!list.empty()) addresses.push_back(str(interface, "name") + ": " + list);
  }
  if (!addresses.empty()) text += " Addresses: " + agntos::join(addresses, "; ") + ".";
  return text;
}

std::string services_answer(const Json& result) {
  if (result.is_object() && !result.value("available", true))
    return "I can't check services on this machine: " + str(result, "message") + ".";
  const Json& units = arr(result, "failed_units");
  if (units.empty()) return "No services are failing.";
  std::string text = plural(static_cast<long long>(units.size()), "service") + (units.size() == 1 ? " is" : " are") +
                     " failing:";
  size_t shown = 0;
  for (const auto& unit : units) {
    if (shown++ == 8) {
      text += "\n- and " + std::to_string(units.size() - 8) + " more";
      break;
    }
    text += "\n- " + str(unit, "unit");
    if (!str(unit, "description").empty()) text += " (" + str(unit, "description") + ")";
  }
  text += "\n`journalctl -u UNIT` shows why one failed.";
  return text;
}

std::string nixos_answer(const Json& result) {
  if (result.is_object() && !result.value("nixos", false)) {
    std::string text = "This machine is not NixOS: it runs " + str(result, "os") + ".";
    if (!str(result, "rebuild_backend").empty())
      text += " AgntOS manages it with the " + str(result, "rebuild_backend") + " backend";
    const Json& profile = obj(result, "profile");
    if (auto current = num(profile, "current_generation"))
      text += ", now at generation " + std::to_string(static_cast<long long>(*current));
    if (!str(result, "rebuild_backend").empty()) text += ".";
    return text;
  }
  std::string text = str(result, "os");
  if (!str(result, "version").empty() && text.find(str(result, "version")) == std::string::npos)
    text += " (version " + str(result, "version") + ")";
  if (text.empty()) text = "NixOS";
  if (auto current = num(result, "current_generation"))
    text += ", running system generation " + std::to_string(static_cast<long long>(*current));
  text += ".";
  if (!str(result, "flake").empty()) text += " The system is built from the flake " + str(result, "flake") + ".";
  return text;
}

std::string gpu_answer(const Json& result) {
  const Json& gpus = arr(result, "gpus");
  if (gpus.empty()) return "I found no GPU on this machine.";
  std::vector<std::string> lines;
  for (const auto& gpu : gpus) {
    std::string line = str(gpu, "vendor").empty() ? str(gpu, "card") : str(gpu, "vendor");
    if (!str(gpu, "device_id").empty()) line += " " + str(gpu, "device_id");
    line += " (driver " + (str(gpu, "driver").empty() ? std::string("none") : str(gpu, "driver")) + ")";
    lines.push_back(line);
  }
  if (lines.size() == 1) return "One GPU: " + lines.front() + ".";
  std::string text = std::to_string(lines.size()) + " GPUs:";
  for (const auto& line : lines) text += "\n- " + line;
  return text;
}

std::string names_of(const Json& list) {
  std::vector<std::string> names;
  for (const auto& item : list)
    if (item.is_string()) names.push_back(item.get<std::string>());
  return and_list(names);
}

}  // namespace

std::string human_bytes(double bytes) {
  static const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  size_t unit = 0;
  while (bytes >= 1024.0 && unit + 1 < std::size(units)) {
    bytes /= 1024.0;
    ++unit;
  }
  if (unit == 0) return fixed(bytes, 0) + " B";
  return fixed(bytes, bytes < 10 && std::fabs(bytes - std::round(bytes)) >= 0.05 ? 1 : 0) + " " + units[unit];
}

std::string human_duration(long long seconds) {
  if (seconds < 60) return plural(seconds, "second");
  const long long days = seconds / 86400;
  const long long hours = seconds % 86400 / 3600;
  const long long minutes = seconds % 3600 / 60;
  if (days > 0) return plural(days, "day") + (hours > 0 ? " " + plural(hours, "hour") : "");
  if (hours > 0) return plural(hours, "hour") + (minutes > 0 ? " " + plural(minutes, "minute") : "");
  return plural(minutes, "minute");
}

std::string and_list(const std::vector<std::string>& items) {
  if (items.empty()) return "";
  if (items.size() == 1) return items.front();
  std::vector<std::string> head(items.begin(), items.end() - 1);
  return agntos::join(head, ", ") + " and " + items.back();
}

std::string error_message(const Json& result) {
  if (!result.is_object() || !result.contains("error")) return "";
  const Json& error = result["error"];
  if (error.is_object()) return str(error, "message").empty() ? "failed" : str(error, "message");
  if (error.is_string()) return error.get<std::string>();
  return "failed";
}

std::string error_code(const Json& result) {
  if (!result.is_object() || !result.contains("error") || !result["error"].is_object()) return "";
  return str(result["error"], "code");
}

std::string inspect_answer(const std::string& target, const std::string& focus, const Json& result) {
  if (target == "cpu") return cpu_answer(result);
  if (target == "memory") return memory_answer_of(result);
  if (target == "disk") return disk_answer(result);
  if (target == "network") return network_answer(result);
  if (target == "services") return services_answer(result);
  if (target == "nixos") return nixos_answer(result);
  if (target == "gpu") return gpu_answer(result);
  if (target == "agntos") {
    if (focus == "proposals") {
      const Json& proposals = arr(result, "proposals");
      if (proposals.empty()) return "No proposal is waiting to be applied.";
      std::string text = plural(static_cast<long long>(proposals.size()), "proposal") + " waiting:";
      for (const auto& proposal : proposals)
        text += "\n- " + (proposal.is_string() ? proposal.get<std::string>() : str(proposal, "id") + " " + str(proposal, "summary"));
      return text;
    }
    return managed_answer(result);
  }
  return system_answer(focus, result);
}

std::string managed_answer(const Json& agntos) {
  const Json& modules = obj(agntos, "modules");
  const Json& packages = arr(modules, "packages");
  std::string text;
  if (packages.empty()) text = "I haven't installed any packages for you yet.";
  else text = "I installed " + plural(static_cast<long long>(packages.size()), "package") + " for you: " + names_of(packages) + ".";
  std::vector<std::string> others;
  if (!arr(modules, "services").empty()) others.push_back("services " + names_of(arr(modules, "services")));
  if (!arr(modules, "options").empty()) {
    std::vector<std::string> options;
    for (const auto& option : arr(modules, "options"))
      if (option.is_string()) {
        auto name = option.get<std::string>();
        std::replace(name.begin(), name.end(), '-', '.');
        options.push_back(name);
      }
    others.push_back("the settings " + and_list(options));
  }
  if (!arr(modules, "modules").empty()) others.push_back("the modules " + names_of(arr(modules, "modules")));
  if (!arr(modules, "home").empty()) others.push_back("the home options " + names_of(arr(modules, "home")));
  if (!others.empty()) text += " I also manage " + and_list(others) + ".";
  const Json& proposals = arr(agntos, "proposals");
  if (!proposals.empty())
    text += " " + plural(static_cast<long long>(proposals.size()), "proposal") + (proposals.size() == 1 ? " is" : " are") +
            " waiting to be applied.";
  return text;
}

std::string changes_answer(const Json& audit_list) {
  const Json& entries = arr(audit_list, "entries");
  if (entries.empty()) return "Nothing has changed yet: the audit log is empty.";
  std::string text = entries.size() == 1 ? "The last change:" : "The last " + std::to_string(entries.size()) + " changes, newest first:";
  for (const auto& entry : entries) {
    std::string line = day_and_time(str(entry, "timestamp")) + " " + str(entry, "summary");
    if (!str(entry, "prompt").empty()) line += " (you asked: \"" + str(entry, "prompt") + "\")";
    const Json& result = obj(entry, "result");
    if (!str(result, "status").empty() && str(result, "status") != "Success") line += " [" + str(result, "status") + "]";
    text += "\n- " + line;
  }
  return text;
}

std::string generations_answer(const Json& rollback_list) {
  const Json& generations = arr(rollback_list, "generations");
  if (generations.empty()) return "There are no system generations yet.";
  std::string current;
  for (const auto& generation : generations)
    if (generation.value("current", false)) current = std::to_string(generation.value("number", 0));
  std::string text = plural(static_cast<long long>(generations.size()), "generation") +
                     (current.empty() ? "" : ", running generation " + current) + ":";
  const size_t first = generations.size() > 8 ? generations.size() - 8 : 0;
  if (first > 0) text += "\n- … " + std::to_string(first) + " older";
  for (size_t i = first; i < generations.size(); ++i) {
    const auto& generation = generations[i];
    std::string line = std::to_string(generation.value("number", 0)) + " " + str(generation, "date").substr(0, 10);
    line += " " + (str(generation, "summary").empty() ? std::string("(not made by AgntOS)") : str(generation, "summary"));
    if (generation.value("current", false)) line += " ← current";
    text += "\n- " + line;
  }
  text += "\nSay \"go back one generation\" or \"go back to generation N\" to switch.";
  return text;
}

std::string memory_answer(const Json& memory_show) {
  std::vector<std::string> user;
  std::vector<std::string> conventions;
  for (const auto& file : arr(memory_show, "files")) {
    auto& list = str(file, "kind") == "user" || str(file, "file") == "USER.md" ? user : conventions;
    for (const auto& section : arr(file, "sections"))
      for (const auto& entry : arr(section, "entries"))
        if (entry.is_string()) list.push_back(entry.get<std::string>());
        else if (!str(entry, "text").empty()) list.push_back(str(entry, "text"));
  }
  if (user.empty() && conventions.empty())
    return "I don't know anything about you yet. Say \"remember that …\" to tell me something to keep.";
  std::string text;
  if (!user.empty()) {
    text = "Here is what I know about you:";
    for (const auto& entry : user) text += "\n- " + entry;
  } else {
    text = "I have no notes about you yet.";
  }
  if (!conventions.empty()) {
    text += "\nAbout this system:";
    for (const auto& entry : conventions) text += "\n- " + entry;
  }
  return text;
}

std::string sessions_answer(const std::string& query, const Json& search, const std::string& current_message) {
  const auto current = agntos::to_lower(current_message);
  std::vector<const Json*> hits;
  for (const auto& hit : arr(search, "results")) {
    std::string snippet = str(hit, "snippet");
    std::string clean;
    for (char c : snippet)
      if (c != '[' && c != ']') clean += c;
    // The question being asked is itself stored before the turn runs; it is no earlier mention.
    auto trimmed = agntos::to_lower(agntos::trim(clean));
    for (const std::string ellipsis : {"\xE2\x80\xA6"}) {
      while (trimmed.starts_with(ellipsis)) trimmed = trimmed.substr(ellipsis.size());
      while (trimmed.ends_with(ellipsis)) trimmed.resize(trimmed.size() - ellipsis.size());
    }
    if (str(hit, "role") == "user" && !trimmed.empty() && current.find(agntos::trim(trimmed)) != std::string::npos)
      continue;
    if (str(hit, "role") == "tool") continue;
    hits.push_back(&hit);
  }
  if (hits.empty()) return "I don't find \"" + query + "\" in our past conversations.";
  const Json& first = *hits.front();
  std::string text = "Yes: on " + str(first, "created_at").substr(0, 10) + " " +
                     (str(first, "role") == "user" ? "you said" : "I said") + ": \"" + str(first, "snippet") + "\"";
  if (!str(first, "session_title").empty()) text += " (in \"" + str(first, "session_title") + "\")";
  text += ".";
  if (hits.size() > 1) {
    text += " Other mentions:";
    for (size_t i = 1; i < hits.size() && i < 4; ++i)
      text += "\n- " + str(*hits[i], "created_at").substr(0, 10) + " " +
              (str(*hits[i], "role") == "user" ? "you" : "me") + ": \"" + str(*hits[i], "snippet") + "\"";
  }
  return text;
}

}  // namespace agntd::offline
