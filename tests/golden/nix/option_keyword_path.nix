# Managed by AgntOS: set programs.inherit.enable
{ ... }:
{
  programs."inherit".enable = true;
}
