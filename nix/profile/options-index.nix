# SPDX-License-Identifier: MIT
# The options index of a config dir as the profile backend evaluates it with nixpkgs' module
# system (module-system.nix): the shipped NixOS declarations plus the options the tree's own
# modules declare. The same list a built system holds in agntos/options.json, without a build:
#
#   nix-instantiate --eval --strict --json nix/profile/options-index.nix \
#     --argstr configDir /etc/agntos --argstr pkgs /x/pkgs --argstr lib /x/nixpkgs/lib
{ configDir, pkgs ? "", lib }:
import ./module-system.nix { inherit configDir pkgs lib; indexOnly = true; }
