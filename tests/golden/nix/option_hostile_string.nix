# Managed by AgntOS: set networking.domain
{ ... }:
{
  networking.domain = "\"; imports = [ /etc/passwd ]; x = \"";
}
