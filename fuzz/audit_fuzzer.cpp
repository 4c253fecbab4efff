// SPDX-License-Identifier: MIT
// The audit log (src/common/audit.h). The input is audit.jsonl as a crash, an older version or
// a hand edit may have left it. Properties: reading never fails (malformed and torn lines are
// skipped); every entry read serialises and reads back to itself; appending after a torn tail
// keeps every entry that was readable and adds exactly the new one at the end.

#include "common/audit.h"
#include "common/error.h"
#include "fuzz_support.h"

using agntos::AuditEntry;
using agntos::AuditLog;

namespace {

std::string line_of(const AuditEntry& entry) {
  return entry.to_json().dump(-1, ' ', false, agntos::Json::error_handler_t::replace);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto file = fuzz::ScratchDir::get() / "audit.jsonl";
  fuzz::put_file(file, fuzz::as_text(data, size));
  const AuditLog log(file);

  const auto before = log.read_all();
  for (const auto& entry : before) {
    FUZZ_CHECK(!entry.id.empty());
    const std::string line = line_of(entry);
    FUZZ_CHECK(line_of(AuditEntry::from_json(agntos::Json::parse(line))) == line);
  }

  AuditEntry added;
  added.id = "a-fuzz";
  added.timestamp = "2025-01-01T00:00:00Z";
  added.action.type = agntos::AuditActionType::apply;
  added.summary = "appended by the fuzzer";
  log.append(added);
  const auto after = log.read_all();
  FUZZ_CHECK(after.size() == before.size() + 1);
  for (size_t i = 0; i < before.size(); ++i) FUZZ_CHECK(line_of(after[i]) == line_of(before[i]));
  FUZZ_CHECK(line_of(after.back()) == line_of(added));
  return 0;
}
