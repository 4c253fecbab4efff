// SPDX-License-Identifier: MIT
#include "agntctl/pipeline/backend.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>

#include "agntctl/pipeline/nixpkgs_lib.h"
#include "common/error.h"
#include "common/files.h"
#include "common/ids.h"
#include "common/nix_environment.h"
#include "common/process.h"
#include "common/system/generations.h"
#include "common/text.h"

namespace agntctl {
namespace {

namespace fs = std::filesystem;
using agntos::Errc;
using agntos::Error;

constexpr auto kRebuildTimeout = std::chrono::hours(2);

std::string tail(const std::string& text, size_t lines) {
  auto all = agntos::split_lines(text);
  if (all.size() > lines) all.erase(all.begin(), all.end() - static_cast<long>(lines));
  return agntos::join(all, "\n");
}

// Runs a build step under `nix`'s settings, streaming its output; throws rebuild_failed with
// the output's tail.
void run_step(const agntos::NixEnvironment& nix, const std::vector<std::string>& argv, const ProgressSink& progress,
              std::string* stdout_text = nullptr, const std::optional<fs::path>& cwd = std::nullopt) {
  if (!agntos::find_program(argv[0]))
    throw Error(argv[0].starts_with("nix") ? Errc::nix_missing : Errc::not_found,
                argv[0] + " is not installed or not on PATH; it is needed to rebuild the system" +
                    (argv[0] == "nixos-rebuild" ? " (on a machine that is not NixOS, set [rebuild] backend = "
                                                  "\"profile\" and [rebuild.profile] pkgs in agntos.toml in the config dir)"
                     : argv[0].starts_with("nix-") ? " (Debian: apt-get install nix-bin)"
                     : argv[0] == "sudo"           ? " (install sudo, or run agntctl as root)"
                                                   : ""));
  agntos::ProcessOptions options;
  options.timeout = kRebuildTimeout;
  options.cwd = cwd;
  options.on_output = [&](agntos::OutputStream stream, std::string_view chunk) {
    // stdout of nix-build is the result path, not progress; everything on stderr is progress.
    if (stream == agntos::OutputStream::err || !stdout_text) progress(chunk);
  };
  nix.apply(options);
  const auto result = agntos::run_process(nix.command(argv), options);
  if (stdout_text) *stdout_text = agntos::trim(result.out);
  if (!result.ok()) {
    const std::string output = tail(result.err.empty() ? result.out : result.err, 25);
    throw Error(Errc::rebuild_failed, agntos::join(argv, " ") + " failed (" +
                                          (result.timed_out ? std::string("timed out")
                                                            : "exit code " + std::to_string(result.exit_code)) +
                                          "):\n" + output);
  }
}

class ProfileBackend : public Backend {
public:
  ProfileBackend(const agntos::Paths& paths, const agntos::Settings& settings)
      : m_profile(settings.rebuild.profile_path), m_pkgs(settings.rebuild.profile_pkgs), m_settings(settings),
        m_evaluator(nix_data_dir(paths) / "profile" / "system.nix"), m_nix_dir(nix_data_dir(paths)) {}

  agntos::RebuildBackend kind() const override { return agntos::RebuildBackend::profile; }
  std::optional<long long> current_generation() const override { return profile_current_generation(m_profile); }
  std::vector<Generation> generations() const override { return profile_generations(m_profile); }

  void rebuild(const fs::path& config_dir, const ProgressSink& progress) override {
    activate(*build(config_dir, "", progress), progress);
  }

  std::optional<std::string> build(const fs::path& tree_dir, const std::string& stamp,
                                   const ProgressSink& progress) override {
    agntos::make_directories(m_profile.parent_path(), 0700);
    std::string out_path;
    // With a nixpkgs lib the tree is evaluated by NixOS's module system (nixpkgs_lib.h).
    const auto lib = reachable_nixpkgs_lib(m_settings);
    std::vector<std::string> extra{"--argstr", "stamp", stamp, "--out-link", (m_profile.parent_path() / ".last-build").string()};
    if (lib) extra.insert(extra.end(), {"--argstr", "lib", lib->path});
    // The out-link is a GC root, so the result survives until it is activated (or replaced
    // by the next build); the system does not depend on where the tree was built from.
    run_step(evaluation(tree_dir, lib ? lib->path : ""), build_argv("nix-build", tree_dir, extra), progress, &out_path);
    if (out_path.empty()) throw Error(Errc::rebuild_failed, "nix-build printed no result path");
    return out_path;
  }

