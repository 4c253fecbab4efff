# Managed by AgntOS: install package haskellPackages.let
{ pkgs, ... }:
{
  environment.systemPackages = [ pkgs.haskellPackages."let" ];
}
