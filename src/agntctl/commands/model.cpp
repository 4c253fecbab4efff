// SPDX-License-Identifier: MIT
// agntctl model [list | route <class> <profile> | add <name> --endpoint E --model M
//                [--provider P] [--api-key-env V] | remove <name>]
//
// Edits are made to the text of models.toml line by line (ModelsTomlEditor), so the user's
// comments and ordering survive; the result is parsed again before it replaces the file.
#include <algorithm>
#include <cstdlib>

#include "agntctl/commands.h"
#include "agntctl/models_toml_editor.h"
#include "common/error.h"
#include "common/files.h"
#include "common/models_config.h"
#include "common/text.h"

namespace agntctl {
namespace {

using agntos::Errc;
using agntos::Error;
using agntos::ModelProfile;
using agntos::ModelsConfig;

constexpr const char* kNewFileHeader =
    "# AgntOS LLM endpoints. See docs/providers.md; edit by hand or with 'agntctl model'.\n";

std::optional<bool> key_is_set(const ModelProfile& profile) {
  if (profile.api_key_env.empty()) return std::nullopt;
  const char* value = std::getenv(profile.api_key_env.c_str());
  return value && *value;
}

std::string pad(std::string text, size_t width) {
  if (text.size() < width) text += std::string(width - text.size(), ' ');
  return text + "  ";
}

Output list_output(const ModelsConfig& config) {
  Output output;
  const ModelProfile serving = config.resolve("chat");
  Json profiles = Json::array();
  for (const auto& profile : config.profiles) {
    Json json = profile.to_json();
    json["is_default"] = profile.name == "default";
    json["api_key_set"] = agntos::json_or_null(key_is_set(profile));
    profiles.push_back(json);
  }
  Json routes = Json::object();
  for (const auto& [task_class, profile] : config.routes) routes[task_class] = profile;
  output.json = Json{{"file", config.file.string()},
                     {"exists", config.file_exists},
                     {"default", config.find("default") ? Json("default") : Json(nullptr)},
                     {"profiles", profiles},
                     {"routes", routes},
                     {"chat", serving.name}};

  if (!config.file_exists) {
    output.text = "no " + config.file.string() + ": the offline provider answers.\n"
                  "Add an endpoint with: agntctl model add default --endpoint URL --model NAME\n";
    return output;
  }
  size_t name_width = 7, provider_width = 8, model_width = 5, endpoint_width = 8;
  for (const auto& profile : config.profiles) {
    name_width = std::max(name_width, profile.name.size());
    provider_width = std::max(provider_width, agntos::provider_name(profile.provider).size());
    model_width = std::max(model_width, profile.model.size());
    endpoint_width = std::max(endpoint_width, profile.endpoint.size());
  }
  std::string& text = output.text;
  text = config.file.string() + "\n";
  text += "  " + pad("PROFILE", name_width) + pad("PROVIDER", provider_width) + pad("MODEL", model_width) + "ENDPOINT\n";
  for (const auto& profile : config.profiles) {
    std::string line = (profile.name == "default" ? "* " : "  ") + pad(profile.name, name_width) +
                       pad(std::string(agntos::provider_name(profile.provider)), provider_width) +
                       pad(profile.model.empty() ? "-" : profile.model, model_width) +
                       (profile.endpoint.empty() ? "-" : profile.endpoint);
    if (const auto set = key_is_set(profile)) {
      line = pad(line, 2 + name_width + 2 + provider_width + 2 + model_width + 2 + endpoint_width);
      line += "key: $" + profile.api_key_env + (*set ? " (set)" : " (NOT SET)");
    }
    text += line + "\n";
  }
  if (config.profiles.empty()) text += "  (no profiles)\n";
  for (const auto& [task_class, profile] : config.routes) text += "route: " + task_class + " -> " + profile + "\n";
  text += "chat is served by: " + serving.name + (serving.provider == agntos::ProviderKind::offline ? " (offline)" : "") + "\n";
  return output;
}

void require_name(const std::string& name, const char* what) {
  if (!agntos::is_valid_profile_name(name))
    throw Error(Errc::usage, std::string(what) + " \"" + name + "\" may only contain letters, digits, '-' and '_'");
}

bool is_env_name(const std::string& name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (const char c : name)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

std::string known_profiles(const ModelsConfig& config) {
  std::vector<std::string> names;
  for (const auto& profile : config.profiles) names.push_back(profile.name);
  return names.empty() ? "none yet" : agntos::join(names, ", ");
}

}  // namespace

Output run_model(Invocation& inv) {
  CLI::App app{"LLM profiles in models.toml (comments and ordering are kept when editing).\n"
               "  model list                          profiles, the default, and routes\n"
               "  model route <class> <profile>       send a task class (e.g. chat) to a profile\n"
               "  model add <name> --endpoint URL --model NAME [--provider P] [--api-key-env VAR]\n"
               "                                      add a profile, or change the given keys of one\n"
               "  model remove <name>                 remove a profile and the routes to it"};
  const std::string& action = inv.add_action(app, "list | route | add | remove");
  std::vector<std::string> rest;
  std::string endpoint, model, provider, api_key_env;
  app.add_option("args", rest, "profile name, or task class and profile for route");
  app.add_option("--endpoint", endpoint, "base URL, e.g. http://127.0.0.1:8081/v1");
  app.add_option("--model", model, "model name the endpoint knows");
  app.add_option("--provider", provider, "openai (default; any OpenAI-compatible server) | anthropic | offline")
      ->check(CLI::IsMember({"openai", "anthropic", "offline"}));
  app.add_option("--api-key-env", api_key_env, "NAME of the environment variable holding the API key");
  inv.parse(app);

  const auto& paths = inv.paths();
  const auto file = paths.models_file();
  if (action == "list") {
    if (!rest.empty()) throw Error(Errc::usage, "model list takes no arguments");
    return list_output(ModelsConfig::load(file));
  }

  const auto existing = agntos::read_file_if_exists(file);
  const ModelsConfig before = ModelsConfig::parse(existing.value_or(""), file.string());
  ModelsTomlEditor editor(existing ? *existing : kNewFileHeader);

  Output output;
  output.json = Json{{"action", action}, {"file", file.string()}, {"profile", nullptr}, {"task_class", nullptr},
                     {"routes_removed", Json::array()}};
  if (action == "add") {
    if (rest.size() != 1) throw Error(Errc::usage, "usage: agntctl model add <name> --endpoint URL --model NAME");
    const std::string& name = rest[0];
    require_name(name, "profile name");
    if (name == "profiles" || name == "routing") throw Error(Errc::usage, "\"" + name + "\" is reserved in models.toml");
    if (!api_key_env.empty() && !is_env_name(api_key_env))
      throw Error(Errc::usage, "--api-key-env takes the NAME of an environment variable (letters, digits, _), "
                               "not the key itself; export the key in that variable");
    const bool exists = before.find(name) != nullptr;
    if (exists && !editor.has_profile_table(name))
      throw Error(Errc::failed, "profile " + name + " is not written as its own table in " + file.string() +
                                    "; edit that file by hand");
    if (!exists && provider != "offline") {
      if (model.empty()) throw Error(Errc::usage, "a new profile needs --model NAME");
      if (endpoint.empty() && provider != "anthropic") throw Error(Errc::usage, "a new profile needs --endpoint URL");
    }
    std::vector<std::pair<std::string, std::string>> values;
    if (!provider.empty()) values.emplace_back("provider", provider);
    if (!endpoint.empty()) values.emplace_back("endpoint", endpoint);
    if (!model.empty()) values.emplace_back("model", model);
    if (!api_key_env.empty()) values.emplace_back("api_key_env", api_key_env);
    if (values.empty()) throw Error(Errc::usage, "nothing to change: give --endpoint, --model, --provider or --api-key-env");
    const bool created = editor.set_profile(name, values);
    output.json["action"] = created ? "add" : "update";
    output.json["profile"] = name;
    output.text = std::string(created ? "added" : "updated") + " profile " + name;
    if (created && name != "default" && !before.find("default"))
      output.text += "\nno [default] profile: route a task to it with 'agntctl model route chat " + name + "'";
  } else if (action == "remove") {
    if (rest.size() != 1) throw Error(Errc::usage, "usage: agntctl model remove <name>");
    const std::string& name = rest[0];
    if (name == "default")
      throw Error(Errc::refused, "the default profile is not removed; to go offline use "
                                 "'agntctl model add default --provider offline'");
    if (!before.find(name))
      throw Error(Errc::not_found, "no profile " + name + " in " + file.string() + " (profiles: " + known_profiles(before) + ")");
    if (!editor.has_profile_table(name))
      throw Error(Errc::failed, "profile " + name + " is not written as its own table in " + file.string() +
                                    "; edit that file by hand");
    for (const auto& [task_class, target] : before.routes) {
      if (target != name) continue;
      editor.remove_route(task_class);
      output.json["routes_removed"].push_back(task_class);
    }
    editor.remove_profile(name);
    output.json["profile"] = name;
    output.text = "removed profile " + name;
    for (const auto& task_class : output.json["routes_removed"])
      output.text += "\nremoved route " + task_class.get<std::string>() + " (it now goes to the default)";
  } else {  // route
    if (rest.size() != 2) throw Error(Errc::usage, "usage: agntctl model route <class> <profile>");
    const std::string& task_class = rest[0];
    const std::string& name = rest[1];
    require_name(task_class, "task class");
    if (!before.find(name))
      throw Error(Errc::not_found, "no profile " + name + " in " + file.string() + " (profiles: " + known_profiles(before) +
                                       "); add it with 'agntctl model add'");
    editor.set_route(task_class, name);
    output.json["profile"] = name;
    output.json["task_class"] = task_class;
    output.text = "route " + task_class + " -> " + name;
  }

  const std::string updated = editor.text();
  try {
    ModelsConfig::parse(updated, file.string());
  } catch (const Error& e) {
    throw Error(Errc::refused, std::string("the change would make models.toml invalid, so nothing was written: ") + e.what());
  }
  agntos::write_file_atomic(file, updated, 0644, agntos::MakeParents::yes);
  return output;
}

}  // namespace agntctl
