# Managed by AgntOS: set networking.hostName
{ ... }:
{
  networking.hostName = "demo";
}
