// SPDX-License-Identifier: MIT
#pragma once
// How a built NixOS system is activated: the verbs of `switch-to-configuration` (and of
// `nixos-rebuild`). [rebuild] mode chooses one; the journal and the audit entry record the one
// used (docs/pipeline.md, "Activation").
//   switch  activate now and make it the boot default
//   test    activate now only; the next boot returns to the default
//   boot    make it the boot default only; the running system stays as it is

#include "common/enum_names.h"

namespace agntos {

enum class ActivationMode { switch_now, test, boot };
inline constexpr EnumNames<ActivationMode, 3> kActivationModeNames{
    "activation mode",
    {{{ActivationMode::switch_now, "switch"}, {ActivationMode::test, "test"}, {ActivationMode::boot, "boot"}}}};
constexpr const auto& names_of(ActivationMode) { return kActivationModeNames; }

}  // namespace agntos