  void activate(const std::string& store_path, const ProgressSink& progress) override {
    agntos::make_directories(m_profile.parent_path(), 0700);
    progress("activating " + store_path + "\n");
    run_step(agntos::restricted_nix({}), {"nix-env", "--profile", m_profile.string(), "--set", store_path}, progress);
    m_activation_mode = agntos::ActivationMode::switch_now;  // a profile generation is live as soon as it is set
  }

  std::optional<std::string> system_of(long long generation) const override {
    std::error_code ec;
    const auto target = fs::read_symlink(m_profile.string() + "-" + std::to_string(generation) + "-link", ec);
    if (ec) return std::nullopt;
    return target.string();
  }

  void switch_to_generation(long long number, const ProgressSink& progress) override {
    run_step(agntos::restricted_nix({}),
             {"nix-env", "--profile", m_profile.string(), "--switch-generation", std::to_string(number)}, progress);
    m_activation_mode = agntos::ActivationMode::switch_now;
  }

  void remove_all_generations(const ProgressSink& progress) override {
    // The profile link first: from then on no generation is running, whatever else remains.
    std::error_code ec;
    fs::remove(m_profile, ec);
    for (const auto& generation : generations()) {
      progress("removing generation " + std::to_string(generation.number) + "\n");
      fs::remove(m_profile.string() + "-" + std::to_string(generation.number) + "-link", ec);
    }
    agntos::fsync_directory(m_profile.parent_path());
  }

private:
  // Evaluation confined to the tree, the shipped nix/, the nixpkgs lib and the package set.
  agntos::NixEnvironment evaluation(const fs::path& tree_dir, const std::string& lib) const {
    return agntos::restricted_nix({fs::absolute(tree_dir), m_nix_dir, lib}, m_pkgs);
  }

  std::vector<std::string> build_argv(const std::string& program, const fs::path& config_dir,
                                      const std::vector<std::string>& extra) const {
    if (m_pkgs.empty())
      throw Error(Errc::failed,
                  "the profile backend needs a package set: set [rebuild.profile] pkgs in agntos.toml (for "
                  "example the demo set " + m_evaluator.parent_path().parent_path().string() + "/demo-pkgs)");
    std::vector<std::string> argv{program,    m_evaluator.string(), "--argstr", "configDir",
                                  fs::absolute(config_dir).string(), "--argstr", "pkgs", m_pkgs};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
  }

  fs::path m_profile;
  std::string m_pkgs;
  agntos::Settings m_settings;
  fs::path m_evaluator;
  fs::path m_nix_dir;
};

class NixosBackend : public Backend {
public:
  NixosBackend(const agntos::Paths& paths, const agntos::Settings& settings) : m_settings(settings) {
    m_flake = settings.rebuild.flake;
    if (m_flake.empty())
      if (auto info = agntos::read_file_if_exists(paths.config_dir / "flake-info")) m_flake = agntos::trim(*info);
  }

  agntos::RebuildBackend kind() const override { return agntos::RebuildBackend::nixos; }
  std::optional<long long> current_generation() const override { return profile_current_generation(kSystem); }
  std::vector<Generation> generations() const override { return profile_generations(kSystem); }

  // `nixos-rebuild build`, then the result is activated like an approved store path, so that a
  // change of kernel, initrd, systemd or dbus is installed with "boot" (switch_inhibitors.h).
  void rebuild(const fs::path&, const ProgressSink& progress) override {
    char pattern[] = "/tmp/agntos-nixos-build-XXXXXX";
    if (!::mkdtemp(pattern)) agntos::throw_errno("mkdtemp", pattern);
    const fs::path dir = pattern;
    struct Cleanup {
      fs::path dir;
      ~Cleanup() {
        std::error_code ec;
        fs::remove_all(dir, ec);
      }
    } cleanup{dir};
    run_step(agntos::system_nix(), rebuild_argv("build"), progress, nullptr, dir);
    std::error_code ec;
    const auto system = fs::canonical(dir / "result", ec);
    if (ec) throw Error(Errc::rebuild_failed, "nixos-rebuild build left no result link in " + dir.string());
    activate(system.string(), progress);
  }

  std::optional<std::string> build(const fs::path&, const std::string&, const ProgressSink&) override {
    return std::nullopt;
  }

