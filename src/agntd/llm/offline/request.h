// SPDX-License-Identifier: MIT
#pragma once
// What the offline grammar makes of one request in a user's message: a kind and the names,
// numbers and words it needs. tasks.h turns each into the tool calls an LLM would make.

#include <string>
#include <vector>

namespace agntd::offline {

// One boolean NixOS option to turn on or off, and how an answer names it.
struct Switch {
  std::string option;  // "virtualisation.docker.enable"
  std::string label;   // "Docker"
  bool on = true;
};

struct Request {
  enum class Kind {
    install,             // names: packages
    remove,              // names: packages
    is_installed,        // subject: a package, or option + label for a switch
    list_installed,      // what AgntOS installed and manages
    switches,            // switches: services and other boolean options, in one proposal
    firewall_ports,      // tcp, udp: ports to open (on) or close (!on)
    set_option,          // option, value, label: hostname, time zone, locale, "set a.b c"
    user,                // subject: user name; groups; create: a new normal user
    why,                 // subject: the thing (package, option path); label: how to name it
    why_port,            // tcp or udp: the port asked about
    recent_changes,
    search_sessions,     // subject: the words to look for
    undo,                // subject: audit id or ""
    rollback_generation, // subject: generation number or ""
    list_generations,
    apply,               // subject: proposal id or "" (the latest pending)
    remember,            // subject: the note, in the user's words
    memory_show,
    forget,              // subject: words of the note, or "" (the last note of this conversation)
    inspect,             // subject: inspect target; focus: the part asked about
    capabilities,
    thanks,
    greeting,
    upgrade,
    said,                // text: a complete answer that needs no tool (a question back, a refusal)
    did_you_mean,        // subject: the corrected request
    unknown,             // text: the words not understood
  };
  Kind kind = Kind::unknown;
  std::vector<std::string> names;
  std::string subject;
  std::string option;
  std::string value;
  std::string label;
  std::string focus;
  std::string text;
  std::vector<Switch> switches;
  std::vector<int> tcp;
  std::vector<int> udp;
  std::vector<std::string> groups;
  bool on = true;
  bool create = false;
};

}  // namespace agntd::offline
