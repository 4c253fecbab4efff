# Managed by AgntOS: set services.example.scale
{ ... }:
{
  services.example.scale = 1.0e+05;
}
