# Managed by AgntOS: set home option programs.git.ignores
{ ... }:
{
  programs.git.ignores = [ "*.swp" ".direnv/" "result" ];
}
