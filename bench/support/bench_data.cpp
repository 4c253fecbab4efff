// SPDX-License-Identifier: MIT
#include "support/bench_data.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <random>

#include "common/audit.h"
#include "common/files.h"
#include "common/git_repo.h"
#include "common/ids.h"
#include "common/session_store.h"
#include "common/sqlite.h"

namespace agntos::bench {
namespace {

namespace fs = std::filesystem;

// Builds `target` with `make` in a temporary sibling, then renames it into place.
fs::path cached(const fs::path& target, const std::function<void(const fs::path&)>& make) {
  if (fs::exists(target)) return target;
  const fs::path partial = target.string() + ".partial";
  fs::remove_all(partial);
  fs::create_directories(partial);
  make(partial);
  fs::rename(partial, target);
  return target;
}

// Real package names, and syllables for the generated ones.
const std::vector<std::string> kRealNames = {
    "htop",   "btop",     "ripgrep", "fd",      "bat",       "jq",      "git",     "curl",  "tmux",   "neovim",
    "firefox", "chromium", "vlc",    "gimp",    "inkscape",  "blender", "docker",  "podman", "nginx", "caddy",
    "postgresql", "redis", "sqlite", "python3", "nodejs",    "rustc",   "cargo",   "go",    "zig",    "gcc",
    "clang",  "cmake",    "ninja",   "meson",   "wget",      "rsync",   "openssh", "mosh",  "zsh",    "fish",
    "emacs",  "vim",      "helix",   "kakoune", "thunderbird", "libreoffice", "obs-studio", "mpv", "ffmpeg", "imagemagick"};
const std::vector<std::string> kSyllables = {"lib", "qt",  "gtk", "py",  "perl", "hs",  "go",  "rust", "node", "x",
                                             "ar",  "bo",  "ca",  "de",  "el",   "fo",  "ga",  "hi",   "io",   "ju",
                                             "ka",  "lo",  "mi",  "nu",  "or",   "pa",  "qu",  "ri",   "so",   "tu",
                                             "ve",  "wa",  "xi",  "yo",  "ze",   "net", "cfg", "dev",  "fs",   "db"};
const std::vector<std::string> kWords = {
    "install", "remove",  "enable", "disable", "firewall", "port",    "open",   "close", "service", "docker",
    "ssh",     "server",  "please", "can",     "you",      "the",     "my",     "for",   "with",    "editor",
    "browser", "network", "printer", "update", "system",   "package", "time",   "zone",  "locale",  "user",
    "add",     "group",   "why",    "is",      "installed", "undo",   "that",   "again", "thanks",  "screen",
    "audio",   "bluetooth", "wifi", "backup",  "disk",     "memory",  "cpu",    "fast",  "slow",    "boot"};

std::string generated_name(std::mt19937_64& random, size_t index) {
  if (index < kRealNames.size()) return kRealNames[index];
  std::string name;
  const size_t parts = 2 + random() % 3;
  for (size_t i = 0; i < parts; ++i) name += kSyllables[random() % kSyllables.size()];
  // Like nixpkgs: prefixes and versions make most names unique.
  switch (random() % 6) {
    case 0: name = "python3Packages-" + name; break;
    case 1: name += "-" + std::to_string(index % 97); break;
    case 2: name = "haskellPackages-" + name; break;
    default: break;
  }
  return name + "_" + std::to_string(index);
}

std::string sentence(std::mt19937_64& random, size_t words) {
  std::string text;
  for (size_t i = 0; i < words; ++i) {
    // Zipf-like: low indices are much more frequent.
    const size_t pick = static_cast<size_t>(std::pow(static_cast<double>(random() % 10000) / 10000.0, 2.5) * kWords.size());
    text += (i ? " " : "") + kWords[std::min(pick, kWords.size() - 1)];
  }
  return text;
}

AuditEntry audit_entry(std::mt19937_64& random, size_t index, size_t count) {
  const std::string package = kRealNames[random() % kRealNames.size()];
  const int kind = static_cast<int>(random() % 10);
  AuditEntry entry = AuditEntry::make(kind < 6   ? AuditActionType::apply
                                      : kind < 7 ? AuditActionType::undo
                                                 : AuditActionType::generic,
                                      kind < 6 ? "Applied: Install package: " + package
                                      : kind < 7 ? "Undid: Install package: " + package
                                                 : "write_file /home/user/notes-" + std::to_string(index) + ".txt");
  // A year of history: one entry every half minute or so, in order.
  entry.timestamp = iso8601_utc(1735689600 + static_cast<int64_t>(index) * 31).substr(0, 19) + ".000Z";
  entry.origin.prompt = index == count / 2 ? "please install the quasar telescope viewer"
                                    : sentence(random, 4 + random() % 8) + " " + package;
  if (kind < 7) {
    entry.packages = {package};
    entry.files_changed = {"/etc/agntos/packages/" + package + ".nix"};
    entry.generation_before = static_cast<long long>(index);
    entry.generation_after = static_cast<long long>(index + 1);
    entry.origin.rationale = "the user asked for " + package;
  }
  return entry;
}

void write_audit_log(const fs::path& log, size_t entries) {
  std::mt19937_64 random(42);
  std::ofstream out(log, std::ios::binary);
  for (size_t i = 0; i < entries; ++i) out << audit_entry(random, i, entries).to_json().dump() << '\n';
}

}  // namespace

std::string short_count(size_t count) {
  if (count >= 1000000 && count % 1000000 == 0) return std::to_string(count / 1000000) + "M";
  if (count >= 1000 && count % 1000 == 0) return std::to_string(count / 1000) + "k";
  return std::to_string(count);
}

fs::path audit_config(const fs::path& data, size_t entries) {
  return cached(data / ("audit-" + short_count(entries)), [&](const fs::path& dir) {
    write_audit_log(dir / "audit.jsonl", entries);
  });
}

fs::path package_set(const fs::path& data, size_t attributes) {
  return cached(data / ("pkgs-" + short_count(attributes)), [&](const fs::path& dir) {
    std::mt19937_64 random(7);
    std::ofstream names(dir / "names.json", std::ios::binary);
    names << "[";
    for (size_t i = 0; i < attributes; ++i) names << (i ? "," : "") << '"' << generated_name(random, i) << '"';
    names << "]\n";
    names.close();
    std::ofstream nix(dir / "default.nix", std::ios::binary);
    nix << "# Generated by bench/support/bench_data.cpp: " << attributes << " attributes.\n"
        << "{ ... }:\n"
        << "let\n"
        << "  names = builtins.fromJSON (builtins.readFile ./names.json);\n"
        << "  package = name: derivation {\n"
        << "    inherit name;\n"
        << "    system = builtins.currentSystem;\n"
        << "    builder = \"/bin/sh\";\n"
        << "    args = [ \"-c\" \"echo ${name} > $out\" ];\n"
        << "  };\n"
        << "in\n"
        << "builtins.listToAttrs (map (name: { inherit name; value = package name; }) names)\n";
  });
}

fs::path history_config(const fs::path& data, size_t commits, size_t entries) {
  return cached(data / ("history-" + short_count(commits) + "-" + short_count(entries)), [&](const fs::path& dir) {
    fs::create_directories(dir / "packages");
    auto repo = GitRepo::open_or_init(dir);
    // Packages of the demo set (nix/demo-pkgs: apply builds this tree) come and go, so the tree
    // stays the size of a real one; ncdu is left to the benchmark's own applies.
    const std::vector<std::string> demo = {"hello", "htop", "btop", "ripgrep", "fd",  "bat",  "jq",    "git",
                                           "curl",  "wget", "vim",  "neovim",  "helix", "tmux", "tree", "fzf",
                                           "nmap",  "file", "neofetch"};
    for (size_t i = 0; i < commits; ++i) {
      const std::string& package = demo[i % demo.size()];
      const fs::path file = dir / "packages" / (package + ".nix");
      if (fs::exists(file)) {
        fs::remove(file);
      } else {
        write_file_atomic(file, "# Managed by AgntOS: install package " + package + "\n{ pkgs, ... }:\n{\n  environment.systemPackages = [ pkgs." + package + " ];\n}\n");
      }
      repo.commit_module_tree("AgntOS: commit " + std::to_string(i));
    }
    // The same entries as audit_config's log of that size (copied: apply appends to it).
    fs::copy_file(audit_config(data, entries) / "audit.jsonl", dir / "audit.jsonl");
  });
}

fs::path session_state(const fs::path& data, size_t messages) {
  return cached(data / ("sessions-" + short_count(messages)), [&](const fs::path& dir) {
    SessionStore store(dir / "sessions.db");
    Database& db = store.database();
    std::mt19937_64 random(11);
    db.exec("BEGIN");
    auto session = db.prepare("INSERT INTO sessions(id, created_at, updated_at, title) VALUES (?, ?, ?, ?)");
    auto message = db.prepare(
        "INSERT INTO messages(session_id, seq, role, content, created_at) VALUES (?, ?, ?, ?, ?)");
    std::string session_id;
    for (size_t i = 0; i < messages; ++i) {
      const std::string when = iso8601_utc(1735689600 + static_cast<int64_t>(i) * 20).substr(0, 19) + ".000Z";
      if (i % 40 == 0) {
        char id[32];
        std::snprintf(id, sizeof id, "s-%016zx", i);
        session_id = id;
        session.bind(1, session_id).bind(2, when).bind(3, when).bind(4, sentence(random, 4)).run();
      }
      std::string content = sentence(random, 8 + random() % 40);
      if (i == messages / 2) content += " the quasar telescope";
      message.bind(1, session_id)
          .bind(2, static_cast<int64_t>(i % 40 + 1))
          .bind(3, std::string(i % 2 ? "assistant" : "user"))
          .bind(4, content)
          .bind(5, when)
          .run();
      if (i % 100000 == 99999) {
        db.exec("COMMIT");
        db.exec("BEGIN");
      }
    }
    db.exec("COMMIT");
  });
}

}  // namespace agntos::bench
