// SPDX-License-Identifier: MIT
// Typed values and their one table of spellings (common/enum_names.h), for every enum of
// common/ that is written to a file or read from one.
#include <gtest/gtest.h>

#include "common/audit.h"
#include "common/enum_names.h"
#include "common/error.h"
#include "common/settings.h"

namespace agntos {
namespace {

template <typename E>
void expect_every_value_round_trips(std::initializer_list<std::string_view> spellings) {
  std::vector<std::string_view> names;
  for (const auto value : enum_values<E>()) {
    names.push_back(to_string(value));
    EXPECT_EQ(enum_from_string<E>(to_string(value)), value) << to_string(value);
    EXPECT_EQ(parse_enum<E>(to_string(value)), value) << to_string(value);
  }
  EXPECT_EQ(names, std::vector<std::string_view>(spellings));
}

TEST(EnumNames, EveryValueRoundTripsThroughItsOneSpelling) {
  expect_every_value_round_trips<AuditActionType>(
      {"Apply", "Undo", "Rollback", "Recover", "Propose", "AutoRevert", "Confirm", "Discard", "Generic"});
  expect_every_value_round_trips<AuditStatus>({"Success", "Failed", "Pending"});
  expect_every_value_round_trips<RebuildBackend>({"nixos", "profile"});
  expect_every_value_round_trips<SandboxPolicy>({"required", "off"});
}

TEST(EnumNames, AnUnknownWordIsAnErrorNamingItAndTheValidOnes) {
  EXPECT_EQ(enum_from_string<AuditStatus>("success"), std::nullopt);  // spellings are exact
  try {
    parse_enum<RebuildBackend>("docker");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::unknown_value);
    EXPECT_EQ(e.code_name(), "unknown_value");
    EXPECT_EQ(std::string(e.what()), "rebuild backend \"docker\" is not one of \"nixos\", \"profile\"");
  }
  try {
    parse_enum<AuditActionType>("Install", "journal: kind =");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "journal: kind = \"Install\" is not one of \"Apply\", \"Undo\", \"Rollback\", \"Recover\", \"Propose\", "
              "\"AutoRevert\", \"Confirm\", \"Discard\", \"Generic\"");
  }
}

}  // namespace
}  // namespace agntos
