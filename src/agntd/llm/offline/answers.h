// SPDX-License-Identifier: MIT
#pragma once
// How the offline assistant words its answers: the first sentence answers, sizes are in
// binary units ("78 GiB free of 252 GiB on /"), durations in words, lists short. Each
// function takes the JSON object a tool printed (agntctl --json) and never throws: a field
// that is missing or of another type is left out of the sentence.

#include <string>
#include <vector>

#include "common/json.h"

namespace agntd::offline {

using agntos::Json;

// 84258521088 -> "78 GiB"; one decimal below 10 units ("1.5 GiB"), whole numbers above.
std::string human_bytes(double bytes);
// 12791 -> "3 hours 33 minutes"; 93784 -> "1 day 2 hours"; 42 -> "42 seconds".
std::string human_duration(long long seconds);
// "a", "a and b", "a, b and c".
std::string and_list(const std::vector<std::string>& items);

// The answer to an inspect target ("cpu", "memory", "disk", "network", "system", "services",
// "nixos", "gpu", "agntos"), with `focus` naming the part asked about ("uptime", "hostname",
// "kernel", "os", "arch", "proposals"; "" for all of it).
std::string inspect_answer(const std::string& target, const std::string& focus, const Json& result);

// What AgntOS installed and manages, from `inspect agntos`.
std::string managed_answer(const Json& agntos);

// Recent changes from `audit list`, generations from `rollback list`, notes from `memory show`,
// past messages from `memory search`.
std::string changes_answer(const Json& audit_list);
std::string generations_answer(const Json& rollback_list);
std::string memory_answer(const Json& memory_show);
std::string sessions_answer(const std::string& query, const Json& search, const std::string& current_message);

// The error message of a failed tool result ({"error":{"code","message"}}), or "" when the
// result is not a failure.
std::string error_message(const Json& result);
std::string error_code(const Json& result);

}  // namespace agntd::offline
