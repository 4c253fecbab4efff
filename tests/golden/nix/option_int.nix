# Managed by AgntOS: set boot.loader.timeout
{ ... }:
{
  boot.loader.timeout = 5;
}
