# Managed by AgntOS: enable service openssh
{ ... }:
{
  services.openssh.enable = true;
}
