// SPDX-License-Identifier: MIT
// agntctl inspect [system|cpu|memory|gpu|disk|network|nixos|agntos|services|option]: system state.
// Hardware facts come from common/system/ (files and system calls, no subprocess); each
// target reads only what it shows, so `inspect system` costs little more than starting the process.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <ctime>

#include "agntctl/commands.h"
#include "agntctl/commands/inspect_option.h"
#include "common/audit.h"
#include "common/audit_index.h"
#include "common/error.h"
#include "common/proposal.h"
#include "common/files.h"
#include "common/process.h"
#include "common/settings.h"
#include "common/vocabulary.h"
#include "common/system/cpu.h"
#include "common/system/disks.h"
#include "common/system/gpus.h"
#include "common/system/human_units.h"
#include "common/system/memory.h"
#include "common/system/network.h"
#include "common/system/nixos.h"
#include "common/system/snapshot.h"
#include "common/text.h"

namespace agntctl {
namespace {

namespace fs = std::filesystem;
using agntos::json_or_null;

// "2024-05-01T10:00:00Z"; with `for_text`, "2024-05-01 10:00".
std::string utc_time(int64_t seconds, bool for_text = false) {
  const time_t value = static_cast<time_t>(seconds);
  struct tm parts {};
  if (!::gmtime_r(&value, &parts)) return "?";
  char buffer[32];
  std::strftime(buffer, sizeof buffer, for_text ? "%Y-%m-%d %H:%M" : "%Y-%m-%dT%H:%M:%SZ", &parts);
  return buffer;
}

// Memory sizes with one decimal: "23.5 GiB", "860.7 MiB".
std::string memory_size(uint64_t bytes) {
  constexpr double kMiB = 1024.0 * 1024.0;
  char buffer[32];
  const double value = static_cast<double>(bytes);
  if (value >= 1024.0 * kMiB)
    std::snprintf(buffer, sizeof buffer, "%.1f GiB", value / (1024.0 * kMiB));
  else
    std::snprintf(buffer, sizeof buffer, "%.1f MiB", value / kMiB);
  return buffer;
}

std::string pad(std::string text, size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

std::string pad_left(std::string text, size_t width) {
  if (text.size() < width) text.insert(0, width - text.size(), ' ');
  return text;
}

// Rows of cells as aligned columns; `right` marks the columns aligned to the right.
std::string table(const std::vector<std::vector<std::string>>& rows, const std::vector<bool>& right) {
  std::vector<size_t> widths;
  for (const auto& row : rows)
    for (size_t i = 0; i < row.size(); ++i) {
      if (widths.size() <= i) widths.push_back(0);
      widths[i] = std::max(widths[i], row[i].size());
    }
  std::string text;
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      const bool last = i + 1 == row.size();
      const bool align_right = i < right.size() && right[i];
      line += align_right ? pad_left(row[i], widths[i]) : last ? row[i] : pad(row[i], widths[i]);
      if (!last) line += "  ";
    }
    text += line + "\n";
  }
  return text;
}

Json generations_json(const agntos::ProfileGenerations& profile) {
  Json list = Json::array();
  for (const auto& generation : profile.generations)
    list.push_back(Json{{"number", generation.number}, {"date", utc_time(generation.mtime)}, {"current", generation.current}});
  return list;
}

// The newest generations, one per line, with the current one marked.
std::string generations_text(const agntos::ProfileGenerations& profile) {
  constexpr size_t kShown = 10;
  const auto& generations = profile.generations;
  std::string text;
  const size_t first = generations.size() > kShown ? generations.size() - kShown : 0;
  if (first > 0) text += "  (" + std::to_string(first) + " older generations not shown)\n";
  for (size_t i = first; i < generations.size(); ++i)
    text += "  " + pad_left(std::to_string(generations[i].number), 5) + "  " + utc_time(generations[i].mtime, true) +
            (generations[i].current ? "  current" : "") + "\n";
  return text;
}

// ---- targets -----------------------------------------------------------------------------

Output inspect_system(Invocation& inv) {
  const auto snapshot = agntos::read_system_snapshot();
  if (inv.json()) return Output{agntos::snapshot_json(snapshot), {}, 0};
  return Output{Json::object(), agntos::snapshot_text(snapshot), 0};
}

Output inspect_cpu(Invocation&) {
  const auto cpu = agntos::read_cpu_info("/", agntos::CpuDetail::full);
  const auto load = agntos::read_load_average();
  std::optional<double> mhz;
  if (cpu.mhz) mhz = static_cast<double>(static_cast<long long>(*cpu.mhz * 10 + 0.5)) / 10;
  Json load_json = nullptr;
  if (load)
    load_json = Json{{"1m", load->one}, {"5m", load->five}, {"15m", load->fifteen},
                     {"runnable", load->running}, {"scheduled", load->total}};
  Output output;
  output.json = Json{{"model", cpu.model},     {"vendor", cpu.vendor}, {"cores", cpu.cores},
                     {"threads", cpu.threads}, {"mhz", json_or_null(mhz)}, {"load_average", load_json},
                     {"flags_count", cpu.flags_count}};
  auto& text = output.text;
  text += "model    " + (cpu.model.empty() ? "unknown" : cpu.model) + "\n";
  text += "vendor   " + (cpu.vendor.empty() ? "unknown" : cpu.vendor) + "\n";
  text += "cores    " + std::to_string(cpu.cores) + " cores, " + std::to_string(cpu.threads) + " threads\n";
  if (mhz) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.0f MHz", *mhz);
    text += std::string("clock    ") + buffer + "\n";
  }
  if (load) {
    char buffer[96];
    std::snprintf(buffer, sizeof buffer, "%.2f %.2f %.2f (1, 5, 15 min; %ld of %ld runnable)", load->one, load->five,
                  load->fifteen, load->running, load->total);
    text += std::string("load     ") + buffer + "\n";
  }
  text += "flags    " + std::to_string(cpu.flags_count) + "\n";
  return output;
}

