# SPDX-License-Identifier: MIT
# The option paths one module file defines and declares, found by calling it with stand-in
# arguments (no evaluation of the whole system), for agntctl's option-path check:
#
#   nix-instantiate --eval --strict --json nix/options/definitions.nix --argstr file /abs/m.nix \
#     [--argstr lib /abs/nixpkgs/lib] [--argstr pkgs /abs/pkgs] [--argstr at '["a","b"]']
#
# => { definitions = [ [ "services" "openssh" "enable" ] ... ];   # paths the module sets
#      declarations = [ [ "services" "myapp" "enable" ] ... ];   # options it declares
#      value = <JSON of the definition at `at`, or null>; }
#
# Stand-ins: `config` and `options` throw when read, `pkgs` is the package set when given
# (else it throws when read), `lib` is nixpkgs' lib when given, else AgntOS's small lib. A
# definition path ends at a value that is not a plain attribute set (a list, string, number,
# derivation, function, mkOverride/mkIf/mkOrder around a non-set). mkIf, mkMerge, mkOverride
# and mkOrder are looked through without evaluating their conditions. A module whose
# attribute names depend on `config` cannot be read this way: the evaluation fails and
# agntctl says the check was not run for it.
{ file, lib ? "", pkgs ? "", at ? "[]" }:
let
  b = builtins;
  own = import ../profile/lib.nix;
  theLib = if lib == "" then own else import (/. + lib);
  standIn = what: throw "agntctl reads only the option paths of a module; its `${what}' argument is a stand-in";
  args = {
    lib = theLib;
    config = standIn "config";
    options = standIn "options";
    pkgs = if pkgs == "" then standIn "pkgs" else import ../lib/import-pkgs.nix pkgs;
    modulesPath = standIn "modulesPath";
  };
  raw = import (/. + file);
  fa = b.functionArgs raw;
  # Arguments NixOS would pass that are not above (name, utils, ...): stand-ins too.
  others = b.listToAttrs (map (n: { name = n; value = standIn n; })
    (b.filter (n: !fa.${n} && !(args ? ${n})) (b.attrNames fa)));
  value = if b.isFunction raw then raw (if fa == { } then args else b.intersectAttrs fa args // others) else raw;
  module = if b.isAttrs value then value
    else throw "module ${file} must evaluate to a function or an attribute set, got ${b.typeOf value}";
  full = module ? config || module ? options;
  defs = if full then module.config or { } else removeAttrs module [ "imports" "_file" "key" "disabledModules" "meta" ];

  typeOf = v: if b.isAttrs v then v._type or null else null;
  plain = v: b.isAttrs v && !(v ? _type) && !(v ? outPath) && (v.type or null) != "derivation";
  # mkIf / mkOverride / mkOrder: their content; mkMerge: each content.
  unwrap = v: let t = typeOf v; in
    if t == "if" || t == "override" || t == "order" then unwrap v.content
    else if t == "merge" then b.concatMap unwrap v.contents
    else [ v ];
  pathsOf = path: v: b.concatMap (u:
    if plain u then
      (if u == { } && path != [ ] then [ path ] else b.concatMap (n: pathsOf (path ++ [ n ]) u.${n}) (b.attrNames u))
    else [ path ]) (unwrap v);

  isOption = v: typeOf v == "option";
  declsOf = path: v:
    if isOption v then [ path ]
    else if b.isAttrs v && !(v ? _type) then b.concatMap (n: declsOf (path ++ [ n ]) v.${n}) (b.attrNames v)
    else [ ];

  atPath = b.fromJSON at;
  lookup = path: v: if path == [ ] then [ v ]
    else b.concatMap (u: if plain u && u ? ${b.head path} then lookup (b.tail path) u.${b.head path} else [ ]) (unwrap v);
  found = if atPath == [ ] then [ ] else b.concatMap unwrap (lookup atPath defs);
  # Plain data only (a list of ports or names): never a derivation, which JSON would build.
  scalar = v: v == null || b.isString v || b.isInt v || b.isBool v || b.isFloat v;
  json = v: let r = b.tryEval (if scalar v || (b.isList v && b.all scalar v) then v else null); in
    if r.success then r.value else null;
in {
  definitions = pathsOf [ ] defs;
  declarations = if full then declsOf [ ] (module.options or { }) else [ ];
  value = if b.length found == 1 then json (b.head found) else null;
}
