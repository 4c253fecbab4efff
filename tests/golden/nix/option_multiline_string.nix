# Managed by AgntOS: set users.motd
{ ... }:
{
  users.motd = "Welcome to demo\nAuthorised use only\n\tTabbed line\r\n";
}
