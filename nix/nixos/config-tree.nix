# SPDX-License-Identifier: MIT
# The modules AgntOS's agent wrote under a config dir, as one NixOS module (SPEC §2).
#
#   import ./config-tree.nix { configDir = "/etc/agntos"; }   # a NixOS module
#
# It imports every `*.nix` file directly under packages/, services/, options/ and modules/ of
# configDir, in that folder order and sorted by name, exactly the files the profile backend
# evaluates (nix/profile/system.nix): dot-files, other files and subfolders are skipped, a
# missing folder or a missing config dir is an empty tree. home/ holds Home Manager modules:
# they go to `home-manager.sharedModules` when the Home Manager NixOS module is imported, and
# are otherwise left out with a warning.
#
# The files are read when the system is evaluated (builtins.readDir and import of absolute
# paths), never copied into the Nix store. Channel systems (nixos-rebuild without --flake)
# evaluate impurely, so this just works. A flake evaluation is pure and may not read
# /etc/agntos: rebuild with `nixos-rebuild switch --flake <uri> --impure` (agntctl's nixos
# backend always passes --impure). What happens in a pure evaluation is `pureEval`:
#   "fail" (the default): evaluation stops with an error that says to add --impure, so a
#          rebuild never silently drops the packages and services the agent installed;
#   "skip": no module is imported and a warning says so (the dev VM and the VM test, whose
#          systems are built on the host from a pure flake).
# `isPure` is the detection (builtins.currentTime exists only in impure evaluation); tests
# set it to check both branches.
{ configDir, pureEval ? "fail", isPure ? !(builtins ? currentTime) }:
{ lib, options, ... }:
let
  b = builtins;
  nixosKinds = [ "packages" "services" "options" "modules" ];
  root = /. + configDir;

  isDirLike = type: type == "directory" || type == "symlink";
  top = if b.pathExists root then b.readDir root else { };
  filesOf = kind:
    if !(isDirLike (top.${kind} or "")) then [ ]
    else
      let entries = b.readDir (root + "/${kind}");
      in map (name: root + "/${kind}/${name}")
        (b.filter (name: !(lib.hasPrefix "." name) && lib.hasSuffix ".nix" name && entries.${name} != "directory")
          (b.attrNames entries));

  pureMessage =
    "AgntOS imports the modules under ${configDir}, and this evaluation is pure (a flake without "
    + "--impure), so it may not read them. Rebuild with `nixos-rebuild switch --flake <uri> --impure`; "
    + "AgntOS's own rebuilds always pass --impure.";
  readable = !isPure;
  skipped = isPure && pureEval == "skip";

  nixosFiles =
    if readable then lib.concatMap filesOf nixosKinds
    else if skipped then [ ]
    else throw pureMessage;
  homeFiles = if readable then filesOf "home" else [ ];
  hasHomeManager = options ? home-manager && options.home-manager ? sharedModules;
in
{
  imports = nixosFiles;

  config = lib.mkMerge [
    { warnings =
        lib.optional skipped "${pureMessage} (The modules under ${configDir} were not imported.)"
        ++ lib.optional (homeFiles != [ ] && !hasHomeManager)
          "AgntOS: ${toString (b.length homeFiles)} Home Manager module(s) under ${configDir}/home are not used: import Home Manager's NixOS module (home-manager.nixosModules.home-manager) to apply them.";
    }
    (lib.optionalAttrs hasHomeManager { home-manager.sharedModules = homeFiles; })
  ];
}
