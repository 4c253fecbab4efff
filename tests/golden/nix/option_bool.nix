# Managed by AgntOS: set services.openssh.settings.PasswordAuthentication
{ ... }:
{
  services.openssh.settings.PasswordAuthentication = false;
}
