# Managed by AgntOS: install package python3Packages.requests
{ pkgs, ... }:
{
  environment.systemPackages = [ pkgs.python3Packages.requests ];
}
