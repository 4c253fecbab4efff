// SPDX-License-Identifier: MIT
#include "common/models_config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdlib>
#include <map>

#include "common/error.h"
#include "common/secret_env.h"
#include "common/files.h"
#include "common/text.h"

namespace agntos {
namespace {

constexpr const char* kOpenAiEndpoint = "https://api.openai.com/v1";
constexpr const char* kAnthropicEndpoint = "https://api.anthropic.com/v1";

// What one table says, before [default]'s values fill the gaps.
struct RawProfile {
  std::string name;
  uint32_t line = 0;
  std::optional<std::string> provider, endpoint, model, api_key_env;
  std::optional<long> max_tokens;
  std::optional<double> temperature;
  std::optional<bool> supports_tools;
};

bool is_env_name(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::string at_line(const std::string& where, const toml::node& node) {
  return where + ":" + std::to_string(node.source().begin.line);
}

RawProfile read_profile(const toml::table& table, const std::string& name, const std::string& where) {
  RawProfile raw;
  raw.name = name;
  raw.line = table.source().begin.line;
  const std::string label = name == "default" ? "[default]" : "profile '" + name + "'";
  auto string_key = [&](const char* key, std::optional<std::string>& out) {
    const toml::node* node = table.get(key);
    if (!node) return;
    const auto value = node->value<std::string>();
    if (!value) throw Error(Errc::failed, at_line(where, *node) + ": " + label + ": " + key + " must be a string");
    out = *value;
  };
  string_key("provider", raw.provider);
  string_key("endpoint", raw.endpoint);
  string_key("model", raw.model);
  // api_key_env is checked without ever echoing its value: a user who pasted the key itself
  // here must not see it repeated in a log or terminal.
  if (const toml::node* node = table.get("api_key_env")) {
    const auto value = node->value<std::string>();
    if (!value || (!value->empty() && !is_env_name(*value)))
      throw Error(Errc::failed, at_line(where, *node) + ": " + label +
                                    ": api_key_env must be the NAME of an environment variable (letters, digits, _), "
                                    "not the key itself; put the key in that variable");
    raw.api_key_env = *value;
  }
  if (const toml::node* node = table.get("provider"); node && raw.provider &&
      *raw.provider != "openai" && *raw.provider != "anthropic" && *raw.provider != "offline")
    throw Error(Errc::failed, at_line(where, *node) + ": " + label + ": provider = \"" + *raw.provider +
                                  "\" is not one of \"openai\", \"anthropic\", \"offline\"");
  if (const toml::node* node = table.get("max_tokens")) {
    const auto value = node->is_integer() ? node->value<int64_t>() : std::nullopt;
    if (!value || *value <= 0)
      throw Error(Errc::failed, at_line(where, *node) + ": " + label + ": max_tokens must be a positive integer");
    raw.max_tokens = static_cast<long>(*value);
  }
  if (const toml::node* node = table.get("temperature")) {
    const auto value = (node->is_floating_point() || node->is_integer()) ? node->value<double>() : std::nullopt;
    if (!value || *value < 0)
      throw Error(Errc::failed, at_line(where, *node) + ": " + label + ": temperature must be a number >= 0");
    raw.temperature = *value;
  }
  if (const toml::node* node = table.get("supports_tools")) {
    const auto value = node->value<bool>();
    if (!value) throw Error(Errc::failed, at_line(where, *node) + ": " + label + ": supports_tools must be true or false");
    raw.supports_tools = *value;
  }
  return raw;
}

ModelProfile finish_profile(const RawProfile& raw, const RawProfile* defaults, const std::string& where) {
  // A key the profile leaves out comes from [default] - except that a profile naming another
  // provider than [default]'s takes nothing provider-specific from it (an Anthropic profile
  // must not inherit a local server's endpoint and model).
  auto effective_provider = [](const RawProfile& profile) {
    return profile.provider.value_or(profile.endpoint && !profile.endpoint->empty() ? "openai" : "offline");
  };
  const bool same_provider = defaults && (!raw.provider || *raw.provider == effective_provider(*defaults));
  auto pick = [&](const auto& own, auto member) { return own || !defaults ? own : (*defaults).*member; };
  auto pick_specific = [&](const auto& own, auto member) { return own || !same_provider ? own : (*defaults).*member; };
  const auto provider = pick(raw.provider, &RawProfile::provider);
  const auto endpoint = pick_specific(raw.endpoint, &RawProfile::endpoint);
  const auto model = pick_specific(raw.model, &RawProfile::model);
  const auto key_env = pick_specific(raw.api_key_env, &RawProfile::api_key_env);
  const auto max_tokens = pick(raw.max_tokens, &RawProfile::max_tokens);
  const auto temperature = pick(raw.temperature, &RawProfile::temperature);
  const auto tools = pick(raw.supports_tools, &RawProfile::supports_tools);

  ModelProfile profile;
  profile.name = raw.name;
  const std::string label = where + ":" + std::to_string(raw.line) + ": " +
                            (raw.name == "default" ? "[default]" : "profile '" + raw.name + "'");
  if (provider) {
    profile.provider = *provider == "anthropic" ? ProviderKind::anthropic
                       : *provider == "offline" ? ProviderKind::offline
                                                : ProviderKind::openai;
  } else {
    profile.provider = endpoint && !endpoint->empty() ? ProviderKind::openai : ProviderKind::offline;
  }
  profile.endpoint = endpoint.value_or("");
  while (!profile.endpoint.empty() && profile.endpoint.back() == '/') profile.endpoint.pop_back();
  profile.model = model.value_or("");
  profile.api_key_env = key_env.value_or("");
  if (max_tokens) profile.max_tokens = *max_tokens;
  profile.temperature = temperature;
  if (tools) profile.supports_tools = *tools;

  if (profile.provider != ProviderKind::offline) {
    if (profile.endpoint.empty())
      profile.endpoint = profile.provider == ProviderKind::anthropic ? kAnthropicEndpoint : kOpenAiEndpoint;
    if (!starts_with(profile.endpoint, "http://") && !starts_with(profile.endpoint, "https://"))
      throw Error(Errc::failed, label + ": endpoint \"" + profile.endpoint + "\" must start with http:// or https://");
    if (profile.model.empty())
      throw Error(Errc::failed, label + ": model is required for provider " +
                                    std::string(provider_name(profile.provider)) + " (set it here or in [default])");
  }
  return profile;
}

}  // namespace

std::string_view provider_name(ProviderKind kind) {
  switch (kind) {
    case ProviderKind::openai: return "openai";
    case ProviderKind::anthropic: return "anthropic";
    case ProviderKind::offline: return "offline";
  }
  return "offline";
}

Json ModelProfile::to_json() const {
  auto or_null = [](const std::string& value) { return value.empty() ? Json(nullptr) : Json(value); };
  return Json{{"name", name},
              {"provider", provider_name(provider)},
              {"endpoint", or_null(endpoint)},
              {"model", or_null(model)},
              {"api_key_env", or_null(api_key_env)},
              {"max_tokens", max_tokens},
              {"temperature", json_or_null(temperature)},
              {"supports_tools", supports_tools}};
}

ModelProfile offline_profile() {
  ModelProfile profile;
  profile.name = "offline";
  profile.provider = ProviderKind::offline;
  return profile;
}

bool is_valid_profile_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

ModelsConfig ModelsConfig::load(const std::filesystem::path& file) {
  const auto text = read_file_if_exists(file);
  if (!text) {
    ModelsConfig config;
    config.file = file;
    return config;
  }
  auto config = parse(*text, file.string());
  config.file = file;
  config.file_exists = true;
  return config;
}

ModelsConfig ModelsConfig::parse(std::string_view text, const std::string& where) {
  toml::table root;
  try {
    root = toml::parse(text, where);
  } catch (const toml::parse_error& e) {
    throw Error(Errc::failed, where + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description()) +
                                  " (fix the file, or remove it to use the offline provider)");
  }

