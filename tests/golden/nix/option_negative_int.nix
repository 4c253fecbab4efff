# Managed by AgntOS: set services.example.offset
{ ... }:
{
  services.example.offset = -12;
}
