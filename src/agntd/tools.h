// SPDX-License-Identifier: MIT
#pragma once
// The ten tools the model may call (SPEC §3), in one table. Each tool is an agntctl
// subcommand: the table gives its name and description as the model sees them, the JSON
// Schema of its arguments (whose action words come from common/vocabulary.h), the function
// that turns the model's arguments into agntctl's argv, and its Gate: which of its calls need
// the user's approval and which agntctl command they drive. The turn loop enforces the gate;
// nothing else decides which calls are gated.
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
#include "common/vocabulary.h"

namespace agntd {

using agntos::Json;

// Which calls of a tool need the user's yes, and the agntctl command they drive (whose
// confirming actions they are: tests hold the two tables to each other).
struct Gate {
  std::string_view drives;      // empty: no call of this tool is gated
  std::string_view action_key;  // empty: every call is gated; else the argument naming the action
  std::array<std::string_view, 2> actions{};  // with action_key: the gated values of that argument
  bool gated() const { return !drives.empty(); }
  // True when the call with `args` needs approval. An absent action is the command's default,
  // which is never a gated one.
  bool gates(const Json& args) const;
};

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
  Gate gate;
  // The words of the argument `choice_key` (its enum in the schema), from common/vocabulary.h.
  std::string_view choice_key{};
  std::span<const agntos::Word> choices{};
};

std::span<const ToolSpec> tool_table();
const ToolSpec* find_tool(std::string_view name);
// The schemas as the providers send them (parsed once).
const std::vector<llm::ToolSchema>& tool_schemas();

// True when this call changes the system and so needs the user's yes (the tool's Gate).
inline bool needs_approval(const ToolSpec& tool, const Json& args) { return tool.gate.gates(args); }

// Bytes of the schemas as the prompt carries them: each tool as compact
// {"name","description","parameters"} JSON.
size_t tool_schemas_bytes();

// `text` cut to at most `limit` characters (UTF-8 code points, never splitting one), followed
// by "\n[output truncated: showed N of M characters]" when it was cut.
std::string cap_output(std::string_view text, size_t limit);

}  // namespace agntd
