// SPDX-License-Identifier: MIT
#pragma once
// Sizes and durations as people read them, shared by the snapshot and `agntctl inspect`.

#include <cstdint>
#include <string>

namespace agntos {

// "53G", "9.8G", "512M", "0B" (powers of 1024, like df -h).
std::string human_size(uint64_t bytes);
// "3d 4h", "4h 12m", "12m", "45s".
std::string human_duration(long long seconds);

}  // namespace agntos
