// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include <fstream>

#include "common/audit.h"
#include "common/error.h"
#include "common/files.h"
#include "support/temp_dir.h"

namespace agntos {
namespace {

TEST(Audit, AppendedEntryRoundTripsWithEveryKey) {
  testing::TempDir dir;
  AuditLog log(dir / "audit.jsonl");
  auto entry = AuditEntry::make(AuditActionType::apply, "Applied: Install package: htop");
  entry.origin.proposal_id = "p-1";
  entry.origin.prompt = "can you install htop for me";
  entry.files_changed = {"/etc/agntos/packages/htop.nix"};
  entry.generation_before = 41;
  entry.generation_after = 42;
  log.append(entry);
  const auto entries = log.read_all();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].to_json(), entry.to_json());
  // No keys that come and go: nulls are written out.
  const auto line = Json::parse(read_file(dir / "audit.jsonl"));
  EXPECT_TRUE(line.contains("rationale"));
  EXPECT_TRUE(line["rationale"].is_null());
  EXPECT_EQ(line["result"]["status"], "Success");
}

TEST(Audit, TornLastLineIsSkippedOnReadAndRepairedOnAppend) {
  testing::TempDir dir;
  const auto path = dir / "audit.jsonl";
  AuditLog log(path);
  log.append(AuditEntry::make(AuditActionType::generic, "first"));
  {
    std::ofstream out(path, std::ios::app);
    out << R"({"id":"a-torn","timestamp":"2026-)";  // a crash mid-write
  }
  ASSERT_EQ(log.read_all().size(), 1u);
  log.append(AuditEntry::make(AuditActionType::generic, "second"));
  const auto entries = log.read_all();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[1].summary, "second");
  // Every line of the file is now whole JSON.
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) EXPECT_TRUE(Json::accept(line)) << line;
}

TEST(Audit, PrototypeSchemaLinesParse) {
  testing::TempDir dir;
  const auto path = dir / "audit.jsonl";
  write_file_atomic(path,
                    R"({"id":"a-17f0","timestamp":"2026-01-02T03:04:05.123456789Z","action":{"type":"Apply","proposal_id":"p-1"},"actor":"agent","summary":"Applied: Install package: btop","files_changed":["/etc/agntos/packages/btop.nix"],"rollback_hint":"agntctl rollback","result":{"status":"Success","message":null}})"
                    "\n"
                    R"({"id":"a-17f1","timestamp":"2026-01-02T03:04:06Z","action":{"type":"Rollback","generation_id":"41"},"actor":"user","summary":"Rolled back","files_changed":[],"rollback_hint":null,"result":{"status":"Pending","reason":"waiting"}})"
                    "\n"
                    R"({"id":"a-17f2","timestamp":"2026-01-02T03:04:07Z","action":{"type":"Generic","description":"x"},"actor":"user","summary":"x","files_changed":[],"rollback_hint":null,"result":{"status":"Failed","error":"boom"}})"
                    "\n");
  const auto entries = AuditLog(path).read_all();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].action.type, AuditActionType::apply);
  EXPECT_EQ(entries[0].origin.proposal_id, "p-1");
  EXPECT_EQ(entries[0].files_changed.at(0), "/etc/agntos/packages/btop.nix");
  EXPECT_FALSE(entries[0].origin.prompt.has_value());
  EXPECT_EQ(entries[1].action.generation, 41);
  EXPECT_EQ(entries[1].result.status, AuditStatus::pending);
  EXPECT_EQ(entries[1].result.message.value_or(""), "waiting");
  EXPECT_EQ(entries[2].result.status, AuditStatus::failed);
  EXPECT_EQ(entries[2].result.error.value_or(""), "boom");
}

TEST(Audit, MalformedMiddleLineIsSkipped) {
  testing::TempDir dir;
  const auto path = dir / "audit.jsonl";
  AuditLog log(path);
  log.append(AuditEntry::make(AuditActionType::generic, "one"));
  { std::ofstream(path, std::ios::app) << "not json at all\n"; }
  log.append(AuditEntry::make(AuditActionType::generic, "two"));
  EXPECT_EQ(log.read_all().size(), 2u);
}

TEST(Audit, LogsAreMergedByTime) {
  testing::TempDir dir;
  AuditLog a(dir / "a.jsonl");
  AuditLog b(dir / "b.jsonl");
  auto first = AuditEntry::make(AuditActionType::generic, "first");
  first.timestamp = "2026-01-01T00:00:00.000Z";
  auto second = AuditEntry::make(AuditActionType::generic, "second");
  second.timestamp = "2026-01-02T00:00:00.000Z";
  auto third = AuditEntry::make(AuditActionType::generic, "third");
  third.timestamp = "2026-01-03T00:00:00.000Z";
  a.append(first);
  b.append(second);
  a.append(third);
  const auto merged = read_audit_logs({a.path(), b.path(), a.path()});
  ASSERT_EQ(merged.size(), 3u);
  EXPECT_EQ(merged[0].summary, "first");
  EXPECT_EQ(merged[1].summary, "second");
  EXPECT_EQ(merged[2].summary, "third");
}

