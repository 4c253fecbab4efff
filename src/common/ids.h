// SPDX-License-Identifier: MIT
#pragma once
// Identifiers: "<prefix>-<hex nanoseconds since the epoch>" (a- audit, p- proposal, s- session).
// Two calls in one process never return the same id, even within one nanosecond.

#include <string>
#include <string_view>

namespace agntos {

std::string make_id(std::string_view prefix);

// ISO 8601 UTC with milliseconds: 2026-11-24T10:00:00.123Z
std::string iso8601_now();

}  // namespace agntos
