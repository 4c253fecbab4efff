// SPDX-License-Identifier: MIT
#include "support/temp_dir.h"

#include <cstdlib>
#include <string>

#include "common/error.h"

namespace agntos::testing {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/agntos-test-XXXXXX";
  if (!::mkdtemp(pattern.data())) throw_errno("mkdtemp", pattern);
  m_path = std::filesystem::canonical(pattern);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(m_path, ec);
}

}  // namespace agntos::testing
