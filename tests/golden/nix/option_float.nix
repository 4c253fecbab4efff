# Managed by AgntOS: set services.example.ratio
{ ... }:
{
  services.example.ratio = 0.75;
}