Output inspect_memory(Invocation&) {
  const auto memory = agntos::read_memory_info();
  Output output;
  output.json = Json{{"total_bytes", memory.total},     {"available_bytes", memory.available},
                     {"free_bytes", memory.free},       {"buffers_bytes", memory.buffers},
                     {"cached_bytes", memory.cached},   {"swap_total_bytes", memory.swap_total},
                     {"swap_free_bytes", memory.swap_free}};
  output.text = table({{"total", memory_size(memory.total)},
                       {"available", memory_size(memory.available)},
                       {"free", memory_size(memory.free)},
                       {"buffers", memory_size(memory.buffers)},
                       {"cached", memory_size(memory.cached)}},
                      {false, true});
  output.text += memory.swap_total == 0 ? "swap       none\n"
                                        : "swap       " + memory_size(memory.swap_free) + " free of " +
                                              memory_size(memory.swap_total) + "\n";
  return output;
}

Output inspect_gpu(Invocation&) {
  const auto gpus = agntos::read_gpus();
  Output output;
  Json list = Json::array();
  std::vector<std::vector<std::string>> rows;
  for (const auto& gpu : gpus) {
    list.push_back(Json{{"card", gpu.card},
                        {"vendor", gpu.vendor},
                        {"vendor_id", json_or_null(gpu.vendor_id)},
                        {"device_id", json_or_null(gpu.device_id)},
                        {"driver", json_or_null(gpu.driver)},
                        {"bus_id", json_or_null(gpu.bus_id)}});
    rows.push_back({gpu.card, gpu.vendor, gpu.vendor_id.value_or("?") + ":" + gpu.device_id.value_or("?"),
                    "driver " + gpu.driver.value_or("none"), gpu.bus_id.value_or("")});
  }
  const std::optional<std::string> message =
      gpus.empty() ? std::optional<std::string>("no GPU found (no /sys/class/drm/card* devices)") : std::nullopt;
  output.json = Json{{"gpus", list}, {"count", gpus.size()}, {"message", json_or_null(message)}};
  output.text = message ? *message + "\n" : table(rows, {});
  return output;
}

