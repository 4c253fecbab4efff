// SPDX-License-Identifier: MIT
#pragma once
// Golden ("characterisation") files: the expected output of a generator, kept in the source
// tree under tests/golden/.

#include <filesystem>
#include <string>

namespace agntos::testing {

// Expects `actual` to equal the file at `golden` (a GoogleTest failure naming the file when it
// differs or is missing). With AGNTOS_ACCEPT_GOLDEN=1 in the environment it writes `actual` to
// the file instead (creating its folders), so a deliberate change is accepted by one run.
void expect_golden(const std::filesystem::path& golden, const std::string& actual);

}  // namespace agntos::testing