  std::vector<RawProfile> raws;
  const RawProfile* defaults = nullptr;
  std::optional<RawProfile> default_raw;
  auto add = [&](RawProfile raw, const toml::node& node) {
    for (const auto& existing : raws)
      if (existing.name == raw.name)
        throw Error(Errc::failed, at_line(where, node) + ": profile '" + raw.name + "' is defined twice");
    raws.push_back(std::move(raw));
  };
  for (auto&& [key, node] : root) {
    const std::string name(key.str());
    const toml::table* table = node.as_table();
    if (name == "default") {
      if (!table) throw Error(Errc::failed, at_line(where, node) + ": default must be a table ([default])");
      add(read_profile(*table, "default", where), node);
    } else if (name == "profiles") {
      if (!table) throw Error(Errc::failed, at_line(where, node) + ": profiles must be a table ([profiles.<name>])");
      for (auto&& [profile_key, profile_node] : *table) {
        const std::string profile_name(profile_key.str());
        const toml::table* profile_table = profile_node.as_table();
        if (!profile_table)
          throw Error(Errc::failed, at_line(where, profile_node) + ": profiles." + profile_name +
                                        " must be a table ([profiles." + profile_name + "])");
        add(read_profile(*profile_table, profile_name, where), profile_node);
      }
    } else if (name == "routing") {
      if (!table) throw Error(Errc::failed, at_line(where, node) + ": routing must be a table ([routing])");
    } else if (table && (table->contains("endpoint") || table->contains("model"))) {
      add(read_profile(*table, name, where), node);  // legacy flat profile table
    }
  }
  std::sort(raws.begin(), raws.end(), [](const RawProfile& a, const RawProfile& b) { return a.line < b.line; });
  for (const auto& raw : raws)
    if (raw.name == "default") default_raw = raw;
  if (default_raw) defaults = &*default_raw;

