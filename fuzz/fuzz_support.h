// SPDX-License-Identifier: MIT
#pragma once
// Helpers shared by the fuzz targets: a scratch directory for the parsers that read files, and
// FUZZ_CHECK for the properties a target asserts beyond "does not crash".

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace fuzz {

// The input as text.
inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// One directory per process, in /dev/shm when there is one (inputs are written to files at
// every run), removed when the process exits normally.
class ScratchDir {
public:
  static const std::filesystem::path& get() {
    static ScratchDir dir;
    return dir.m_path;
  }

private:
  ScratchDir() {
    const char* base = std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : "/tmp";
    std::string pattern = std::string(base) + "/agntos-fuzz-XXXXXX";
    if (!::mkdtemp(pattern.data())) {
      std::perror("mkdtemp");
      std::abort();
    }
    m_path = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
  }
  std::filesystem::path m_path;
};

// Replaces `path` with exactly `content` (plain write: the fuzzer is the only writer).
inline void put_file(const std::filesystem::path& path, std::string_view content) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (!out) {
    std::perror(path.c_str());
    std::abort();
  }
}

}  // namespace fuzz

// A property of the code under test that failed: report it the way a crash is reported.
#define FUZZ_CHECK(condition)                                                                 \
  do {                                                                                        \
    if (!(condition)) {                                                                       \
      std::fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                           \
    }                                                                                         \
  } while (false)
