// SPDX-License-Identifier: MIT
#pragma once
// SHA-256 (FIPS 180-4) of a byte string, as 64 lowercase hex digits. Used for plan digests:
// the human's yes is bound to the SHA-256 of exactly what will be written or undone.

#include <string>
#include <string_view>

namespace agntos {

std::string sha256_hex(std::string_view data);

}  // namespace agntos
