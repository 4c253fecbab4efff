// SPDX-License-Identifier: MIT
#pragma once
// agntctl inspect option <path|words>: NixOS options of this system from its options index
// (options_source.h), with type, default, description and declaring files, so the agent can
// ground a change before proposing it. A path gives that option (a set of options: the options
// below it; an unknown path: the closest ones); words give the options whose names (first) or
// descriptions hold them all, best first. No index: Error(Errc::not_found) saying why.
//
// JSON: {"query", "source", "options": [{name, type, default, description, declarations,
// readOnly}], "exact": bool (the query is an option path), "message": null | text}

#include <string>

#include "agntctl/command.h"

namespace agntctl {

Output inspect_option(Invocation& inv, const std::string& query, size_t limit);

}  // namespace agntctl
