# Managed by AgntOS: set home option programs.git.userName
{ ... }:
{
  programs.git.userName = "Ada Lovelace";
}
