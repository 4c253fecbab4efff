# SPDX-License-Identifier: MIT
# The options index of a system: every visible, non-internal option of an evaluated module
# system, as a list that `builtins.toJSON` turns into the `agntos/options.json` of a
# generation. agntctl validates proposals against it and `agntctl inspect option` searches it.
#
# INTERFACE (used by nix/profile/module-system.nix and by the NixOS module in nix/nixos/;
# keep it stable):
#   import ./index.nix { inherit lib options; }   # lib: nixpkgs lib; options: a module
#                                                 # system's `options` (evalModules .options,
#                                                 # or the `options` module argument on NixOS)
#   => [ { name; type; default; description; declarations; readOnly; } ... ]   sorted by name
#   name         "networking.firewall.allowedTCPPorts"; attrsOf submodules show as
#                "users.users.<name>.isNormalUser", lists of submodules as "....*.x"
#   type         the type's description: "list of 16 bit unsigned integer; between 0 and
#                65535 (both inclusive)"
#   default      the rendered default (defaultText when given) as Nix text, or null
#   description  text, or null
#   declarations files that declare it (strings; store paths for nixpkgs' own modules)
# Write it into a system with e.g.
#   pkgs.writeText "options.json" (builtins.toJSON (import ./index.nix { inherit lib options; }))
#
# It is built with lib.optionAttrSetToDocList, the route NixOS's own manual takes, so options
# of modules outside nixpkgs are included. A default or description that cannot be evaluated
# (it throws) is left out (null) instead of failing the whole system.
{ lib, options }:
let
  b = builtins;
  safe = v: let r = b.tryEval (b.deepSeq v v); in if r.success then r.value else null;
  text = v:
    if v == null then null
    else if b.isString v then v
    else if b.isAttrs v && v ? text && b.isString v.text then v.text   # literalExpression, mdDoc, literalMD
    else b.toJSON v;
  entry = o: {
    inherit (o) name;
    type = o.type;
    default = safe (text (o.default or null));
    description = safe (text (o.description or null));
    declarations = map toString o.declarations;
    readOnly = o.readOnly or false;
  };
  docs = lib.optionAttrSetToDocList options;
in
map entry (b.sort (x: y: x.name < y.name) (b.filter (o: o.visible && !o.internal) docs))
