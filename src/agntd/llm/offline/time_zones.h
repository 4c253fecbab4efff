// SPDX-License-Identifier: MIT
#pragma once
// Time zone names as the system's tzdata has them (the files under $TZDIR, or else the first
// of /usr/share/zoneinfo, /etc/zoneinfo, /run/current-system/sw/share/zoneinfo that exists).
// Only files that start with the TZif magic count, so zone.tab, leapseconds and the like are
// not zones; the posix/ and right/ copies are left out.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agntd::offline {

struct TimeZoneMatch {
  std::optional<std::string> zone;       // the zone's exact name ("America/New_York")
  std::vector<std::string> suggestions;  // when there is no match: up to three close names
  bool have_tzdata = true;               // false when no tzdata directory was found
};

// The zone `words` name: an exact name in any case ("europe/berlin"), or a unique last part
// ("berlin", "new york", "New_York"); "utc" and "gmt" are UTC.
TimeZoneMatch find_time_zone(std::string_view words);

}  // namespace agntd::offline