  void activate(const std::string& store_path, const ProgressSink& progress) override {
    const auto choice = choose_activation(m_settings.rebuild.mode, critical_changes_of(store_path));
    if (!choice.notice().empty()) progress(choice.notice() + "\n");
    // "test" activates without making the system the default: the profile stays (as nixos-rebuild test).
    if (choice.mode != agntos::ActivationMode::test)
      run_step(agntos::system_nix(), {"nix-env", "--profile", kSystem, "--set", store_path}, progress);
    run_step(agntos::system_nix(), {store_path + "/bin/switch-to-configuration", std::string(agntos::to_string(choice.mode))},
             progress);
    m_activation_mode = choice.mode;
  }

  std::vector<CriticalChange> critical_changes_of(const std::string& new_system) const override {
    return critical_changes({"/run/booted-system", "/run/current-system"}, new_system);
  }

  std::optional<std::string> system_of(long long generation) const override {
    std::error_code ec;
    const auto target = fs::read_symlink(std::string(kSystem) + "-" + std::to_string(generation) + "-link", ec);
    if (ec) return std::nullopt;
    return target.string();
  }

  void switch_to_generation(long long number, const ProgressSink& progress) override {
    const auto system = system_of(number);
    // A generation with another kernel (or systemd, dbus) is made the boot default, not switched to live.
    const auto choice = choose_activation(agntos::ActivationMode::switch_now, system ? critical_changes_of(*system) : std::vector<CriticalChange>{});
    if (!choice.notice().empty()) progress(choice.notice() + "\n");
    run_step(agntos::system_nix(), {"nix-env", "--profile", kSystem, "--switch-generation", std::to_string(number)},
             progress);
    // Activate the generation itself: no evaluation, no download.
    run_step(agntos::system_nix(),
             {(fs::path(kSystem) / "bin" / "switch-to-configuration").string(), std::string(agntos::to_string(choice.mode))},
             progress);
    m_activation_mode = choice.mode;
  }

  void remove_all_generations(const ProgressSink&) override {
    throw Error(Errc::failed, "the NixOS system profile has no generation to return to; check "
                              "/nix/var/nix/profiles and run 'agntctl doctor'");
  }

private:
  static constexpr const char* kSystem = "/nix/var/nix/profiles/system";

  std::vector<std::string> rebuild_argv(const std::string& mode) const {
    std::vector<std::string> argv{"nixos-rebuild", mode};
    if (!m_flake.empty()) argv.insert(argv.end(), {"--flake", m_flake, "--impure"});
    return argv;
  }

  agntos::Settings m_settings;
  std::string m_flake;
};

}  // namespace

std::vector<CriticalChange> Backend::critical_changes_of(const std::string& new_system) const {
  const auto running = running_system();
  if (!running) return {};
  return critical_changes({*running, *running}, new_system);
}

agntos::Json Backend::stamp_of(long long generation) const {
  const auto system = system_of(generation);
  if (!system) return nullptr;
  const auto text = agntos::read_file_if_exists(fs::path(*system) / "agntos-stamp.json");
  if (!text) return nullptr;
  try {
    auto stamp = agntos::Json::parse(*text);
    return stamp.is_object() ? stamp : agntos::Json();
  } catch (const std::exception&) {
    return nullptr;  // not ours, or damaged: the generation is listed without a cause
  }
}

std::vector<Generation> profile_generations(const std::filesystem::path& profile) {
  std::vector<Generation> result;
  for (const auto& generation : agntos::read_profile_generations(profile).generations)
    result.push_back(Generation{generation.number, generation.mtime ? agntos::iso8601_utc(generation.mtime) : "",
                                generation.current});
  return result;
}

std::optional<long long> profile_current_generation(const std::filesystem::path& profile) {
  return agntos::read_current_generation(profile);
}

std::filesystem::path nix_data_dir(const agntos::Paths& paths) { return paths.data_dir / "nix"; }

std::unique_ptr<Backend> make_backend(const agntos::Paths& paths, const agntos::Settings& settings) {
  switch (settings.rebuild.backend) {
    case agntos::RebuildBackend::profile: return std::make_unique<ProfileBackend>(paths, settings);
    case agntos::RebuildBackend::nixos: break;
  }
  return std::make_unique<NixosBackend>(paths, settings);
}

}  // namespace agntctl
