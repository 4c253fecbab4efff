// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include <cstring>

#include "common/error.h"
#include "common/shared_library.h"

namespace agntos {
namespace {

TEST(SharedLibrary, AMissingLibraryIsAnErrorNamingWhatNeedsItAndEveryCandidate) {
  try {
    SharedLibrary::open({"/nonexistent/libagntos-missing.so.1", "libagntos-missing.so.1"}, "libmissing (for a test)");
    FAIL() << "a missing library loaded";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::failed);
    const std::string message = e.what();
    EXPECT_NE(message.find("libmissing (for a test)"), std::string::npos) << message;
    EXPECT_NE(message.find("/nonexistent/libagntos-missing.so.1, libagntos-missing.so.1"), std::string::npos) << message;
  }
}

TEST(SharedLibrary, TheFirstCandidateThatLoadsIsUsedAndItsFunctionsWork) {
  const auto library = SharedLibrary::open({"/nonexistent/libc.so.6", "libc.so.6"}, "libc");
  EXPECT_EQ(library.path(), "libc.so.6");
  size_t (*length)(const char*) = nullptr;
  library.bind(length, "strlen");
  ASSERT_NE(length, nullptr);
  EXPECT_EQ(length("agntos"), 6u);
}

TEST(SharedLibrary, AMissingFunctionIsAnErrorNamingIt) {
  const auto library = SharedLibrary::open({"libc.so.6"}, "libc");
  try {
    library.symbol("agntos_no_such_function");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("agntos_no_such_function"), std::string::npos);
  }
}

TEST(SharedLibrary, CandidatesAreTheBuildsPathThenTheSoname) {
  EXPECT_EQ(library_candidates("/usr/lib", "libgit2.so.1.5"), (std::vector<std::string>{"/usr/lib/libgit2.so.1.5", "libgit2.so.1.5"}));
  EXPECT_EQ(library_candidates("", "libgit2.so.1.5"), (std::vector<std::string>{"libgit2.so.1.5"}));
}

}  // namespace
}  // namespace agntos
