# Managed by AgntOS: set users.users.ada
{ ... }:
{
  users.users.ada = {
    isNormalUser = true;
    extraGroups = [ "wheel" "networkmanager" ];
    openssh = {
      authorizedKeys = {
        keys = [ "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO ada@laptop" ];
      };
    };
    packages = [ ];
    shell = null;
    description = "Ada \"the first\" L.";
  };
}
