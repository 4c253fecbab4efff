# Managed by AgntOS: set environment.shells
{ lib, pkgs, ... }:
{
  environment.shells = lib.mkForce [
    pkgs.bashInteractive # the default
    (pkgs.zsh)
  ] # shells
  ;
}
