# SPDX-License-Identifier: MIT
# "function" or "attrset" for the module file at `file` (an absolute path);
# any other value is an error.
#   nix-instantiate --eval --json nix/lib/module-shape.nix --argstr file /abs/file.nix
{ file }:
let
  value = import (/. + file);
  type = builtins.typeOf value;
in
if builtins.substring 0 1 file != "/" then throw "module-shape: file must be an absolute path, got ${file}"
else if builtins.isFunction value then "function"
else if builtins.isAttrs value then "attrset"
else throw "module ${file} must evaluate to a function or an attribute set, got ${type}"
