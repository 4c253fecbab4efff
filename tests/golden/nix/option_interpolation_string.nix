# Managed by AgntOS: set environment.variables.GREETING
{ ... }:
{
  environment.variables.GREETING = "hello \${USER}, \\\${HOME} $\${x} $$ $ ''\${y}''";
}
