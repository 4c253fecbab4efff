// SPDX-License-Identifier: MIT
#pragma once
// Identifiers: "<prefix>-<hex nanoseconds since the epoch>" (a- audit, p- proposal, s- session).
// Two calls in one process never return the same id, even within one nanosecond.

#include <cstdint>
#include <string>
#include <string_view>

namespace agntos {

std::string make_id(std::string_view prefix);
// True when `text` has the shape of an id with `prefix`: "<prefix>-" and 1 to 32 lowercase hex
// digits (the one check of ids that arrive from outside: command lines, files, requests).
bool is_id(std::string_view text, std::string_view prefix);

// ISO 8601 UTC with milliseconds: 2026-11-24T10:00:00.123Z
std::string iso8601_now();
// ISO 8601 UTC of a time in seconds since the epoch: 2026-11-24T10:00:00Z
std::string iso8601_utc(int64_t seconds);

}  // namespace agntos
