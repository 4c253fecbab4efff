// SPDX-License-Identifier: MIT
#pragma once
// The everyday-name tables of the offline assistant: what people call a thing, and what NixOS
// calls it. They are data, kept apart from the grammar that reads sentences: adding a service
// is one line in names.cpp.
//
// Every lookup takes lowercase words joined by single spaces ("ssh server") and returns
// nullptr (or nullopt) when the name is not in the table; no lookup guesses.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace agntd::offline {

// A NixOS switch a person calls by an everyday name: "docker" is virtualisation.docker.enable.
struct ServiceName {
  std::string_view names;        // the everyday names, '|'-separated ("ssh|sshd|openssh|ssh server")
  std::string_view option;       // the boolean option that turns it on
  std::string_view label;        // how an answer names it ("the SSH server")
  bool install_means_enable;     // "install docker" means turning the module on, not a bare package
};

// The service or switch called `name`, or nullptr.
const ServiceName* find_service(std::string_view name);
// Every entry, in table order.
std::span<const ServiceName> service_table();
// The longest number of words of any name in the table (so a reader knows how far to look).
size_t longest_service_name_words();

// Well-known ports by the name of what listens there ("https" is 443/tcp).
struct PortName {
  std::string_view name;
  int port;
  bool tcp;
  bool udp;
};
std::span<const PortName> ports_named(std::string_view name);

// Locales by language name ("german" -> de_DE.UTF-8; "british english" -> en_GB.UTF-8).
std::optional<std::string_view> locale_for_language(std::string_view name);

// Unix groups a person asks for by another name ("sudo", "admin" -> wheel); known group names
// map to themselves. nullopt for a word that is no group.
std::optional<std::string_view> group_named(std::string_view word);

}  // namespace agntd::offline
