// SPDX-License-Identifier: MIT
#pragma once
// The words agntctl, agntd's tool table and the clients share: inspect targets, audit actions,
// rollback actions. Each list exists here once; agntctl's help and argument checks, the tool
// schemas the model sees and the tools' argument checks are all made from it, so a word added
// here is accepted everywhere and a word removed is refused everywhere.

#include <array>
#include <string>
#include <string_view>

namespace agntos {

struct Word {
  std::string_view name;
  std::string_view summary;
};

// `agntctl inspect <target>`; the first is the default.
inline constexpr std::array kInspectTargets{
    Word{"system", "compact summary: host, OS, kernel, CPU, memory, disks, network, uptime (default)"},
    Word{"cpu", "model, vendor, cores and threads, clock, load averages, flags"},
    Word{"memory", "total, available, free, buffers, cached, swap"},
    Word{"gpu", "GPUs from /sys/class/drm: vendor, device id, driver"},
    Word{"disk", "mounted filesystems: size, used, free, type, device"},
    Word{"network", "interfaces, addresses, MACs, default route"},
    Word{"nixos", "NixOS version, system generations, flake, rebuild backend"},
    Word{"agntos", "what the agent manages: modules, pending proposals, audit entries"},
    Word{"services", "failed systemd units"},
    Word{"option", "NixOS options by path or words: type, default, description"},
};

// `agntctl audit <action>`; the first is the default.
inline constexpr std::array kAuditActions{
    Word{"list", "newest entries first"},
    Word{"show", "one entry in full"},
    Word{"search", "entries matching words"},
    Word{"why", "why a package, option or file is in the config tree now"},
};

// `agntctl rollback <action>`; the first is the default. undo and generation change the system.
inline constexpr std::array kRollbackActions{
    Word{"list", "generations and the changes that made them"},
    Word{"undo", "undo one apply exactly (audit id, default the last in effect)"},
    Word{"generation", "switch the whole system to generation N (default the previous)"},
};

// The names of a list, in order.
template <size_t N>
std::array<std::string, N> names_of(const std::array<Word, N>& words) {
  std::array<std::string, N> names;
  for (size_t i = 0; i < N; ++i) names[i] = std::string(words[i].name);
  return names;
}

// "a | b | c"
template <size_t N>
std::string joined_names(const std::array<Word, N>& words, std::string_view separator = " | ") {
  std::string text;
  for (const auto& word : words) text += (text.empty() ? "" : std::string(separator)) + std::string(word.name);
  return text;
}

}  // namespace agntos
