// SPDX-License-Identifier: MIT
#include "agntd/llm/offline/tasks.h"

#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>
#include <unistd.h>

#include "agntd/llm/offline/answers.h"
#include "common/text.h"

namespace agntd::offline {
namespace {

namespace fs = std::filesystem;
using Kind = Request::Kind;

std::string str(const Json& json, const char* key) {
  return json.is_object() && json.contains(key) && json[key].is_string() ? json[key].get<std::string>() : std::string();
}

bool failed(const Step& step) { return step.result.is_object() && step.result.contains("error"); }

Next call(std::string tool, Json args) { return Next{Call{std::move(tool), std::move(args)}, ""}; }
Next done(std::string text) { return Next{std::nullopt, std::move(text)}; }

std::string capitalised(std::string text) {
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 'a' + 'A');
  return text;
}

std::string sentence(std::string text) {
  text = agntos::trim(text);
  if (!text.empty() && text.back() != '.' && text.back() != '?' && text.back() != '!') text += '.';
  return text;
}

std::string ports_text(const std::vector<int>& ports) {
  std::vector<std::string> names;
  for (int port : ports) names.push_back(std::to_string(port));
  return and_list(names);
}

std::string json_list(const std::vector<int>& ports) {
  std::string text = "[";
  for (size_t i = 0; i < ports.size(); ++i) text += (i ? "," : "") + std::to_string(ports[i]);
  return text + "]";
}

// The modules AgntOS manages, from `inspect agntos` (empty when that call failed).
std::vector<std::string> managed(const Step& inspect, const char* kind) {
  std::vector<std::string> names;
  if (failed(inspect)) return names;
  const Json& modules = inspect.result.value("modules", Json::object());
  if (modules.is_object() && modules.contains(kind) && modules[kind].is_array())
    for (const auto& name : modules[kind])
      if (name.is_string()) names.push_back(name.get<std::string>());
  return names;
}

bool manages(const Step& inspect, const char* kind, const std::string& name) {
  const auto names = managed(inspect, kind);
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::string config_file(const Step& inspect, const std::string& relative) {
  return (fs::path(str(inspect.result, "config_dir")) / relative).string();
}

// The text of a `read_file` result.
std::string file_text(const Step& read) {
  std::string text;
  if (failed(read)) return text;
  for (const auto& line : read.result.value("lines", Json::array()))
    if (line.is_object()) text += str(line, "text") + "\n";
  return text;
}

// The integers of the list assigned to `name` in a module ("allowedTCPPorts = [ 22 443 ];").
std::vector<int> list_of_numbers(const std::string& text, const std::string& name) {
  std::vector<int> numbers;
  const auto at = text.find(name);
  if (at == std::string::npos) return numbers;
  const auto open = text.find('[', at);
  const auto close = text.find(']', open == std::string::npos ? at : open);
  if (open == std::string::npos || close == std::string::npos) return numbers;
  const std::string inside = text.substr(open + 1, close - open - 1);
  static const std::regex number("[0-9]+");
  for (auto it = std::sregex_iterator(inside.begin(), inside.end(), number); it != std::sregex_iterator(); ++it)
    numbers.push_back(std::stoi(it->str()));
  return numbers;
}

std::vector<std::string> list_of_strings(const std::string& text, const std::string& name) {
  std::vector<std::string> items;
  const auto at = text.find(name);
  if (at == std::string::npos) return items;
  const auto open = text.find('[', at);
  const auto close = text.find(']', open == std::string::npos ? at : open);
  if (open == std::string::npos || close == std::string::npos) return items;
  const std::string inside = text.substr(open + 1, close - open - 1);
  static const std::regex quoted("\"([a-z_][a-z0-9_-]*)\"");
  for (auto it = std::sregex_iterator(inside.begin(), inside.end(), quoted); it != std::sregex_iterator(); ++it)
    items.push_back((*it)[1].str());
  return items;
}

// ---- changes: propose, then apply through the gate ----

struct ChangeWords {
  std::string done;     // "htop is installed"
  std::string already;  // "htop is already installed through AgntOS"
  std::string what;     // "install htop" (for failures)
};

std::string generation_note(const Json& entry) {
  if (entry.is_object() && entry.contains("generation_after") && entry["generation_after"].is_number_integer())
    return " (generation " + std::to_string(entry["generation_after"].get<long long>()) + ")";
  return "";
}

std::string denied_text(const Json& result) {
  auto reason = error_message(result);
  const auto full = reason;
  if (reason.starts_with("not approved: ")) reason = reason.substr(14);
  reason = reason.substr(0, reason.find(". Nothing was changed"));
  std::string text = "Nothing was changed: " + sentence(reason);
  static const std::regex id("p-[0-9a-f]{6,}");
  std::smatch m;
  if (std::regex_search(full, m, id))
    text += " The proposal " + m.str() + " stays pending: say \"apply " + m.str() + "\" if you change your mind.";
  return text;
}

// After an apply (or rollback) call: the gate's refusal, the failure, or `success`.
std::string applied_text(const Step& step, const std::string& success, const std::string& what) {
  if (error_code(step.result) == "denied") return denied_text(step.result);
  if (failed(step)) return "I couldn't " + what + ": " + sentence(error_message(step.result));
  return success;
}

Next change(std::span<const Step> steps, size_t at, Json propose, const ChangeWords& words, const TurnFacts& facts) {
  if (steps.size() == at) {
    propose["prompt"] = facts.message;
    return call("propose", std::move(propose));
  }
  const Step& proposed = steps[at];
  if (failed(proposed)) {
    const auto message = error_message(proposed.result);
    if (message.starts_with("nothing to change")) return done(sentence(words.already));
    return done("I couldn't " + words.what + ": " + sentence(message));
  }
  const auto id = str(proposed.result, "id");
  if (id.empty()) return done("I couldn't " + words.what + ": propose gave no proposal id.");
  if (steps.size() == at + 1) return call("apply", Json{{"id", id}});
  const Step& applied = steps[at + 1];
  return done(applied_text(applied,
                           words.done + generation_note(applied.result) +
                               ". Say \"undo that\" to take it back.",
                           words.what));
}

// ---- the requests ----

Next install_or_remove(const Request& request, std::span<const Step> steps, const TurnFacts& facts) {
  const bool install = request.kind == Kind::install;
  const auto names = agntos::join(request.names, " ");
  const auto listed = and_list(request.names);
  const bool one = request.names.size() == 1;
  ChangeWords words{std::string(install ? "Installed " : "Removed ") + listed,
                    install ? listed + (one ? " is" : " are") + " already installed through AgntOS"
                            : listed + (one ? " is" : " are") + " already gone",
                    std::string(install ? "install " : "remove ") + listed};
  return change(steps, 0,
                Json{{"intent", std::string(install ? "install " : "remove ") + names},
                     {"rationale", std::string("offline assistant: the user asked to ") + (install ? "install " : "remove ") + listed}},
                words, facts);
}

Next switches(const Request& request, std::span<const Step> steps, const TurnFacts& facts) {
  if (steps.empty()) return call("inspect", Json{{"target", "agntos"}});
  std::vector<std::string> intents;
  std::vector<std::string> states;
  std::vector<std::string> why;
  for (const auto& s : request.switches) {
    // A service module AgntOS already wrote (services/NAME.nix, from "enable NAME") is rewritten
    // in place, so the tree never holds two files that disagree about the same option.
    const auto parts = agntos::split(s.option, '.');
    if (parts.size() == 3 && parts[0] == "services" && parts[2] == "enable" && manages(steps[0], "services", parts[1]))
      intents.push_back(std::string(s.on ? "enable " : "disable ") + parts[1]);
    else
      intents.push_back("set " + s.option + (s.on ? " true" : " false"));
    states.push_back(std::string(s.on ? "turned on " : "turned off ") + s.label + " (" + s.option + " = " +
                     (s.on ? "true" : "false") + ")");
    why.push_back(s.label + " is " + s.option);
  }
  const bool one = request.switches.size() == 1;
  std::vector<std::string> labels;
  for (const auto& s : request.switches) labels.push_back(s.label);
  ChangeWords words{capitalised(and_list(states)),
                    one ? capitalised(request.switches[0].label) + " is already " + (request.switches[0].on ? "on" : "off") +
                              " in your configuration"
                        : "Your configuration already says exactly that",
                    std::string(request.switches[0].on ? "turn on " : "turn off ") + and_list(labels)};
  return change(steps, 1,
                Json{{"intent", agntos::join(intents, "; ")}, {"rationale", "offline assistant: " + and_list(why)}}, words,
                facts);
}

Next firewall_ports(const Request& request, std::span<const Step> steps, const TurnFacts& facts) {
  if (steps.empty()) return call("inspect", Json{{"target", "agntos"}});
  struct Proto {
    const char* name;
    const char* option;
    const std::vector<int>* wanted;
  };
  const Proto protos[] = {{"TCP", "networking.firewall.allowedTCPPorts", &request.tcp},
                          {"UDP", "networking.firewall.allowedUDPPorts", &request.udp}};
  // Read the module of each protocol asked about, when AgntOS already manages one: its ports
  // are kept, since propose replaces the whole file.
  size_t next = 1;
  std::vector<int> current[2];
  for (size_t p = 0; p < 2; ++p) {
    if (protos[p].wanted->empty()) continue;
    std::string stem = protos[p].option;
    std::replace(stem.begin(), stem.end(), '.', '-');
    if (!manages(steps[0], "options", stem)) continue;
    if (steps.size() == next) return call("read_file", Json{{"path", config_file(steps[0], "options/" + stem + ".nix")}});
    current[p] = list_of_numbers(file_text(steps[next]), agntos::split(protos[p].option, '.').back());
    ++next;
  }
  std::vector<std::string> intents;
  std::vector<std::string> changed;
  std::vector<std::string> unchanged;
  std::vector<std::string> result_lists;
  for (size_t p = 0; p < 2; ++p) {
    if (protos[p].wanted->empty()) continue;
    auto ports = current[p];
    std::vector<int> moved;
    std::vector<int> same;
    for (int port : *protos[p].wanted) {
      const bool present = std::find(ports.begin(), ports.end(), port) != ports.end();
      if (request.on && !present) {
        ports.push_back(port);
        moved.push_back(port);
      } else if (!request.on && present) {
        std::erase(ports, port);
        moved.push_back(port);
      } else {
        same.push_back(port);
      }
    }
    if (!moved.empty()) {
      intents.push_back("set " + std::string(protos[p].option) + " " + json_list(ports));
      changed.push_back(std::string(moved.size() == 1 ? "port " : "ports ") + ports_text(moved) + " (" + protos[p].name + ")");
      result_lists.push_back(std::string(protos[p].name) + " ports AgntOS opens: " + (ports.empty() ? "none" : ports_text(ports)));
    }
    if (!same.empty()) unchanged.push_back(std::string(same.size() == 1 ? "port " : "ports ") + ports_text(same) + " (" + protos[p].name + ")");
  }
  std::string note;
  if (!unchanged.empty())
    note = request.on ? capitalised(and_list(unchanged)) + (unchanged.size() == 1 && unchanged[0].starts_with("port ") ? " is" : " are") +
                            " already open."
                      : capitalised(and_list(unchanged)) + " isn't opened by AgntOS, so there is nothing for me to close; "
                                                           "if your configuration.nix opens it, close it there.";
  if (intents.empty()) return done(note);
  ChangeWords words{std::string(request.on ? "Opened " : "Closed ") + and_list(changed) + ". " +
                        agntos::join(result_lists, "; "),
                    "Those ports already are " + std::string(request.on ? "open" : "closed"),
                    std::string(request.on ? "open " : "close ") + and_list(changed)};
  auto next_step_done = change(steps, next,
                               Json{{"intent", agntos::join(intents, "; ")},
                                    {"rationale", std::string("offline assistant: ") + (request.on ? "open " : "close ") +
                                                      and_list(changed) + ", keeping the ports already open"}},
                               words, facts);
  if (!next_step_done.call && !note.empty()) next_step_done.text = note + " " + next_step_done.text;
  return next_step_done;
}

Next set_option(const Request& request, std::span<const Step> steps, const TurnFacts& facts) {
  const bool named = request.label.starts_with("the ");
  ChangeWords words{named ? capitalised(request.label) + " is now " + request.value
                          : "Set " + request.option + " to " + request.value,
                    named ? capitalised(request.label) + " is already " + request.value
                          : request.option + " is already " + request.value,
                    "set " + request.label + " to " + request.value};
  return change(steps, 0,
                Json{{"intent", "set " + request.option + " " + request.value},
                     {"rationale", "offline assistant: " + request.label + " is the NixOS option " + request.option}},
                words, facts);
}

std::string user_module(const std::string& name, bool normal, const std::vector<std::string>& groups) {
  std::string text = "# Managed by AgntOS: the user " + name + "\n{ ... }:\n{\n  users.users." + name + " = {\n";
  if (normal) text += "    isNormalUser = true;\n";
  if (!groups.empty()) {
    text += "    extraGroups = [";
    for (const auto& group : groups) text += " \"" + group + "\"";
    text += " ];\n";
  }
  return text + "  };\n}\n";
}

Next user(const Request& request, std::span<const Step> steps, const TurnFacts& facts) {
  if (steps.empty()) return call("inspect", Json{{"target", "agntos"}});
  const std::string module = "user-" + request.subject;
  const bool exists = manages(steps[0], "modules", module);
  size_t next = 1;
  std::vector<std::string> groups;
  bool normal = request.create;
  if (exists) {
    if (steps.size() == 1) return call("read_file", Json{{"path", config_file(steps[0], "modules/" + module + ".nix")}});
    const auto text = file_text(steps[1]);
    groups = list_of_strings(text, "extraGroups");
    normal = normal || text.find("isNormalUser = true") != std::string::npos;
    next = 2;
  }
  std::vector<std::string> added;
  for (const auto& group : request.groups)
    if (std::find(groups.begin(), groups.end(), group) == groups.end()) {
      groups.push_back(group);
      added.push_back(group);
    }
  if (exists && added.empty())
    return done("The user " + request.subject + " already exists (modules/" + module + ".nix)" +
                (request.groups.empty() ? "" : " and is in " + and_list(request.groups)) + ".");
  std::string done_text;
  if (request.create && !exists) {
    done_text = "Added the user " + request.subject + " as a normal user" +
                (groups.empty() ? "" : " in the group" + std::string(groups.size() > 1 ? "s " : " ") + and_list(groups));
  } else {
    done_text = "Added " + request.subject + " to the group" + std::string(added.size() > 1 ? "s " : " ") + and_list(added);
  }
  ChangeWords words{done_text, "The user " + request.subject + " is already set up that way",
                    request.create ? "add the user " + request.subject : "add " + request.subject + " to " + and_list(added)};
  auto next_step = change(steps, next,
                          Json{{"module", "modules/" + module + ".nix"},
                               {"nix", user_module(request.subject, normal, groups)},
                               {"rationale", "offline assistant: users.users." + request.subject +
                                                 (normal ? " as a normal user" : "") +
                                                 (groups.empty() ? "" : ", groups " + and_list(groups))}},
                          words, facts);
  if (!next_step.call && request.create && !exists && next_step.text.find("Say \"undo") != std::string::npos)
    next_step.text += " Give them a password with `sudo passwd " + request.subject + "`.";
  return next_step;
}

std::string when_asked(const Json& entry) {
  std::string text;
  if (!str(entry, "timestamp").empty()) text += " on " + str(entry, "timestamp").substr(0, 10);
  if (!str(entry, "prompt").empty()) text = " because you asked: \"" + str(entry, "prompt") + "\"" + text;
  if (!str(entry, "id").empty()) text += " (audit " + str(entry, "id") + ")";
  return text;
}

std::string on_path(const std::string& name, const std::string& path) {
  if (path.empty() || name.find('/') != std::string::npos) return "";
  for (const auto& dir : agntos::split(path, ':')) {
    if (dir.empty()) continue;
    std::error_code ec;
    const auto file = fs::path(dir) / name;
    if (fs::is_regular_file(file, ec) && ::access(file.c_str(), X_OK) == 0) return file.string();
  }
  return "";
}

Next why(const Request& request, std::span<const Step> steps) {
  if (steps.empty()) return call("audit", Json{{"action", "why"}, {"thing", request.subject}});
  const Step& step = steps[0];
  if (failed(step)) return done("I couldn't look that up in the audit log: " + sentence(error_message(step.result)));
  const Json& result = step.result;
  const auto label = request.label.empty() ? request.subject : request.label;
  if (!result.value("present", false)) {
    if (result.contains("removed_by") && result["removed_by"].is_object())
      return done(sentence(str(result, "message")));
    if (request.subject.find('.') != std::string::npos)
      return done("AgntOS never set " + label + " (" + request.subject +
                  "): its value comes from your own configuration (configuration.nix) or NixOS's default.");
    return done("AgntOS didn't install " + label +
                ": no module of mine mentions it, so it comes from your own configuration (configuration.nix) or the base system.");
  }
  const Json entry = result.value("entry", Json());
  const auto file = str(result, "file");
  if (!entry.is_object())
    return done(capitalised(label) + " is in your configuration (" + file +
                "), but that file's current content was not written by AgntOS: it was edited by hand.");
  const bool package = request.subject.find('.') == std::string::npos;
  std::string text = (label.starts_with("the ") ? capitalised(label) : label) + (package ? " is installed" : " is set") +
                     when_asked(entry) + ".";
  text += " It comes from " + file + " (" + str(entry, "summary") + ").";
  if (!str(entry, "rationale").empty() && !str(entry, "rationale").starts_with("offline assistant"))
    text += " Reason given: " + sentence(str(entry, "rationale"));
  return done(text);
}

Next is_installed(const Request& request, std::span<const Step> steps, const TurnFacts& facts) {
  if (request.option.empty()) {
    if (steps.empty()) return call("audit", Json{{"action", "why"}, {"thing", request.subject}});
    const Step& step = steps[0];
    const auto command = on_path(request.subject, facts.path);
    if (!failed(step) && step.result.value("present", false)) {
      const Json entry = step.result.value("entry", Json());
      return done("Yes, " + request.subject + " is installed through AgntOS (" + str(step.result, "file") + ")" +
                  (entry.is_object() ? when_asked(entry) : std::string()) + ".");
    }
    std::string text = "No, " + request.subject + " isn't installed through AgntOS";
    if (!command.empty()) text += ", but a " + request.subject + " command is on this machine (" + command + "), from outside AgntOS";
    text += ". Say \"install " + request.subject + "\" if you want it.";
    if (!command.empty()) text = "Not through AgntOS: there is a " + request.subject + " command on this machine (" + command +
                                 "), but AgntOS didn't install it.";
    return done(text);
  }
  // A switch: is the option set, and to what?
  if (steps.empty()) return call("audit", Json{{"action", "why"}, {"thing", request.option}});
  const Step& why_step = steps[0];
  if (failed(why_step) || !why_step.result.value("present", false))
    return done("AgntOS hasn't set " + request.label + " (" + request.option +
                "), so your own configuration or NixOS's default decides. Say \"enable " + request.label +
                "\" or \"disable " + request.label + "\" to set it.");
  if (steps.size() == 1) return call("inspect", Json{{"target", "agntos"}});
  if (steps.size() == 2)
    return call("read_file", Json{{"path", config_file(steps[1], str(why_step.result, "file"))}});
  const auto text = file_text(steps[2]);
  const auto last = agntos::split(request.option, '.').back();
  const std::regex value(last + "\\s*=\\s*(true|false)");
  std::smatch m;
  const Json entry = why_step.result.value("entry", Json());
  const auto since = entry.is_object() ? when_asked(entry) : std::string();
  if (std::regex_search(text, m, value))
    return done(std::string(m[1] == "true" ? "Yes, " : "No, ") + request.label + " is " + (m[1] == "true" ? "on" : "off") +
                ": " + str(why_step.result, "file") + " sets " + request.option + " = " + m[1].str() + since + ".");
  return done(capitalised(request.label) + " is set in " + str(why_step.result, "file") + since + ".");
}

Next why_port(const Request& request, std::span<const Step> steps) {
  const bool udp = request.tcp.empty();
  const int port = udp ? request.udp.front() : request.tcp.front();
  const std::string option = udp ? "networking.firewall.allowedUDPPorts" : "networking.firewall.allowedTCPPorts";
  const std::string stem = udp ? "networking-firewall-allowedUDPPorts" : "networking-firewall-allowedTCPPorts";
  const std::string name = "port " + std::to_string(port) + (udp ? " (UDP)" : "");
  const std::string not_ours = "AgntOS didn't open " + name +
                               ". If it is open, your configuration.nix or a service's openFirewall setting opens it.";
  if (steps.empty()) return call("inspect", Json{{"target", "agntos"}});
  if (!manages(steps[0], "options", stem)) return done(not_ours);
  if (steps.size() == 1) return call("read_file", Json{{"path", config_file(steps[0], "options/" + stem + ".nix")}});
  const auto ports = list_of_numbers(file_text(steps[1]), udp ? "allowedUDPPorts" : "allowedTCPPorts");
  if (std::find(ports.begin(), ports.end(), port) == ports.end()) return done(not_ours);
  if (steps.size() == 2) return call("audit", Json{{"action", "why"}, {"thing", option}});
  const Json entry = steps[2].result.value("entry", Json());
  if (!entry.is_object())
    return done(capitalised(name) + " is open in options/" + stem + ".nix, but that file was edited by hand, so the "
                                     "audit log doesn't say why.");
  return done(capitalised(name) + " is open" + when_asked(entry) + ". AgntOS opens " + ports_text(ports) + " (" +
              (udp ? "UDP" : "TCP") + ").");
}

// The longest word of `text` that is not a common one ("the rust thing" -> "rust").
std::string telling_word(const std::string& text) {
  static const std::set<std::string> common{"the", "thing", "that", "about", "this", "with", "what", "like", "prefer",
                                            "always", "never", "usually", "note", "notes", "said", "told", "you",
                                            "your", "mine", "stuff", "things", "which", "from", "have", "them",
                                            "their", "there", "when", "where", "some", "really", "much", "more"};
  std::string best;
  for (const auto& word : agntos::split(text, ' ')) {
    std::string clean;
    for (char c : word)
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '+') clean += c;
    if (clean.size() >= 3 && !common.count(agntos::to_lower(clean)) && clean.size() > best.size()) best = clean;
  }
  return best;
}

Next forget(const Request& request, std::span<const Step> steps, const TurnFacts& facts) {
  std::string target = request.subject;
  if (target.empty() || target == "it") target = facts.last_note;
  if (target.empty()) {
    if (request.subject == "it") return done("OK, never mind.");
    return done("What should I forget? Say \"forget that …\" with words of the note; \"what do you know about me?\" "
                "lists my notes.");
  }
  if (steps.empty()) return call("memory", Json{{"action", "remove"}, {"file", "user"}, {"target", target}});
  if (!failed(steps[0])) return done("Forgotten: " + sentence(str(steps[0].result, "entry")));
  if (error_code(steps[0].result) == "ambiguous")
    return done("More than one note matches \"" + target + "\": say more of the words of the one to forget.");
  if (steps.size() == 1) return call("memory", Json{{"action", "remove"}, {"file", "memory"}, {"target", target}});
  if (!failed(steps[1])) return done("Forgotten: " + sentence(str(steps[1].result, "entry")));
  if (error_code(steps[1].result) == "ambiguous")
    return done("More than one note matches \"" + target + "\": say more of the words of the one to forget.");
  // The words of a note are rarely repeated exactly: its most telling word is tried next.
  const auto keyword = telling_word(target);
  if (!keyword.empty() && agntos::to_lower(keyword) != agntos::to_lower(target)) {
    if (steps.size() == 2) return call("memory", Json{{"action", "remove"}, {"file", "user"}, {"target", keyword}});
    if (!failed(steps[2])) return done("Forgotten: " + sentence(str(steps[2].result, "entry")));
    if (error_code(steps[2].result) == "ambiguous")
      return done("More than one note mentions \"" + keyword + "\": say more of the words of the one to forget.");
    {
      if (steps.size() == 3) return call("memory", Json{{"action", "remove"}, {"file", "memory"}, {"target", keyword}});
      if (!failed(steps[3])) return done("Forgotten: " + sentence(str(steps[3].result, "entry")));
    }
  }
  return done("I have no note matching \"" + target + "\". Say \"what do you know about me?\" to see my notes.");
}

Next rollback(const Request& request, std::span<const Step> steps, const TurnFacts& facts) {
  const bool undo = request.kind == Kind::undo;
  if (steps.empty()) {
    Json args{{"action", undo ? "undo" : "generation"}};
    if (!request.subject.empty()) args["target"] = request.subject;
    (void)facts;
    return call("rollback", args);
  }
  const Step& step = steps[0];
  const auto summary = str(step.result, "summary");
  std::string success;
  if (undo) success = "Undone" + (summary.empty() ? std::string() : ": " + summary) + generation_note(step.result) + ".";
  else success = "The system is back at " +
                 (step.result.contains("generation_after") && step.result["generation_after"].is_number_integer()
                      ? "generation " + std::to_string(step.result["generation_after"].get<long long>())
                      : std::string("the previous generation")) +
                 (summary.empty() ? std::string() : " (" + summary + ")") + ".";
  return done(applied_text(step, success, undo ? "undo that" : "switch generations"));
}

std::string capabilities() {
  return "I'm AgntOS's offline assistant: no LLM is configured, so I follow plain requests about this machine. I can:\n"
         "- install or remove packages (\"install htop\", \"get rid of bat\", \"is git installed?\")\n"
         "- turn services on or off (\"enable docker\", \"turn off bluetooth\")\n"
         "- open or close firewall ports (\"open port 443\", \"disable the firewall\")\n"
         "- set the host name, time zone or locale, and add users (\"add the user bob to the wheel group\")\n"
         "- tell you about the machine (CPU, memory, disk, IP addresses, uptime, failing services, NixOS version)\n"
         "- explain and undo changes (\"why is htop installed?\", \"what changed recently?\", \"undo that\", "
         "\"go back one generation\")\n"
         "- keep notes about you (\"remember that I prefer vim\", \"what do you know about me?\")\n"
         "Every change is shown to you first and applied only when you approve it. For anything else, configure an "
         "LLM with `agntctl model add`.";
}

std::string upgrade(const Request& request) {
  std::string text;
  if (!request.subject.empty())
    text = "I can't update " + request.subject + " on its own: on NixOS every package comes from your nixpkgs version, "
           "so updating it means upgrading the system. ";
  text += "I can't upgrade the system offline: an upgrade fetches newer packages, and I only change this machine's "
          "configuration. To upgrade, run `sudo nixos-rebuild switch --upgrade` (channels), or `nix flake update` in "
          "your flake's directory and then `sudo nixos-rebuild switch --flake .`. Each upgrade is a new generation, so "
          "\"go back one generation\" undoes it.";
  return text;
}

}  // namespace

