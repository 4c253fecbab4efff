// SPDX-License-Identifier: MIT
#pragma once
// The rows of docs/BENCHMARKS.md that time agntctl (and SQLite's session search), each
// printing its figures (support/report.h) as it finishes.

#include <cstddef>
#include <vector>

#include "support/context.h"

namespace agntos::bench {

// --version, inspect system --json, audit list, read: interleaved with /bin/true.
void startup_row(const Context& context);
// audit list over logs of each size, interleaved with /bin/true.
void audit_list_row(const Context& context, const std::vector<size_t>& entries);
// audit search over logs of each size, interleaved with /bin/true and grep -i.
void audit_search_row(const Context& context, const std::vector<size_t>& entries);
// propose install (found, and a typo with its did-you-mean), --no-build, per package-set size.
void propose_row(const Context& context, const std::vector<size_t>& attributes);
// apply with the Nix build and activation subtracted, per history size, and with none.
void apply_row(const Context& context, const std::vector<size_t>& commits, size_t audit_entries);
// SessionStore::search in process, and agntctl memory search, per number of messages.
// The commands that answer from the history (History, the audit index): inspect agntos,
// proposals list, rollback list, audit why; in the apply row's config dirs.
void history_row(const Context& context, const std::vector<size_t>& commits, size_t audit_entries);
void session_search_row(const Context& context, const std::vector<size_t>& messages);

}  // namespace agntos::bench
