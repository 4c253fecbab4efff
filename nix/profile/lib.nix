# SPDX-License-Identifier: MIT
# A small `lib` for AgntOS modules evaluated by the profile backend.  The
# properties (mkIf, mkOverride, mkMerge, mkOrder, mkOption) use the same
# encoding as nixpkgs' lib, so modules written for NixOS behave the same.
let
  b = builtins;
  option-type = name: { _type = "option-type"; inherit name; };
in rec {
  mkIf = condition: content: { _type = "if"; inherit condition content; };
  mkMerge = contents: { _type = "merge"; inherit contents; };
  mkOverride = priority: content: { _type = "override"; inherit priority content; };
  mkOptionDefault = mkOverride 1500;
  mkDefault = mkOverride 1000;
  mkForce = mkOverride 50;
  mkOrder = priority: content: { _type = "order"; inherit priority content; };
  mkBefore = mkOrder 500;
  mkAfter = mkOrder 1500;

  mkOption = attrs: attrs // { _type = "option"; };
  mkEnableOption = name: mkOption {
    default = false; example = true; type = types.bool;
    description = "Whether to enable ${name}.";
  };
  # Placeholders only: option types are not checked by the profile backend.
  types = b.mapAttrs (n: _: option-type n) {
    bool = 0; int = 0; float = 0; number = 0; str = 0; lines = 0; path = 0; package = 0;
    port = 0; attrs = 0; anything = 0; raw = 0; unspecified = 0; nonEmptyStr = 0;
  } // {
    listOf = _: option-type "listOf"; attrsOf = _: option-type "attrsOf";
    nullOr = _: option-type "nullOr"; enum = _: option-type "enum";
    submodule = _: option-type "submodule"; oneOf = _: option-type "oneOf";
    either = _: _: option-type "either";
  };

  optional = cond: x: if cond then [ x ] else [ ];
  optionals = cond: xs: if cond then xs else [ ];
  optionalString = cond: s: if cond then s else "";
  optionalAttrs = cond: s: if cond then s else { };
  concatMapStringsSep = sep: f: list: b.concatStringsSep sep (map f list);
  filterAttrs = pred: s: b.listToAttrs (b.concatMap
    (name: if pred name s.${name} then [ { inherit name; value = s.${name}; } ] else [ ]) (b.attrNames s));
  genAttrs = names: f: b.listToAttrs (map (name: { inherit name; value = f name; }) names);
  mapAttrsToList = f: s: map (n: f n s.${n}) (b.attrNames s);
  setAttrByPath = path: value: if path == [ ] then value else { ${b.head path} = setAttrByPath (b.tail path) value; };
  hasPrefix = pre: s: b.substring 0 (b.stringLength pre) s == pre;
  removePrefix = pre: s: if hasPrefix pre s then b.substring (b.stringLength pre) (-1) s else s;
  unique = b.foldl' (acc: x: if b.elem x acc then acc else acc ++ [ x ]) [ ];
  imap0 = f: list: b.genList (i: f i (b.elemAt list i)) (b.length list);
  id = x: x;
  inherit (b) attrNames attrValues concatStringsSep concatMap elem filter foldl' head tail length
    mapAttrs hasAttr isAttrs isList isString isBool isFunction toString toJSON listToAttrs all any;
}
