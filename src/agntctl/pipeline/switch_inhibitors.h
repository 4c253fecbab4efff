// SPDX-License-Identifier: MIT
#pragma once
// switch or boot (issue 10 item 6): whether a new NixOS system can be activated live.
//
// NixOS refuses a live `switch` when critical components change (its pre-switch check
// "switchInhibitors" compares the `switch-inhibitors` JSON of /run/current-system and of the new
// system, key by key, for the keys both have; tools such as nixos-needsreboot also compare the
// `kernel`, `initrd`, `kernel-modules` and `systemd` links). This file does the same on the two
// system store paths: the kernel, its modules and the initrd against the booted system (what is
// loaded), systemd, the unit behind dbus.service and every shared switch-inhibitors key against
// the current system (what PID 1 and the bus run). A component that one side lacks is not
// compared, so systems that are not NixOS (the profile backend's) never inhibit.
//
// With a change, a configured "switch" (or "test") becomes "boot": the new system is made the
// boot default and the running one stays as it is until the reboot the notice asks for.

#include <filesystem>
#include <string>
#include <vector>

#include "common/activation_mode.h"
#include "common/json.h"

namespace agntctl {

struct CriticalChange {
  std::string component;  // "kernel", "initrd", "kernel-modules", "systemd", "dbus", or a switch-inhibitors key
  std::string before;
  std::string after;
};

// The systems a new one is compared with: on NixOS /run/booted-system and /run/current-system.
// An empty path or one that does not exist falls back to the other.
struct RunningSystems {
  std::filesystem::path booted;
  std::filesystem::path current;
};

// The critical components that differ between the running systems and `new_system`, in the
// order listed above. Never throws: an unreadable component is not compared.
std::vector<CriticalChange> critical_changes(const RunningSystems& running, const std::filesystem::path& new_system);

struct ActivationChoice {
  agntos::ActivationMode configured = agntos::ActivationMode::switch_now;  // [rebuild] mode
  agntos::ActivationMode mode = agntos::ActivationMode::switch_now;        // what will be used
  std::vector<CriticalChange> changes;
  // Empty when the configured mode is used; otherwise why "boot" and that a reboot is needed.
  std::string notice() const;
  agntos::Json to_json() const;  // {"configured", "mode", "critical_changes": [{component, before, after}], "notice"}
};

// "boot" when something critical changes and the configured mode would activate live.
ActivationChoice choose_activation(agntos::ActivationMode configured_mode, std::vector<CriticalChange> changes);

}  // namespace agntctl
