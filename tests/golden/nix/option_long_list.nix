# Managed by AgntOS: set networking.firewall.allowedTCPPorts
{ ... }:
{
  networking.firewall.allowedTCPPorts = [
    22
    80
    443
    8080
    8443
    9000
    9090
    3000
    5432
    6379
    27017
    11211
    25565
  ];
}
