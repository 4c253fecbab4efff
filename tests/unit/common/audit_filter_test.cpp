// SPDX-License-Identifier: MIT
// Which entries `audit list` shows: types, --since and the default that leaves out Generic.
#include <gtest/gtest.h>

#include "common/audit.h"
#include "common/error.h"

namespace agntos {
namespace {

AuditEntry entry(const std::string& type, const std::string& timestamp) {
  auto result = AuditEntry::make(parse_enum<AuditActionType>(type), type + " entry");
  result.timestamp = timestamp;
  return result;
}

// 2026-11-24T10:00:00Z
const auto kNow = std::chrono::system_clock::from_time_t(1795514400);

TEST(AuditFilter, ByDefaultShowsEverySystemChangeButNoGenericEntry) {
  const AuditFilter filter;
  for (const char* type : {"Apply", "Undo", "Rollback", "Recover", "Propose", "Discard"})
    EXPECT_TRUE(filter.matches(entry(type, "2026-01-01T00:00:00.000Z"))) << type;
  EXPECT_FALSE(filter.matches(entry("Generic", "2026-01-01T00:00:00.000Z")));
  AuditFilter all;
  all.include_generic = true;
  EXPECT_TRUE(all.matches(entry("Generic", "2026-01-01T00:00:00.000Z")));
}

TEST(AuditFilter, TypesPickExactlyThoseEntries) {
  AuditFilter filter;
  filter.types = {AuditActionType::undo, AuditActionType::generic};
  EXPECT_TRUE(filter.matches(entry("Undo", "2026-01-01T00:00:00.000Z")));
  EXPECT_TRUE(filter.matches(entry("Generic", "2026-01-01T00:00:00.000Z")));
  EXPECT_FALSE(filter.matches(entry("Apply", "2026-01-01T00:00:00.000Z")));
}

TEST(AuditFilter, SinceKeepsEntriesAtOrAfterTheTimeInEitherTimestampForm) {
  AuditFilter filter;
  filter.since = "2026-11-24T10:00:00.000Z";
  EXPECT_TRUE(filter.matches(entry("Apply", "2026-11-24T10:00:00.000Z")));
  EXPECT_TRUE(filter.matches(entry("Apply", "2026-11-24T10:00:00Z")));  // the prototype's form
  EXPECT_TRUE(filter.matches(entry("Apply", "2026-11-25T00:00:00.000Z")));
  EXPECT_FALSE(filter.matches(entry("Apply", "2026-11-24T09:59:59.999Z")));
}

TEST(AuditFilter, TypeNamesAreCaseInsensitiveRepeatableAndCommaSeparated) {
  EXPECT_EQ(parse_audit_types({"apply,UNDO", "rollback", "apply", " generic "}),
            (std::vector{AuditActionType::apply, AuditActionType::undo, AuditActionType::rollback, AuditActionType::generic}));
  EXPECT_EQ(parse_audit_types({"autorevert,recover,propose,discard"}),
            (std::vector{AuditActionType::auto_revert, AuditActionType::recover, AuditActionType::propose,
                         AuditActionType::discard}));
  EXPECT_TRUE(parse_audit_types({}).empty());
}

TEST(AuditFilter, AnUnknownTypeIsAUsageErrorNamingTheKnownOnes) {
  try {
    parse_audit_types({"apply,install"});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::usage);
    EXPECT_NE(std::string(e.what()).find("'install'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("apply, undo, rollback"), std::string::npos) << e.what();
  }
}

TEST(AuditFilter, SinceTakesDatesAndTimesInUtc) {
  EXPECT_EQ(parse_audit_since("2026-11-24", kNow), "2026-11-24T00:00:00.000Z");
  EXPECT_EQ(parse_audit_since("2026-11-24T10:05", kNow), "2026-11-24T10:05:00.000Z");
  EXPECT_EQ(parse_audit_since("2026-11-24T10:05:30Z", kNow), "2026-11-24T10:05:30.000Z");
  EXPECT_EQ(parse_audit_since("2026-11-24 10:05:30.250", kNow), "2026-11-24T10:05:30.000Z");
}

TEST(AuditFilter, SinceTakesDurationsBackFromNow) {
  EXPECT_EQ(parse_audit_since("45s", kNow), "2026-11-24T09:59:15.000Z");
  EXPECT_EQ(parse_audit_since("30m", kNow), "2026-11-24T09:30:00.000Z");
  EXPECT_EQ(parse_audit_since("2h", kNow), "2026-11-24T08:00:00.000Z");
  EXPECT_EQ(parse_audit_since("3d", kNow), "2026-11-21T10:00:00.000Z");
  EXPECT_EQ(parse_audit_since("1w", kNow), "2026-11-17T10:00:00.000Z");
  EXPECT_EQ(parse_audit_since("0h", kNow), "2026-11-24T10:00:00.000Z");
}

TEST(AuditFilter, SinceRefusesWhatItCannotRead) {
  for (const char* text : {"", "yesterday", "2h30m", "-2h", "2y", "2026-13-01", "2026-02-30", "2026-11-24T25:00",
                           "2026-11-24T10", "2026-11-24T10:00+02:00", "24.11.2026", "99999999999999w"}) {
    try {
      parse_audit_since(text, kNow);
      ADD_FAILURE() << "accepted '" << text << "'";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), Errc::usage) << text;
      EXPECT_NE(std::string(e.what()).find("3d"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace agntos