std::string not_understood(const std::string& words, bool alone) {
  if (alone)
    return "I can't help with that offline: I only understand plain requests about this machine (packages, "
           "services, settings, its history and facts), so for anything else configure an LLM with `agntctl model add`.";
  return "I didn't understand \"" + words + "\", so I left it out.";
}

Next next_step(const Request& request, std::span<const Step> steps, const TurnFacts& facts) {
  switch (request.kind) {
    case Kind::install:
    case Kind::remove:
      return install_or_remove(request, steps, facts);
    case Kind::switches:
      return switches(request, steps, facts);
    case Kind::firewall_ports:
      return firewall_ports(request, steps, facts);
    case Kind::set_option:
      return set_option(request, steps, facts);
    case Kind::user:
      return user(request, steps, facts);
    case Kind::is_installed:
      return is_installed(request, steps, facts);
    case Kind::list_installed:
      if (steps.empty()) return call("inspect", Json{{"target", "agntos"}});
      if (failed(steps[0])) return done("I couldn't read what AgntOS manages: " + sentence(error_message(steps[0].result)));
      return done(managed_answer(steps[0].result));
    case Kind::why:
      return why(request, steps);
    case Kind::why_port:
      return why_port(request, steps);
    case Kind::recent_changes:
      if (steps.empty()) return call("audit", Json{{"action", "list"}, {"limit", 5}});
      if (failed(steps[0])) return done("I couldn't read the audit log: " + sentence(error_message(steps[0].result)));
      return done(changes_answer(steps[0].result));
    case Kind::search_sessions:
      if (steps.empty()) return call("memory", Json{{"action", "search"}, {"query", request.subject}});
      if (failed(steps[0])) return done("I couldn't search our past conversations: " + sentence(error_message(steps[0].result)));
      return done(sessions_answer(request.subject, steps[0].result, facts.message));
    case Kind::undo:
    case Kind::rollback_generation:
      return rollback(request, steps, facts);
    case Kind::list_generations:
      if (steps.empty()) return call("rollback", Json{{"action", "list"}});
      if (failed(steps[0])) return done("I couldn't list the generations: " + sentence(error_message(steps[0].result)));
      return done(generations_answer(steps[0].result));
    case Kind::apply: {
      const auto id = request.subject.empty() ? facts.latest_proposal : request.subject;
      if (id.empty())
        return done("There is nothing waiting for a yes: no proposal is pending. Ask for a change first, e.g. \"install htop\".");
      if (steps.empty()) return call("apply", Json{{"id", id}});
      const auto summary = str(steps[0].result, "summary");
      return done(applied_text(steps[0],
                               "Done" + (summary.empty() ? std::string() : ": " + summary) + generation_note(steps[0].result) +
                                   ". Say \"undo that\" to take it back.",
                               "apply " + id));
    }
    case Kind::remember:
      if (steps.empty())
        return call("memory", Json{{"action", "add"}, {"file", "user"}, {"section", "Preferences"}, {"content", request.subject}});
      if (error_code(steps[0].result) == "duplicate") return done("I already have that note: " + sentence(request.subject));
      if (failed(steps[0])) return done("I couldn't keep that note: " + sentence(error_message(steps[0].result)));
      return done("Noted: " + sentence(request.subject));
    case Kind::memory_show:
      if (steps.empty()) return call("memory", Json{{"action", "show"}});
      if (failed(steps[0])) return done("I couldn't read my notes: " + sentence(error_message(steps[0].result)));
      return done(memory_answer(steps[0].result));
    case Kind::forget:
      return forget(request, steps, facts);
    case Kind::inspect:
      if (steps.empty()) return call("inspect", Json{{"target", request.subject}});
      if (failed(steps[0])) return done("I couldn't read that: " + sentence(error_message(steps[0].result)));
      return done(inspect_answer(request.subject, request.focus, steps[0].result));
    case Kind::capabilities:
      return done(capabilities());
    case Kind::thanks:
      return done(request.subject == "bye" ? "Bye! I'm here when you need me." : "You're welcome!");
    case Kind::greeting:
      return done("Hello! What can I do for you? For example \"install htop\", \"enable ssh\" or \"how much disk space "
                  "is free?\".");
    case Kind::upgrade:
      return done(upgrade(request));
    case Kind::said:
      return done(request.text);
    case Kind::did_you_mean:
      return done("Did you mean: " + request.subject + "?");
    case Kind::unknown:
      return done(not_understood(request.text, true));
  }
  return done(not_understood(request.text, true));
}

}  // namespace agntd::offline
