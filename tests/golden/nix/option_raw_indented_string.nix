# Managed by AgntOS: set environment.etc.issue.text
{ ... }:
{
  environment.etc.issue.text = ''
  Welcome
    ${"indented"}
'';
}
