// SPDX-License-Identifier: MIT
#include "agntd/llm/offline/grammar.h"

#include <gtest/gtest.h>

#include "common/text.h"

namespace agntd::offline {
namespace {

using Kind = Request::Kind;

// A request in one line: its kind and the fields that matter for it.
std::string describe(const Request& r) {
  switch (r.kind) {
    case Kind::install: return "install " + agntos::join(r.names, " ");
    case Kind::remove: return "remove " + agntos::join(r.names, " ");
    case Kind::is_installed: return "is_installed " + (r.option.empty() ? r.subject : r.option);
    case Kind::list_installed: return "list_installed";
    case Kind::switches: {
      std::string text = "switches";
      for (const auto& s : r.switches) text += " " + s.option + (s.on ? "=on" : "=off");
      return text;
    }
    case Kind::firewall_ports: {
      std::string text = r.on ? "open" : "close";
      for (int port : r.tcp) text += " " + std::to_string(port) + "/tcp";
      for (int port : r.udp) text += " " + std::to_string(port) + "/udp";
      return text;
    }
    case Kind::set_option: return "set " + r.option + " " + r.value;
    case Kind::user: {
      std::string text = std::string(r.create ? "new user " : "user ") + r.subject;
      for (const auto& group : r.groups) text += " +" + group;
      return text;
    }
    case Kind::why: return "why " + r.subject;
    case Kind::why_port: return "why port " + std::to_string(r.tcp.empty() ? r.udp.front() : r.tcp.front());
    case Kind::recent_changes: return "recent";
    case Kind::search_sessions: return "search " + r.subject;
    case Kind::undo: return "undo" + (r.subject.empty() ? "" : " " + r.subject);
    case Kind::rollback_generation: return "generation" + (r.subject.empty() ? "" : " " + r.subject);
    case Kind::list_generations: return "generations";
    case Kind::apply: return "apply" + (r.subject.empty() ? "" : " " + r.subject);
    case Kind::remember: return "remember " + r.subject;
    case Kind::memory_show: return "memory";
    case Kind::forget: return "forget " + r.subject;
    case Kind::inspect: return "inspect " + r.subject + (r.focus.empty() ? "" : "/" + r.focus);
    case Kind::capabilities: return "capabilities";
    case Kind::thanks: return "thanks";
    case Kind::greeting: return "greeting";
    case Kind::upgrade: return "upgrade" + (r.subject.empty() ? "" : " " + r.subject);
    case Kind::said: return "said";
    case Kind::did_you_mean: return "did you mean " + r.subject;
    case Kind::unknown: return "unknown";
  }
  return "?";
}

std::string describe(std::string_view message) {
  std::vector<std::string> parts;
  for (const auto& request : parse_message(message)) parts.push_back(describe(request));
  return agntos::join(parts, " | ");
}

struct Case {
  const char* message;
  const char* expected;
};

void expect_all(std::initializer_list<Case> cases) {
  for (const auto& c : cases) EXPECT_EQ(describe(c.message), c.expected) << c.message;
}

TEST(OfflineGrammar, PackagesInEverydayWords) {
  expect_all({
      {"install htop", "install htop"},
      {"could you put ripgrep on this machine?", "install ripgrep"},
      {"Can you install htop and btop for me?", "install htop btop"},
      {"please install htop, btop and fd", "install htop btop fd"},
      {"get me jq please", "install jq"},
      {"I need ripgrep", "install ripgrep"},
      {"I'd like to have tmux on this box", "install tmux"},
      {"get rid of bat", "remove bat"},
      {"uninstall htop", "remove htop"},
      {"I don't need htop anymore", "remove htop"},
      {"please drop tmux", "remove tmux"},
      {"is jq installed?", "is_installed jq"},
      {"do I have git?", "is_installed git"},
      {"which packages have you installed for me?", "list_installed"},
      {"what did you install?", "list_installed"},
  });
}

TEST(OfflineGrammar, ServicesBecomeTheOptionsNixosReallyHas) {
  expect_all({
      {"enable docker", "switches virtualisation.docker.enable=on"},
      {"install docker", "switches virtualisation.docker.enable=on"},
      {"turn on the ssh server", "switches services.openssh.enable=on"},
      {"enable ssh", "switches services.openssh.enable=on"},
      {"switch bluetooth off", "switches hardware.bluetooth.enable=off"},
      {"enable printing", "switches services.printing.enable=on"},
      {"enable cups", "switches services.printing.enable=on"},
      {"turn on sound", "switches services.pipewire.enable=on"},
      {"start postgres", "switches services.postgresql.enable=on"},
      {"enable nginx and tailscale", "switches services.nginx.enable=on services.tailscale.enable=on"},
      {"i want tailscale", "switches services.tailscale.enable=on"},
      {"is ssh enabled?", "is_installed services.openssh.enable"},
      {"restart nginx", "said"},
  });
}

TEST(OfflineGrammar, FirewallPortsAndSwitch) {
  expect_all({
      {"allow incoming connections on port 443", "open 443/tcp"},
      {"open ports 80 and 443", "open 80/tcp 443/tcp"},
      {"open port 51820 udp", "open 51820/udp"},
      {"please allow 53/udp and 8080/tcp", "open 8080/tcp 53/udp"},
      {"open the firewall for https", "open 443/tcp"},
      {"close port 80", "close 80/tcp"},
      {"disable the firewall", "switches networking.firewall.enable=off"},
      {"turn the firewall back on", "switches networking.firewall.enable=on"},
      {"why is port 22 open?", "why port 22"},
  });
}

TEST(OfflineGrammar, HostNameTimeZoneLocaleAndExplicitOptions) {
  expect_all({
      {"rename this machine to devbox", "set networking.hostName devbox"},
      {"change my hostname to devbox", "set networking.hostName devbox"},
      {"call this computer workhorse", "set networking.hostName workhorse"},
      {"set the hostname to my box", "said"},
      {"set the timezone to Europe/Berlin", "set time.timeZone Europe/Berlin"},
      {"make the timezone berlin", "set time.timeZone Europe/Berlin"},
      {"change time zone to new york", "set time.timeZone America/New_York"},
      {"set the time zone to Mars/Olympus", "said"},
      {"set the locale to de_DE.UTF-8", "set i18n.defaultLocale de_DE.UTF-8"},
      {"change the language to German", "set i18n.defaultLocale de_DE.UTF-8"},
      {"set networking.hostName to Demo-Box", "set networking.hostName Demo-Box"},
      {"set services.openssh.ports = [22,2222]", "set services.openssh.ports [22,2222]"},
  });
}

// The user/bob case of issue 13: a user is never read as packages.
TEST(OfflineGrammar, UsersAreUsersNeverPackages) {
  expect_all({
      {"add the user bob", "new user bob"},
      {"add user bob", "new user bob"},
      {"add the user alice to the wheel group", "new user alice +wheel"},
      {"create an account for dave with admin rights", "new user dave +wheel"},
      {"create a new user called carol and put her in the wheel and docker groups", "new user carol +wheel +docker"},
      {"add bob to the docker group", "user bob +docker"},
      {"give bob sudo", "user bob +wheel"},
      {"delete the user bob", "said"},
  });
}

TEST(OfflineGrammar, HistoryAndGenerations) {
  expect_all({
      {"why is htop installed?", "why htop"},
      {"why do I have ripgrep", "why ripgrep"},
      {"how come docker is enabled?", "why virtualisation.docker.enable"},
      {"what changed recently?", "recent"},
      {"show the audit log", "recent"},
      {"have we talked about docker before?", "search docker"},
      {"did we discuss tailscale earlier?", "search tailscale"},
      {"undo that", "undo"},
      {"revert the last change", "undo"},
      {"revert a-18e1f", "undo a-18e1f"},
      {"go back one generation", "generation"},
      {"rollback to generation 3", "generation 3"},
      {"list my generations", "generations"},
      {"apply p-18e1f2a", "apply p-18e1f2a"},
      {"yes apply it", "apply"},
      {"go ahead", "apply"},
      {"no thanks", "said"},
  });
}

TEST(OfflineGrammar, MemoryNotesAndForgetting) {
  expect_all({
      {"note that I like vim keybindings", "remember I like vim keybindings"},
      {"remember that I prefer vim over nano.", "remember I prefer vim over nano"},
      {"keep in mind that I work on rust projects", "remember I work on rust projects"},
      {"what do you know about me", "memory"},
      {"forget that I like vim keybindings", "forget I like vim keybindings"},
      {"forget that", "forget "},
  });
}

TEST(OfflineGrammar, TheMachine) {
  expect_all({
      {"free space on disk?", "inspect disk"},
      {"how much ram do I have", "inspect memory"},
      {"what's my ip?", "inspect network"},
      {"show network", "inspect network"},
      {"how long has this machine been up", "inspect system/uptime"},
      {"are any services failing?", "inspect services"},
      {"which nixos version is this", "inspect nixos"},
      {"what cpu do I have", "inspect cpu"},
      {"do I have enough disk space?", "inspect disk"},
      {"what's my hostname", "inspect system/hostname"},
      {"show memory please", "inspect memory"},
      {"show my memory usage", "inspect memory"},
  });
}

TEST(OfflineGrammar, ConversationTyposAndUnknowns) {
  expect_all({
      {"thank you!", "thanks"},
      {"hi", "greeting"},
      {"what can you do?", "capabilities"},
      {"upgrade my system", "upgrade"},
      {"update htop", "upgrade htop"},
      {"write me a poem", "unknown"},
      {"instll htop", "did you mean install htop"},
      {"unistall bat", "did you mean uninstall bat"},
      {"enabel ssh", "did you mean enable ssh"},
  });
}

TEST(OfflineGrammar, TwoRequestsInOneSentenceComeInOrderOrTheSecondIsReported) {
  expect_all({
      {"install htop and enable ssh", "install htop | switches services.openssh.enable=on"},
      {"open port 443 and install htop", "open 443/tcp | install htop"},
      {"what's my ip and how much ram do I have", "inspect network | inspect memory"},
      {"install htop then show disk", "install htop | inspect disk"},
      {"install htop and write me a poem", "install htop | unknown"},
      {"hey, can you install htop? thanks!", "install htop"},
  });
}

// Found by paraphrases outside the corpus: words around a name are never names themselves.
TEST(OfflineGrammar, StateWordsAndPronounsAreNotPackages) {
  expect_all({
      {"I'd like bluetooth turned on", "switches hardware.bluetooth.enable=on"},
      {"get tailscale going", "switches services.tailscale.enable=on"},
      {"please make sure docker is running", "switches virtualisation.docker.enable=on"},
      {"can we get fzf and tree installed", "install fzf tree"},
      {"I'm done with bat, remove it", "remove bat"},
      {"I'm done with bat. Remove it.", "remove bat"},
      {"lose the curl package, I never use it", "remove curl"},
      {"install it", "said"},
  });
}

TEST(OfflineGrammar, QuestionsAndSmallTalkAreNotMisread) {
  expect_all({
      {"hey there", "greeting"},
      {"who won the world cup?", "unknown"},
      {"what's this machine's ip address?", "inspect network"},
      {"what's the kernel version", "inspect system/kernel"},
      {"are there updates available?", "upgrade"},
      {"stop blocking port 3000", "open 3000/tcp"},
  });
}

}  // namespace
}  // namespace agntd::offline