Output inspect_disk(Invocation&) {
  const auto disks = agntos::read_disks("/", agntos::DiskSelection::real);
  Output output;
  Json list = Json::array();
  std::vector<std::vector<std::string>> rows{{"MOUNT", "SIZE", "USED", "FREE", "USE%", "TYPE", "DEVICE"}};
  for (const auto& disk : disks) {
    std::optional<long long> percent;
    if (disk.size && disk.used && disk.free && *disk.used + *disk.free > 0)
      percent = static_cast<long long>((*disk.used * 100 + (*disk.used + *disk.free) - 1) / (*disk.used + *disk.free));
    list.push_back(Json{{"mountpoint", disk.mount.mountpoint},
                        {"device", disk.mount.device},
                        {"fstype", disk.mount.fstype},
                        {"read_only", disk.mount.read_only},
                        {"size_bytes", json_or_null(disk.size)},
                        {"used_bytes", json_or_null(disk.used)},
                        {"free_bytes", json_or_null(disk.free)},
                        {"used_percent", json_or_null(percent)}});
    const auto size = [](const std::optional<uint64_t>& bytes) { return bytes ? agntos::human_size(*bytes) : "?"; };
    rows.push_back({disk.mount.mountpoint, size(disk.size), size(disk.used), size(disk.free),
                    percent ? std::to_string(*percent) + "%" : "?",
                    disk.mount.fstype + (disk.mount.read_only ? " (ro)" : ""), disk.mount.device});
  }
  output.json = Json{{"disks", list}, {"count", disks.size()}};
  output.text = disks.empty() ? "no mounted disks found\n" : table(rows, {false, true, true, true, true});
  return output;
}

Output inspect_network(Invocation&) {
  const auto interfaces = agntos::read_network_interfaces();
  const auto route = agntos::read_default_route();
  Output output;
  Json list = Json::array();
  std::vector<std::vector<std::string>> rows;
  for (const auto& interface : interfaces) {
    Json addresses = Json::array();
    std::vector<std::string> shown;
    for (const auto& address : interface.addresses) {
      addresses.push_back(Json{{"family", address.family}, {"address", address.address}, {"prefix", address.prefix}});
      shown.push_back(address.address + "/" + std::to_string(address.prefix));
    }
    list.push_back(Json{{"name", interface.name},
                        {"up", interface.up},
                        {"loopback", interface.loopback},
                        {"mac", json_or_null(interface.mac)},
                        {"addresses", addresses}});
    rows.push_back({interface.name, interface.up ? "up" : "down", interface.mac.value_or("-"),
                    shown.empty() ? "-" : agntos::join(shown, " ")});
  }
  Json route_json = nullptr;
  if (route)
    route_json = Json{{"interface", route->interface}, {"gateway", route->gateway}, {"metric", route->metric}};
  output.json = Json{{"interfaces", list}, {"default_route", route_json}};
  output.text = interfaces.empty() ? "no network interfaces found\n" : table(rows, {});
  output.text += route ? "default route via " + route->gateway + " dev " + route->interface + "\n"
                       : "no IPv4 default route\n";
  return output;
}

