# Managed by AgntOS: disable service openssh
{ ... }:
{
  services.openssh.enable = false;
}
