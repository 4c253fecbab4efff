# SPDX-License-Identifier: MIT
# "function" or "attrset" for each module file in `files` (absolute paths, one per line), as a
# list in the same order; a file that does not parse, or evaluates to anything else, is an error.
# Importing a file parses it, so one run checks the syntax and the shape of every file.
#   nix-instantiate --eval --strict --json nix/lib/module-shape.nix --argstr files $'/abs/a.nix\n/abs/b.nix'
{ files }:
let
  paths = builtins.filter (line: builtins.isString line && line != "") (builtins.split "\n" files);
  shape = file:
    let
      value = import (/. + file);
      type = builtins.typeOf value;
    in
    if builtins.substring 0 1 file != "/" then throw "module-shape: file must be an absolute path, got ${file}"
    else if builtins.isFunction value then "function"
    else if builtins.isAttrs value then "attrset"
    else throw "module ${file} must evaluate to a function or an attribute set, got ${type}";
in
map shape paths