  ModelsConfig config;
  for (const auto& raw : raws) config.profiles.push_back(finish_profile(raw, raw.name == "default" ? nullptr : defaults, where));

  if (const toml::table* routing = root["routing"].as_table()) {
    std::vector<std::pair<uint32_t, std::pair<std::string, std::string>>> routes;
    for (auto&& [key, node] : *routing) {
      const std::string task_class(key.str());
      const auto target = node.value<std::string>();
      if (!target)
        throw Error(Errc::failed, at_line(where, node) + ": [routing] " + task_class + " must be a profile name (a string)");
      if (!config.find(*target)) {
        std::vector<std::string> known;
        for (const auto& profile : config.profiles) known.push_back(profile.name);
        throw Error(Errc::failed, at_line(where, node) + ": [routing] " + task_class + " = \"" + *target +
                                      "\" names no profile (known: " + (known.empty() ? "none" : join(known, ", ")) + ")");
      }
      routes.push_back({node.source().begin.line, {task_class, *target}});
    }
    std::sort(routes.begin(), routes.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& route : routes) config.routes.push_back(std::move(route.second));
  }
  return config;
}

const ModelProfile* ModelsConfig::find(std::string_view name) const {
  for (const auto& profile : profiles)
    if (profile.name == name) return &profile;
  return nullptr;
}

std::optional<std::string> ModelsConfig::route(std::string_view task_class) const {
  for (const auto& [from, to] : routes)
    if (from == task_class) return to;
  return std::nullopt;
}

ModelProfile ModelsConfig::resolve(std::string_view task_class) const {
  if (const auto target = route(task_class))
    if (const ModelProfile* profile = find(*target)) return *profile;
  if (const ModelProfile* profile = find("default")) return *profile;
  return offline_profile();
}

std::optional<std::string> read_api_key(const ModelProfile& profile) {
  if (profile.api_key_env.empty()) return std::nullopt;
  // agntd has moved the key out of its environment at start (secret_env.h).
  const auto value = secret_variable(profile.api_key_env);
  if (!value || value->empty())
    throw Error(Errc::failed, "the environment variable " + profile.api_key_env + " (api_key_env of models.toml profile '" +
                                  profile.name + "') is not set; export it before starting agntd, or remove api_key_env "
                                  "for an endpoint that needs no key");
  return *value;
}

}  // namespace agntos
