# SPDX-License-Identifier: MIT
# Import a package set given as a string: an absolute path ("/x/demo-pkgs",
# "/x/nixpkgs") or a NIX_PATH entry ("nixpkgs" or "<nixpkgs>").
spec:
let
  name = builtins.replaceStrings [ "<" ">" ] [ "" "" ] spec;
  path = if builtins.substring 0 1 name != "/" then builtins.findFile builtins.nixPath name
    else if builtins.pathExists name then /. + name
    else throw "package set ${name} does not exist";
  pkgs = import path { };
in
if builtins.isAttrs pkgs then pkgs else throw "package set ${spec} is not an attribute set of packages"
