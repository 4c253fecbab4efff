# Managed by AgntOS: set services.example.extra
{ ... }:
{
  services.example.extra = null;
}