// The shape of docs/audit.md: whatever the type and the status, and whichever optional facts an
// entry has, it is written with the same keys, in "action" and "result" too.
TEST(Audit, EveryActionTypeAndStatusIsWrittenWithTheSameKeys) {
  auto keys = [](const Json& object) {
    std::vector<std::string> names;
    for (const auto& item : object.items()) names.push_back(item.key());
    return names;
  };
  const Json reference = AuditEntry::make(AuditActionType::generic, "bare").to_json();
  for (const auto type : enum_values<AuditActionType>()) {
    for (const auto status : enum_values<AuditStatus>()) {
      for (const bool full : {false, true}) {
        auto entry = AuditEntry::make(type, "entry");
        entry.result.status = status;
        if (full) {
          entry.origin = ChangeOrigin{"prompt", "rationale", "s-1", "model", "p-1"};
          entry.action.generation = 3;
          entry.action.store_path = "/nix/store/x";
          entry.action.mode = ActivationMode::switch_now;
          entry.action.confirm = Json{{"timeout_s", 60}};
          entry.action.reverts = entry.action.interrupted = entry.action.confirms = "a-1";
          entry.action.reason = "why";
          entry.action.tool = "run_bash";
          entry.result.message = "message";
          entry.result.error = "error";
          entry.approved_by = entry.commit = entry.undoes = entry.rollback_hint = "x";
          entry.generation_before = 1;
          entry.generation_after = 2;
        }
        const auto json = entry.to_json();
        const std::string what = std::string(to_string(type)) + "/" + std::string(to_string(status)) + (full ? "/full" : "");
        EXPECT_EQ(keys(json), keys(reference)) << what;
        EXPECT_EQ(keys(json["action"]), keys(reference["action"])) << what;
        EXPECT_EQ(keys(json["result"]), keys(reference["result"])) << what;
        EXPECT_EQ(json["action"]["type"], to_string(type));
        EXPECT_EQ(AuditEntry::from_json(json).to_json(), json) << what;
      }
    }
  }
  EXPECT_EQ(keys(reference["result"]), (std::vector<std::string>{"status", "message", "error"}));
  EXPECT_TRUE(reference["action"]["confirm"].is_null());
}

// A line exactly as agntctl wrote it before the fixed shape (the proposal id inside "action",
// keys only for what applied, "error" and no "message" in a failed result) still loads, and is
// written back in the fixed shape with the same facts.
TEST(Audit, LinesWrittenBeforeTheFixedShapeLoad) {
  const auto old_apply = AuditEntry::from_json(Json::parse(
      R"({"id":"a-18ed4d5f54917d48","timestamp":"2026-12-02T02:01:38.406Z","action":{"type":"Apply","proposal_id":"p-18ed4d5f05b2767c","store_path":"/nix/store/h281gv5f141cqzmdrg8jyplqyn6dgip5-agntos-system","mode":"switch","confirm":{"timeout_s":30,"deadline":"2026-12-02T02:02:08.366Z","classes":["networking"],"because":["networking.hostName"]}},"actor":"user","approved_by":"--yes","summary":"Applied: Set option: networking.hostName = demo","prompt":"asked in a test","rationale":null,"files_changed":["/etc/agntos/options/networking-hostName.nix"],"files_written":["/etc/agntos/options/networking-hostName.nix"],"files_deleted":[],"packages":[],"generation_before":1,"generation_after":4,"commit":"f9c8485a76406d537c17d8b7a52e833c1de68507","session_id":null,"model":null,"undoes":null,"rollback_hint":"agntctl rollback undo a-18ed4d5f54917d48","result":{"status":"Success","message":null}})"));
  EXPECT_EQ(old_apply.action.type, AuditActionType::apply);
  EXPECT_EQ(old_apply.origin.proposal_id, "p-18ed4d5f05b2767c");
  EXPECT_EQ(old_apply.origin.prompt, "asked in a test");
  EXPECT_EQ(old_apply.action.mode, ActivationMode::switch_now);
  EXPECT_EQ(old_apply.action.confirm["timeout_s"], 30);
  const auto written = old_apply.to_json();
  EXPECT_EQ(written["proposal_id"], "p-18ed4d5f05b2767c");
  EXPECT_FALSE(written["action"].contains("proposal_id"));
  EXPECT_TRUE(written["action"]["reverts"].is_null());

  const auto old_failure = AuditEntry::from_json(Json::parse(
      R"({"id":"a-18ed4d5efaec37ac","timestamp":"2026-12-02T02:01:36.753Z","action":{"type":"Apply","proposal_id":"p-18ed4d5ecaef1d4c"},"actor":"user","approved_by":"--yes","summary":"Applied: Install package: hello","prompt":"asked in a test","rationale":null,"files_changed":[],"files_written":[],"files_deleted":[],"packages":["hello"],"generation_before":null,"generation_after":null,"commit":null,"session_id":null,"model":null,"undoes":null,"rollback_hint":null,"result":{"status":"Failed","error":"nixos-rebuild is not installed"}})"));
  EXPECT_EQ(old_failure.result.status, AuditStatus::failed);
  EXPECT_EQ(old_failure.result.error, "nixos-rebuild is not installed");
  EXPECT_EQ(old_failure.to_json()["result"], (Json{{"status", "Failed"}, {"message", nullptr}, {"error", "nixos-rebuild is not installed"}}));

  const auto old_confirm = AuditEntry::from_json(Json::parse(
      R"({"id":"a-18ed4d5f61df595b","timestamp":"2026-12-02T02:01:38.449Z","action":{"type":"Confirm","confirms":"a-18ed4d5f54917d48"},"summary":"Confirmed","result":{"status":"Success","message":"29 s before the deadline"}})"));
  EXPECT_EQ(old_confirm.action.confirms, "a-18ed4d5f54917d48");
  EXPECT_EQ(old_confirm.result.message, "29 s before the deadline");
}