Output inspect_nixos(Invocation& inv) {
  const auto& paths = inv.paths();
  const auto nixos = agntos::read_nixos_info();
  // A broken agntos.toml must not hide the facts: report it beside them.
  agntos::Settings settings;
  std::optional<std::string> settings_error;
  try {
    settings = agntos::Settings::load(paths);
  } catch (const agntos::Error& e) {
    settings_error = e.what();
  }

  std::optional<std::string> flake;
  std::optional<std::string> flake_source;
  if (!settings.rebuild.flake.empty()) {
    flake = settings.rebuild.flake;
    flake_source = "agntos.toml";
  } else if (auto info = agntos::read_file_if_exists(paths.config_dir / "flake-info"); info && !agntos::trim(*info).empty()) {
    flake = agntos::trim(*info);
    flake_source = "flake-info";
  }

  const bool backend_profile = settings.rebuild.backend == agntos::RebuildBackend::profile;
  std::optional<agntos::ProfileGenerations> profile;
  if (backend_profile) profile = agntos::read_profile_generations(settings.rebuild.profile_path);
  Json profile_json = nullptr;
  if (profile)
    profile_json = Json{{"path", profile->profile.string()},
                        {"current_generation", json_or_null(profile->current)},
                        {"generations", generations_json(*profile)}};

  const bool is_nixos = nixos.os.is_nixos();
  // With an agntos.toml that does not load, the backend is unknown, not the default.
  const std::string backend_text =
      settings_error ? "unknown (agntos.toml does not load)" : std::string(agntos::to_string(settings.rebuild.backend));
  std::optional<std::string> message;
  if (!is_nixos)
    message = "not NixOS: " + nixos.os.pretty_name + (nixos.os.id.empty() ? "" : " (ID=" + nixos.os.id + ")") +
              "; there are no NixOS system generations here. Rebuild backend: " + backend_text;

  Output output;
  output.json = Json{{"nixos", is_nixos},
                     {"message", json_or_null(message)},
                     {"os", nixos.os.pretty_name},
                     {"version", is_nixos ? json_or_null(nixos.version) : Json(nullptr)},
                     {"current_generation", is_nixos ? json_or_null(nixos.system.current) : Json(nullptr)},
                     {"generations", is_nixos ? generations_json(nixos.system) : Json::array()},
                     {"flake", json_or_null(flake)},
                     {"flake_source", json_or_null(flake_source)},
                     {"rebuild_backend", settings_error ? Json(nullptr) : Json(agntos::to_string(settings.rebuild.backend))},
                     {"rebuild_mode", settings_error ? Json(nullptr) : Json(agntos::to_string(settings.rebuild.mode))},
                     {"profile", profile_json},
                     {"settings_error", json_or_null(settings_error)}};

  auto& text = output.text;
  if (is_nixos) {
    text += nixos.os.pretty_name + (nixos.version ? ", version " + *nixos.version : "") + "\n";
    if (nixos.system.current)
      text += "system generation " + std::to_string(*nixos.system.current) + " (" +
              std::to_string(nixos.system.generations.size()) + " generations)\n";
    else
      text += "no current system generation found in /nix/var/nix/profiles/system\n";
    text += generations_text(nixos.system);
    text += flake ? "flake " + *flake + " (from " + *flake_source + ")\n"
                  : "no flake configured (nixos-rebuild uses the channel configuration)\n";
    text += "rebuild backend: " + backend_text + (settings_error ? "" : " (mode " + std::string(agntos::to_string(settings.rebuild.mode)) + ")") + "\n";
  } else {
    text += "not NixOS (" + nixos.os.pretty_name + "); rebuild backend: " + backend_text + "\n";
    if (!backend_profile && !settings_error)
      text += "applying needs nixos-rebuild and will fail here; set [rebuild] backend = \"profile\" in " +
              paths.settings_file().string() + " to manage a Nix profile instead\n";
    if (flake) text += "flake " + *flake + " (from " + *flake_source + ")\n";
  }
  if (profile) {
    text += "profile " + profile->profile.string() + ": ";
    text += profile->current ? "generation " + std::to_string(*profile->current) + " current"
                             : std::string(profile->generations.empty() ? "no generations yet" : "no current generation");
    text += "\n" + generations_text(*profile);
  }
  if (settings_error) text += "warning: " + *settings_error + "\n";
  return output;
}

