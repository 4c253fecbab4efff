# SPDX-License-Identifier: MIT
# AgntOS "profile" backend with the real NixOS module system: the module files of a config
# dir are evaluated by nixpkgs' `lib.evalModules` together with the declarations of common
# NixOS options that AgntOS ships (../options/nixos-common.nix), so merging, priorities
# (mkForce, mkDefault, mkOverride), types and "The option `x' does not exist" behave as on
# NixOS. Called by system.nix when a nixpkgs lib is given:
#
#   nix-build nix/profile/system.nix --argstr configDir /etc/agntos --argstr pkgs /x/pkgs \
#     --argstr lib /nix/store/...-nixpkgs/lib --option substituters '' --no-out-link
#
# `lib`: absolute path of nixpkgs' lib/ folder. The result has the layout of the builtin
# evaluator's (sw/bin, manifest.json, agntos-stamp.json) plus
#   $out/agntos/options.json   the options index (../options/index.nix), as on NixOS
# and manifest.json says `"evaluator": "nixpkgs-lib <version>"`. Home Manager modules
# (home/) are not NixOS modules: they are listed in `files` but not evaluated here.
# `indexOnly = true` returns the options index (a list) instead of the system, with no build
# (options-index.nix).
{ configDir, pkgs, stamp ? "", lib, indexOnly ? false }:
let
  b = builtins;
  nixpkgsLib = if b.substring 0 1 lib == "/" && b.pathExists (/. + "${lib}/default.nix")
    then import (/. + lib)
    else throw "nixpkgs lib ${lib} does not exist (expected the lib/ folder of nixpkgs, holding default.nix)";
  inherit (nixpkgsLib) filter attrNames concatMap hasPrefix;

  pkgSet = import ../lib/import-pkgs.nix pkgs;
  root = if hasPrefix "/" configDir then toString (/. + configDir)
         else throw "configDir must be an absolute path, got `${configDir}'";

  # ---- module files: <kind>/*.nix, sorted; the same listing as the builtin evaluator ----
  kinds = [ "packages" "services" "options" "modules" "home" ];
  nixosKinds = filter (k: k != "home") kinds;
  top = if b.pathExists root then b.readDir (/. + root) else throw "config dir ${root} does not exist";
  isDir = t: t == "directory" || t == "symlink";
  filesOf = kind: let entries = b.readDir (/. + "${root}/${kind}"); in
    map (n: "${kind}/${n}") (filter (n: !(hasPrefix "." n) && b.match ".*\\.nix" n != null
      && entries.${n} != "directory") (attrNames entries));
  present = filter (k: isDir (top.${k} or "")) kinds;
  files = concatMap filesOf present;
  nixosFiles = concatMap filesOf (filter (k: b.elem k present) nixosKinds);

  declarations = ../options/nixos-common.nix;
  system = nixpkgsLib.evalModules {
    modules = [ declarations { _module.args = { pkgs = pkgSet; modulesPath = "${root}/.no-modulesPath"; }; } ]
      ++ map (f: /. + "${root}/${f}") nixosFiles;
  };
  inherit (system) config options;

  # ---- every option some module of the tree defines, with its merged value ----
  own = f: hasPrefix "${root}/" f;
  inTree = f: if own f then nixpkgsLib.removePrefix "${root}/" f else f;
  render = v: if b.isFunction v then "<function>"
    else if b.isAttrs v && v ? outPath then toString v.outPath
    else if b.isAttrs v then b.mapAttrs (_: render) v
    else if b.isList v then map render v
    else if b.isPath v then toString v
    else v;
  defined = filter (o: b.any own o.files) (nixpkgsLib.collect nixpkgsLib.isOption options);
  optionValues = b.foldl' (acc: o: nixpkgsLib.recursiveUpdate acc (nixpkgsLib.setAttrByPath o.loc (render o.value))) { }
    (filter (o: o.loc != [ "environment" "systemPackages" ]) defined);

  packages = nixpkgsLib.unique config.environment.systemPackages;
  manifest = {
    evaluator = "nixpkgs-lib ${nixpkgsLib.version or "unknown"}";
    packages = map (p: { name = p.name or (b.baseNameOf p.outPath); attr = p.pname or null; path = p.outPath; }) packages;
    options = optionValues;
    inherit files;
  };
  # Options declared by the tree's own modules name their file as the config dir does.
  indexList = map (o: o // { declarations = map inTree o.declarations; })
    (import ../options/index.nix { lib = nixpkgsLib; inherit options; });
  index = b.toJSON indexList;
in
if indexOnly then indexList else
b.seq pkgSet (derivation {
  name = "agntos-system";
  system = b.currentSystem;
  builder = "/bin/sh";
  pkgPaths = map (p: p.outPath) packages;
  manifest = b.toJSON manifest;
  options = index;
  inherit stamp;
  passAsFile = [ "manifest" "stamp" "options" ];
  args = [ "-c" ''
    set -e
    /bin/mkdir -p "$out/sw/bin" "$out/agntos"
    for p in $pkgPaths; do
      for f in "$p"/bin/*; do
        n="''${f##*/}"
        if [ -e "$f" ] && [ ! -e "$out/sw/bin/$n" ] && [ ! -L "$out/sw/bin/$n" ]; then
          /bin/ln -s "$f" "$out/sw/bin/$n"
        fi
      done
    done
    /bin/cat "$manifestPath" > "$out/manifest.json"
    /bin/cat "$optionsPath" > "$out/agntos/options.json"
    if [ -s "$stampPath" ]; then /bin/cat "$stampPath" > "$out/agntos-stamp.json"; fi
  '' ];
})
