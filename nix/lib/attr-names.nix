# SPDX-License-Identifier: MIT
# JSON list of the attribute names of a package set.  Arguments only via
# --argstr, never by splicing text into Nix code:
#   nix-instantiate --eval --strict --json nix/lib/attr-names.nix --argstr pkgs /abs/path
{ pkgs }:
builtins.attrNames (import ./import-pkgs.nix pkgs)
