// SPDX-License-Identifier: MIT
#pragma once
// The ten tools the model may call (SPEC §3), in one table. Each tool is an agntctl
// subcommand: the table gives its name and description as the model sees them, the JSON
// Schema of its arguments, the function that turns the model's arguments into agntctl's argv,
// and whether a call needs the user's approval (apply, rollback). The turn loop enforces the
// flag; nothing else decides which calls are gated.
//
// Argument builders read only the keys their schema declares and check their types; a
// missing or mistyped argument throws Error(Errc::usage) naming it, which becomes a failed
// tool result the model can correct. The argv is always a vector (never a shell string) and
// always ends with --json, so every result is one JSON object.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "agntd/llm/message.h"
#include "common/json.h"

namespace agntd {

using agntos::Json;

enum class Gated { no, yes };

// What a call knows besides the model's arguments.
struct ToolContext {
  std::string user_prompt;  // the user's words of this turn: propose records them (--prompt)
  std::string session_id;   // --session-id
  std::string model;        // --model
  std::optional<std::string> approved_by;      // set by the approval gate: "client:<uid>" or "tty"
  std::optional<std::string> approved_digest;  // the plan digest the user approved (--digest)
  std::optional<std::string> approved_system;  // the store path built for that plan (--store-path)
  bool plan_only = false;                      // build the gated command's --plan instead
};

struct ToolInvocation {
  std::vector<std::string> args;  // after "agntctl"
  std::optional<std::string> stdin_text;
};

struct ToolSpec {
  const char* name;
  const char* description;
  const char* parameters;  // JSON Schema of the arguments object, as compact JSON text
  ToolInvocation (*build)(const Json& args, const ToolContext& context);
  Gated gated;
};

std::span<const ToolSpec> tool_table();
const ToolSpec* find_tool(std::string_view name);
// The schemas as the providers send them.
std::vector<llm::ToolSchema> tool_schemas();

// True when this call changes the system and so needs the user's yes: a gated tool, except
// the read-only `rollback list`.
bool needs_approval(const ToolSpec& tool, const Json& args);

// Bytes of the schemas as the prompt carries them: each tool as compact
// {"name","description","parameters"} JSON.
size_t tool_schemas_bytes();

// `text` cut to at most `limit` characters (UTF-8 code points, never splitting one), followed
// by "\n[output truncated: showed N of M characters]" when it was cut.
std::string cap_output(std::string_view text, size_t limit);

}  // namespace agntd
