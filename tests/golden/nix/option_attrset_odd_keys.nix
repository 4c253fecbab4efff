# Managed by AgntOS: set services.example.settings
{ ... }:
{
  services.example.settings = {
    "in" = 1;
    "with space" = "x";
    "\${y}" = 2;
    "a.b" = [
      { k = "v"; }
    ];
    "" = { };
    "rec" = { "or" = true; };
  };
}
