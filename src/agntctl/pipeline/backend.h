// SPDX-License-Identifier: MIT
#pragma once
// Rebuild backends (SPEC §3.2): how a config dir becomes the running system.
//
//   nixos    nixos-rebuild <mode> [--flake <uri> --impure]; generations are
//            /nix/var/nix/profiles/system-<N>-link; switching a generation runs that
//            generation's bin/switch-to-configuration (offline: no evaluation, no download).
//   profile  any Linux with Nix: nix/profile/system.nix evaluates the module files with the
//            package set of [rebuild.profile] pkgs, nix-build builds it and
//            nix-env --profile P --set installs it as a new generation of P. With a nixpkgs
//            lib (nixpkgs_lib.h) the evaluation is NixOS's module system (lib.evalModules with
//            the shipped option declarations, nix/profile/module-system.nix).
//
// Every program runs from an argv vector; its output is streamed to `progress` as it comes.
// Failures throw Error(Errc::rebuild_failed) quoting the tail of the program's output, or
// Errc::not_found / nix_missing when the program is not installed.

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agntctl/pipeline/switch_inhibitors.h"
#include "common/json.h"
#include "common/paths.h"
#include "common/settings.h"

namespace agntctl {

using ProgressSink = std::function<void(std::string_view)>;

struct Generation {
  long long number = 0;
  std::string date;  // ISO 8601 from the link's mtime
  bool current = false;
};

class Backend {
public:
  virtual ~Backend() = default;
  virtual agntos::RebuildBackend kind() const = 0;
  // The kind as [rebuild] backend spells it, for messages and JSON.
  std::string name() const { return std::string(agntos::to_string(kind())); }
  // The running generation, or nullopt when there is none yet.
  virtual std::optional<long long> current_generation() const = 0;
  // All generations, oldest first.
  virtual std::vector<Generation> generations() const = 0;
  // Builds the config dir and makes it the running generation.
  virtual void rebuild(const std::filesystem::path& config_dir, const ProgressSink& progress) = 0;
  // Builds the module tree in `tree_dir` (a private copy, never the config dir) without
  // activating anything and returns the system's store path; nullopt when this backend cannot
  // build a copy (nixos: the system configuration imports the config dir itself, so
  // nixos-rebuild builds at apply). Throws Error(Errc::rebuild_failed) with Nix's message.
  // `stamp` (JSON, may be empty) is written into the system as agntos-stamp.json.
  virtual std::optional<std::string> build(const std::filesystem::path& tree_dir, const std::string& stamp,
                                           const ProgressSink& progress) = 0;
  // Makes a store path returned by build() the running generation, with no evaluation. The
  // nixos backend activates with [rebuild] mode, or with "boot" when critical_changes() is
  // not empty (switch_inhibitors.h).
  virtual void activate(const std::string& store_path, const ProgressSink& progress) = 0;
  // What in `new_system` cannot be replaced in the running system (kernel, initrd, systemd,
  // dbus, NixOS's switch inhibitors). The default compares with the running generation; the
  // nixos backend with /run/booted-system and /run/current-system.
  virtual std::vector<CriticalChange> critical_changes_of(const std::string& new_system) const;
  // How the last rebuild, activate or switch_to_generation activated ("switch", "boot",
  // "test"); nullopt before any.
  const std::optional<agntos::ActivationMode>& activation_mode() const { return m_activation_mode; }
  // The store path of generation N (nullopt: no such generation), and of the running one.
  virtual std::optional<std::string> system_of(long long generation) const = 0;
  // The stamp of generation N's system (null when it has none).
  agntos::Json stamp_of(long long generation) const;
  std::optional<std::string> running_system() const {
    const auto current = current_generation();
    return current ? system_of(*current) : std::nullopt;
  }
  // Makes generation N the running one.
  virtual void switch_to_generation(long long number, const ProgressSink& progress) = 0;
  // Leaves no generation running: undoes an interrupted first activation, when there was no
  // generation before it to switch back to. The profile backend removes the profile link and
  // every generation link; the nixos backend refuses (a NixOS system always has one).
  virtual void remove_all_generations(const ProgressSink& progress) = 0;

protected:
  std::optional<agntos::ActivationMode> m_activation_mode;
};

std::unique_ptr<Backend> make_backend(const agntos::Paths& paths, const agntos::Settings& settings);

// Generations of a Nix profile: the "<profile>-<N>-link" symlinks beside it.
std::vector<Generation> profile_generations(const std::filesystem::path& profile);
std::optional<long long> profile_current_generation(const std::filesystem::path& profile);

// The nix/ directory shipped with AgntOS (evaluator, demo package set, helpers).
std::filesystem::path nix_data_dir(const agntos::Paths& paths);

}  // namespace agntctl
