// SPDX-License-Identifier: MIT
#pragma once
// The one top-level catch of every program. Runs `body`; an Error becomes its exit status and
// a message on stderr ("<program>: error: ..."), plus {"error":{"code","message"}} on stdout
// when --json is among the arguments. Any other exception exits 1 with its message.

namespace agntos {

int run_main(int argc, char** argv, int (*body)(int argc, char** argv));

}  // namespace agntos
