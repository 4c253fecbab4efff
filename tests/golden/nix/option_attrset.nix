# Managed by AgntOS: set services.openssh.settings
{ ... }:
{
  services.openssh.settings = {
    PermitRootLogin = "no";
    PasswordAuthentication = false;
    X11Forwarding = false;
  };
}