// A type or status outside the vocabulary is not guessed at: the line is skipped like any
// malformed line, and the rest of the log stays readable.
TEST(Audit, AnUnknownTypeOrStatusMakesTheLineUnreadable) {
  EXPECT_THROW(AuditEntry::from_json(Json::parse(R"({"id":"a-1","action":{"type":"Install"}})")), Error);
  try {
    AuditEntry::from_json(Json::parse(R"({"id":"a-1","result":{"status":"Done"}})"));
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Errc::unknown_value);
    EXPECT_EQ(std::string(e.what()), "audit result status \"Done\" is not one of \"Success\", \"Failed\", \"Pending\"");
  }
  testing::TempDir dir;
  write_file_atomic(dir / "audit.jsonl", R"({"id":"a-1","action":{"type":"Install"}})"
                                         "\n"
                                         R"({"id":"a-2","action":{"type":"Undo"}})"
                                         "\n");
  const auto entries = AuditLog(dir / "audit.jsonl").read_all();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].action.type, AuditActionType::undo);
}

// Found by fuzz/audit_fuzzer: a generation of 1e300 in a hand-edited log was undefined behaviour.
TEST(Audit, OutOfRangeGenerationReadsAsNull) {
  const auto entry = AuditEntry::from_json(
      Json::parse(R"({"id":"a-1","generation_before":1e300,"generation_after":18446744073709551615})"));
  EXPECT_EQ(entry.generation_before, std::nullopt);
  EXPECT_EQ(entry.generation_after, std::nullopt);
}

}  // namespace
}  // namespace agntos

// Which entries `audit list` shows (AuditFilter): types, --since and the default that leaves
// out Generic.
namespace agntos {
namespace {

AuditEntry entry_of(const std::string& type, const std::string& timestamp) {
  auto result = AuditEntry::make(parse_enum<AuditActionType>(type), type + " entry");
  result.timestamp = timestamp;
  return result;
}

// 2026-11-24T10:00:00Z
const auto kNow = std::chrono::system_clock::from_time_t(1795514400);

TEST(AuditFilter, ByDefaultShowsEverySystemChangeButNoGenericEntry) {
  const AuditFilter filter;
  for (const char* type : {"Apply", "Undo", "Rollback", "Recover", "Propose", "Discard"})
    EXPECT_TRUE(filter.matches(entry_of(type, "2026-01-01T00:00:00.000Z"))) << type;
  EXPECT_FALSE(filter.matches(entry_of("Generic", "2026-01-01T00:00:00.000Z")));
  AuditFilter all;
  all.include_generic = true;
  EXPECT_TRUE(all.matches(entry_of("Generic", "2026-01-01T00:00:00.000Z")));
}

TEST(AuditFilter, TypesPickExactlyThoseEntries) {
  AuditFilter filter;
  filter.types = {AuditActionType::undo, AuditActionType::generic};
  EXPECT_TRUE(filter.matches(entry_of("Undo", "2026-01-01T00:00:00.000Z")));
  EXPECT_TRUE(filter.matches(entry_of("Generic", "2026-01-01T00:00:00.000Z")));
  EXPECT_FALSE(filter.matches(entry_of("Apply", "2026-01-01T00:00:00.000Z")));
}

TEST(AuditFilter, SinceKeepsEntriesAtOrAfterTheTimeInEitherTimestampForm) {
  AuditFilter filter;
  filter.since = "2026-11-24T10:00:00.000Z";
  EXPECT_TRUE(filter.matches(entry_of("Apply", "2026-11-24T10:00:00.000Z")));
  EXPECT_TRUE(filter.matches(entry_of("Apply", "2026-11-24T10:00:00Z")));  // the prototype's form
  EXPECT_TRUE(filter.matches(entry_of("Apply", "2026-11-25T00:00:00.000Z")));
  EXPECT_FALSE(filter.matches(entry_of("Apply", "2026-11-24T09:59:59.999Z")));
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
