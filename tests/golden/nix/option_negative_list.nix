# Managed by AgntOS: set services.example.offsets
{ ... }:
{
  services.example.offsets = [ 1 (-2) 3.5 (-4.25) ];
}