// Module names (file names without .nix) in one folder of the config dir, sorted.
std::vector<std::string> module_names(const fs::path& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const auto& path = it->path();
    std::error_code type_error;
    if (path.extension() != ".nix" || !fs::is_regular_file(path, type_error)) continue;
    names.push_back(path.stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// A pending proposal's id, time and summary; nullopt for a stale one (it cannot be applied as
// made, so it is not offered: `agntctl proposals` lists it with the reason).
std::optional<Json> proposal_json(const agntos::Paths& paths, const fs::path& file) {
  constexpr size_t kMaxProposalBytes = 16 << 20;
  Json entry{{"id", file.stem().string()}, {"created_at", nullptr}, {"summary", nullptr},
             {"file", file.string()},      {"error", nullptr}};
  try {
    std::error_code ec;
    const auto size = fs::file_size(file, ec);
    if (!ec && size > kMaxProposalBytes) {
      entry["error"] = "proposal file is " + agntos::group_thousands(static_cast<long long>(size)) + " bytes; not read";
      return entry;
    }
    const Json proposal = agntos::parse_json(agntos::read_file(file), file.filename().string());
    if (!proposal.is_object()) {
      entry["error"] = "not a JSON object";
      return entry;
    }
    if (auto id = agntos::json_string(proposal, "id")) entry["id"] = *id;
    if (!agntos::Proposal::from_json(proposal).changed_files(paths.config_dir).empty()) return std::nullopt;
    entry["created_at"] = json_or_null(agntos::json_string(proposal, "created_at"));
    entry["summary"] = json_or_null(agntos::json_string(proposal, "summary"));
  } catch (const agntos::Error& e) {
    // One unreadable proposal must not hide the others.
    entry["error"] = e.what();
  }
  return entry;
}

Output inspect_agntos(Invocation& inv) {
  const auto& paths = inv.paths();
  const fs::path& dir = paths.config_dir;
  std::error_code ec;
  const bool exists = fs::is_directory(dir, ec);

  Json modules = Json::object();
  for (const char* kind : agntos::kModuleKinds)
    modules[kind] = exists ? Json(module_names(dir / kind)) : Json::array();

  Json proposals = Json::array();
  size_t stale = 0;
  if (exists) {
    std::vector<fs::path> files;
    for (fs::directory_iterator it(paths.proposals_dir(), ec), end; !ec && it != end; it.increment(ec))
      if (it->path().extension() == ".json") files.push_back(it->path());
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      if (auto entry = proposal_json(paths, file)) proposals.push_back(*entry);
      else ++stale;
    }
  }

  Json files = Json::object();
  for (const auto& [name, path] : {std::pair{"agntos.toml", paths.settings_file()},
                                   std::pair{"models.toml", paths.models_file()},
                                   std::pair{"flake-info", dir / "flake-info"}})
    files[name] = exists && fs::exists(path, ec);

  std::optional<size_t> audit_entries;
  std::optional<std::string> audit_error;
  if (exists) {
    // Counted by the index (a million entries take 19 s to parse); the log itself without one.
    try {
      audit_entries = agntos::state_audit_index(paths, {paths.audit_log()}).count();
    } catch (const agntos::Error&) {
      try {
        audit_entries = agntos::AuditLog(paths.audit_log()).read_all().size();
      } catch (const agntos::Error& e) {
        audit_error = e.what();
      }
    }
  } else {
    audit_entries = 0;
  }
  const bool git = exists && fs::exists(dir / ".git", ec);
  std::optional<std::string> message;
  if (!exists) message = "config dir " + dir.string() + " does not exist; nothing managed yet";

  Output output;
  output.json = Json{{"config_dir", dir.string()},
                     {"exists", exists},
                     {"message", json_or_null(message)},
                     {"modules", modules},
                     {"proposals", proposals},
                     {"stale_proposals", stale},
                     {"files", files},
                     {"audit_entries", json_or_null(audit_entries)},
                     {"audit_error", json_or_null(audit_error)},
                     {"git", git}};
  if (message) {
    output.text = *message + "\n";
    return output;
  }
  auto& text = output.text;
  text += "config dir " + dir.string() + (git ? " (git history)" : " (no git history)") + "\n";
  for (const char* kind : agntos::kModuleKinds) {
    const auto names = modules[kind].get<std::vector<std::string>>();
    text += pad(kind, 10) + (names.empty() ? "-" : agntos::join(names, ", ")) + "\n";
  }
  text += pad("proposals", 10) + (proposals.empty() ? "none pending" : std::to_string(proposals.size()) + " pending") +
          (stale ? ", " + std::to_string(stale) + " stale (see agntctl proposals)" : "") + "\n";
  for (const auto& proposal : proposals) {
    text += "  " + proposal["id"].get<std::string>();
    if (proposal["error"].is_string())
      text += "  error: " + proposal["error"].get<std::string>();
    else
      text += "  " + (proposal["created_at"].is_string() ? proposal["created_at"].get<std::string>().substr(0, 19) : "?") +
              "  " + (proposal["summary"].is_string() ? proposal["summary"].get<std::string>() : "(no summary)");
    text += "\n";
  }
  std::vector<std::string> present;
  for (const auto& [name, exists_flag] : files.items()) present.push_back(name + (exists_flag.get<bool>() ? " yes" : " no"));
  text += pad("files", 10) + agntos::join(present, " · ") + "\n";
  text += pad("audit", 10) +
          (audit_entries ? agntos::group_thousands(static_cast<long long>(*audit_entries)) + " entries"
                         : "unreadable: " + audit_error.value_or("?")) +
          "\n";
  return output;
}

Output inspect_services(Invocation&) {
  Output output;
  auto unavailable = [&](const std::string& message) {
    output.json = Json{{"available", false}, {"message", message}, {"failed_units", Json::array()}, {"count", 0}};
    output.text = "services: " + message + "\n";
    return output;
  };
  if (!agntos::find_program("systemctl")) return unavailable("systemctl not found; this system does not run systemd");
  agntos::ProcessOptions options;
  options.timeout = std::chrono::seconds(10);
  options.output_cap = 256 * 1024;
  agntos::ProcessResult result;
  try {
    result = agntos::run_process({"systemctl", "--failed", "--no-legend", "--plain", "--no-pager"}, options);
  } catch (const agntos::Error& e) {
    return unavailable(std::string("cannot run systemctl: ") + e.what());
  }
  if (result.timed_out) return unavailable("systemctl --failed did not answer within 10 s");
  if (!result.ok()) {
    const auto lines = agntos::split_lines(agntos::trim(result.err));
    return unavailable("systemctl failed (exit " + std::to_string(result.exit_code) +
                       (lines.empty() ? ")" : "): " + agntos::join(lines, " ")) + "; systemd is probably not running");
  }
  Json units = Json::array();
  std::string text;
  for (const auto& line : agntos::split_lines(result.out)) {
    const auto trimmed = agntos::trim(line);
    if (trimmed.empty()) continue;
    // UNIT LOAD ACTIVE SUB DESCRIPTION...
    std::vector<std::string> parts;
    size_t position = 0;
    while (parts.size() < 4 && position < trimmed.size()) {
      const auto end = trimmed.find(' ', position);
      parts.push_back(trimmed.substr(position, end - position));
      position = end == std::string::npos ? trimmed.size() : trimmed.find_first_not_of(' ', end);
      if (position == std::string::npos) position = trimmed.size();
    }
    parts.resize(4);
    const std::string description = agntos::trim(std::string_view(trimmed).substr(position));
    units.push_back(Json{{"unit", parts[0]}, {"load", parts[1]}, {"active", parts[2]}, {"sub", parts[3]},
                         {"description", description}});
    text += parts[0] + "  " + parts[2] + "/" + parts[3] + "  " + description + "\n";
  }
  output.json = Json{{"available", true}, {"message", nullptr}, {"failed_units", units}, {"count", units.size()}};
  output.text = units.empty() ? "no failed units\n"
                              : std::to_string(units.size()) + " failed unit" + (units.size() == 1 ? "" : "s") +
                                    " (see 'journalctl -u <unit>'):\n" + text;
  return output;
}

// The function of each target of agntos::kInspectTargets ("option" takes a query: below).
struct Target {
  std::string_view name;
  Output (*run)(Invocation&);
};

constexpr std::array kTargets{
    Target{"system", inspect_system}, Target{"cpu", inspect_cpu},         Target{"memory", inspect_memory},
    Target{"gpu", inspect_gpu},       Target{"disk", inspect_disk},       Target{"network", inspect_network},
    Target{"nixos", inspect_nixos},   Target{"agntos", inspect_agntos},   Target{"services", inspect_services},
};
static_assert(kTargets.size() + 1 == agntos::kInspectTargets.size(), "every inspect target has a function");

}  // namespace

Output run_inspect(Invocation& inv) {
  std::string description = "Show system state. Targets:\n";
  for (const auto& target : agntos::kInspectTargets)
    description += "  " + pad(std::string(target.name), 10) + std::string(target.summary) + "\n";
  CLI::App app{description};
  std::string target_name(agntos::kInspectTargets.front().name);
  std::vector<std::string> query;
  size_t limit = 20;
  app.add_option("target", target_name, "what to inspect (default: system)")->check(CLI::IsMember(agntos::names_of(agntos::kInspectTargets)));
  app.add_option("query", query, "for 'option': an option path (networking.firewall) or words (time zone)");
  app.add_option("--limit", limit, "for 'option': at most this many options (default 20)")->check(CLI::Range(1, 1000));
  inv.parse(app);
  if (target_name == "option") return inspect_option(inv, agntos::join(query, " "), limit);
  if (!query.empty()) throw agntos::Error(agntos::Errc::usage, "inspect " + target_name + " takes no further words");
  for (const auto& target : kTargets)
    if (target_name == target.name) return target.run(inv);
  throw agntos::Error(agntos::Errc::usage, "unknown inspect target '" + target_name + "'");
}

}  // namespace agntctl
