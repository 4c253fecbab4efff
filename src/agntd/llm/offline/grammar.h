// SPDX-License-Identifier: MIT
#pragma once
// The offline assistant's grammar: from what a person types to the requests in it.
//
// A message is cut into sentences, and a sentence into clauses where "and", "then", "also" or
// a comma starts a new request ("install htop and enable ssh"); a clause is read only when
// the words after the cut make a request of their own, so "install htop and btop" and "open
// ports 80 and 443" stay one request each. Politeness around a request ("could you…",
// "please", "for me", "thanks") is dropped. Each clause is then read by category, first match
// wins: proposal and audit ids, small talk, what-can-you-do, memory, history (why, what
// changed, have we talked about, undo, generations), yes/apply, users, firewall, host name,
// time zone, locale, "set OPTION VALUE", what AgntOS installed, the machine's facts, "is X
// installed", services and switches (names.h), upgrades, and last packages. A clause that
// matches nothing, but would with one verb corrected ("instll htop"), becomes a did-you-mean
// question; anything else is unknown and the answer says so.
//
// A name is never read as something else: "add the user bob" is a user, never the packages
// "user" and "bob"; a service in names.h is its NixOS option, never a package; names are
// checked against the same grammar as propose's before they reach a request.

#include <string_view>
#include <vector>

#include "agntd/llm/offline/request.h"

namespace agntd::offline {

// The requests of a whole message, in the order they were asked.
std::vector<Request> parse_message(std::string_view message);

}  // namespace agntd::offline
