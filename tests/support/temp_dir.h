// SPDX-License-Identifier: MIT
#pragma once
// A fresh directory under $TMPDIR, removed with everything in it when the object dies.

#include <filesystem>

namespace agntos::testing {

class TempDir {
public:
  TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();
  const std::filesystem::path& path() const { return m_path; }
  std::filesystem::path operator/(const std::filesystem::path& child) const { return m_path / child; }

private:
  std::filesystem::path m_path;
};

}  // namespace agntos::testing
