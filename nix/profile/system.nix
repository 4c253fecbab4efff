# SPDX-License-Identifier: MIT
# AgntOS "profile" backend: evaluate the modules of a config dir the NixOS way
# and build `agntos-system`, a store path a Nix profile holds as a generation:
#   $out/sw/bin/*       symlinks to the programs of environment.systemPackages
#   $out/manifest.json  packages, every other merged option, the module files
#
#   nix-build nix/profile/system.nix --argstr configDir /etc/agntos \
#     --argstr pkgs /path/to/package-set --option substituters '' --no-out-link
# `stamp`: JSON written to $out/agntos-stamp.json (proposal id, summary, config commit, tree
# hash) so a generation says which change made it even without the audit log. Never the
# user's prompt: the store is world-readable.
# `lib`: the lib/ folder of a nixpkgs (absolute path). Given, the tree is evaluated by the
# real module system instead (module-system.nix); empty, by the builtin evaluator below.
{ configDir, pkgs ? toString ../demo-pkgs, stamp ? "", lib ? "" }:
if lib != "" then import ./module-system.nix { inherit configDir pkgs stamp lib; } else
let
  b = builtins;
  own = import ./lib.nix;
  inherit (own) concatMap filter attrNames isAttrs isFunction head tail length hasPrefix removePrefix;

  pkgSet = import ../lib/import-pkgs.nix pkgs;
  lib = (pkgSet.lib or { }) // own;  # a nixpkgs lib, when present, adds the rest
  root = if hasPrefix "/" configDir then toString (/. + configDir)
         else throw "configDir must be an absolute path, got `${configDir}'";
  rel = p: removePrefix "${root}/" (toString p);
  showPath = path: b.concatStringsSep "." path;

  # ---- module files: <kind>/*.nix for the five kinds, sorted ----
  kinds = [ "packages" "services" "options" "modules" "home" ];
  top = if b.pathExists root then b.readDir (/. + root) else throw "config dir ${root} does not exist";
  isDir = t: t == "directory" || t == "symlink";
  filesOf = kind: let entries = b.readDir (/. + "${root}/${kind}"); in
    map (n: "${kind}/${n}") (filter (n: !(hasPrefix "." n) && b.match ".*\\.nix" n != null
      && entries.${n} != "directory") (attrNames entries));
  files = concatMap filesOf (filter (k: isDir (top.${k} or "")) kinds);

  # ---- load modules and their `imports` (each module once, by key) ----
  args = { inherit config lib; pkgs = pkgSet; options = { }; modulesPath = ""; };
  call = file: m:
    let
      fa = b.functionArgs m;
      v = if isFunction m then m (if fa == { } then args else b.intersectAttrs fa args) else m;
    in if isAttrs v then v
       else throw "module ${file} must evaluate to a function or an attribute set, got ${b.typeOf v}";
  item = key: file: raw: { inherit key file; value = call file raw; };
  modules = b.genericClosure {
    startSet = map (f: item "${root}/${f}" f (import (/. + "${root}/${f}"))) files;
    operator = it: own.imap0 (i: m:
      if b.isPath m || b.isString m then item (toString m) (rel m) (import m)
      else item "${it.key}:imports[${toString i}]" it.file m) (it.value.imports or [ ]);
  };

  # ---- definitions: a shorthand module is its own config; a full one has
  #      `config` (and `options`, whose defaults become mkOptionDefault defs) ----
  defsOf = it: let v = it.value; full = v ? config || v ? options; in
    [ { inherit (it) file; value = if full then v.config or { }
        else removeAttrs v [ "imports" "_file" "key" "disabledModules" ]; } ]
    ++ (if full then declDefaults it.file [ ] (v.options or { }) else [ ]);
  declDefaults = file: path: o:
    if (o._type or null) == "option" then
      (if o ? default then [ { inherit file; value = own.setAttrByPath path (own.mkOptionDefault o.default); } ] else [ ])
    else if isAttrs o then concatMap (n: declDefaults file (path ++ [ n ]) o.${n}) (attrNames o)
    else [ ];

  # ---- merging (NixOS semantics, without option declarations) ----
  is = t: v: isAttrs v && (v._type or null) == t;
  wrapped = v: is "if" v || is "override" v || is "order" v;
  core = v: if wrapped v then core v.content else v;
  plainSet = v: isAttrs v && !(v ? _type) && !(v ? outPath);
  # mkMerge splits a definition into several (through mkIf/mkOverride wrappers)
  split = d: let v = d.value; in
    if is "merge" v then concatMap (x: split (d // { value = x; })) v.contents
    else if wrapped v then map (s: s // { value = v // { content = s.value; }; }) (split (d // { value = v.content; }))
    else [ d ];
  # push wrappers down into an attribute: mkIf c { a = x; } -> a = mkIf c x
  child = n: v: if wrapped v then v // { content = child n v.content; } else v.${n};
  # at an option: drop false mkIf, note the outermost priority and order
  discharge = d: let v = d.value; next = x: discharge (d // x // { value = v.content; }); in
    if is "if" v then (if v.condition then next { } else [ ])
    else if is "override" v then next { prio = d.prio or v.priority; }
    else if is "order" v then next { order = d.order or v.priority; }
    else [ ({ prio = 100; order = 1000; } // d) ];

  # A tree node: { isSet; children; } or { isSet = false; defined; value; }
  merge = path: defs: let ds = concatMap split defs; in
    if b.all (d: plainSet (core d.value)) ds then {
      isSet = true;
      children = own.genAttrs (attrNames (b.foldl' (acc: d: acc // core d.value) { } ds)) (n:
        merge (path ++ [ n ]) (map (d: d // { value = child n d.value; }) (filter (d: core d.value ? ${n}) ds)));
    } else mergeOption path ds;
  mergeOption = path: ds:
    let
      live = concatMap discharge ds;
      best = b.foldl' (m: d: if d.prio < m then d.prio else m) 9999 live;
      win = filter (d: d.prio == best) live;
      vals = map (d: d.value) win;
      conflict = throw ("The option `${showPath path}' has conflicting definition values:\n"
        + b.concatStringsSep "" (map (d: "- In `${d.file}': ${b.toJSON (render d.value)}\n") win)
        + "Use `lib.mkForce value` or `lib.mkDefault value` to change the priority on any of these definitions.");
    in {
      isSet = false;
      defined = win != [ ];
      value = if length win == 1 then head vals
        else if b.all b.isList vals then concatMap (d: d.value) (b.sort (x: y: x.order < y.order) win)
        else if b.all (x: x == head vals) (tail vals) then head vals
        else conflict;
    };
  tree = merge [ ] (concatMap defsOf modules);
  toConfig = path: t: if t.isSet then b.mapAttrs (n: toConfig (path ++ [ n ])) t.children
    else if t.defined then t.value else throw "The option `${showPath path}' is used but not defined.";
  config = toConfig [ ] tree;

  # ---- rendering for manifest.json: undefined options are left out ----
  render = v: if isFunction v then "<function>"
    else if isAttrs v && v ? outPath then toString v.outPath
    else if isAttrs v then b.mapAttrs (_: render) v
    else if b.isList v then map render v
    else if b.isPath v then toString v
    else v;
  renderTree = t: if t.isSet then
      let kids = filter (n: n.r != [ ]) (map (n: { inherit n; r = renderTree t.children.${n}; }) (attrNames t.children));
      in if kids == [ ] && t.children != { } then [ ] else [ (b.listToAttrs (map (k: { name = k.n; value = head k.r; }) kids)) ]
    else if t.defined then [ (render t.value) ] else [ ];
  lookup = path: t: if path == [ ] then t else if t.isSet && t.children ? ${head path}
    then lookup (tail path) t.children.${head path} else { isSet = false; defined = false; };
  options = let r = renderTree tree; all = if r == [ ] then { } else head r;
    env = removeAttrs (all.environment or { }) [ "systemPackages" ]; in
    if !(isAttrs (all.environment or { })) then all
    else removeAttrs all [ "environment" ] // own.optionalAttrs (env != { }) { environment = env; };

  # ---- environment.systemPackages ----
  pkgsNode = lookup [ "environment" "systemPackages" ] tree;
  pkgList = if pkgsNode.isSet then toConfig [ ] pkgsNode else if pkgsNode.defined then pkgsNode.value else [ ];
  checkedList = if b.isList pkgList then pkgList
    else throw "The option `environment.systemPackages' must be a list of packages, got ${b.typeOf pkgList}";
  packages = own.unique (map (p: if isAttrs p && p ? outPath then p
    else throw "The option `environment.systemPackages' contains ${b.toJSON (render p)}, which is not a package") checkedList);

  manifest = {
    evaluator = "builtin";
    packages = map (p: { name = p.name or (b.baseNameOf p.outPath); attr = p.pname or null; path = p.outPath; }) packages;
    inherit options files;
  };
in
b.seq pkgSet (derivation {
  name = "agntos-system";
  system = b.currentSystem;
  builder = "/bin/sh";
  pkgPaths = map (p: p.outPath) packages;
  manifest = b.toJSON manifest;
  inherit stamp;
  passAsFile = [ "manifest" "stamp" ];
  args = [ "-c" ''
    set -e
    /bin/mkdir -p "$out/sw/bin"
    for p in $pkgPaths; do
      for f in "$p"/bin/*; do
        n="''${f##*/}"
        if [ -e "$f" ] && [ ! -e "$out/sw/bin/$n" ] && [ ! -L "$out/sw/bin/$n" ]; then
          /bin/ln -s "$f" "$out/sw/bin/$n"
        fi
      done
    done
    /bin/cat "$manifestPath" > "$out/manifest.json"
    if [ -s "$stampPath" ]; then /bin/cat "$stampPath" > "$out/agntos-stamp.json"; fi
  '' ];
})
