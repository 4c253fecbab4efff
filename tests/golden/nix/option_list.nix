# Managed by AgntOS: set networking.nameservers
{ ... }:
{
  networking.nameservers = [ "1.1.1.1" "8.8.8.8" ];
}
