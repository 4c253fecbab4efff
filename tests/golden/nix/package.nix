# Managed by AgntOS: install package htop
{ pkgs, ... }:
{
  environment.systemPackages = [ pkgs.htop ];
}
