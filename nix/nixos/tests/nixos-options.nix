# SPDX-License-Identifier: MIT
# Declarations of the NixOS options services.agntos sets, with the names, types and defaults
# NixOS gives them, so the module can be evaluated with the real module system
# (lib.evalModules) without nixpkgs. Taken from nixpkgs (nixos/modules/...):
#   config/users-groups.nix        users.users.<name>, users.groups.<name> (groupOpts.config
#                                  adds the users whose extraGroups name the group)
#   security/sudo.nix              security.sudo.{enable,extraRules}
#   system/boot/systemd/tmpfiles.nix  systemd.tmpfiles.rules
#   system/boot/systemd/user.nix + lib/systemd-unit-options.nix  systemd.user.services
#   config/system-path.nix         environment.systemPackages
#   system/activation/top-level.nix   system.extraSystemBuilderCmds
#   misc/assertions.nix            assertions, warnings
#   services/misc/nix-daemon.nix   nix.package
# Only the sub-options the module (or a test) uses are declared; a definition of anything
# else fails as it would on NixOS ("The option ... does not exist").
{ lib, config, ... }:
let
  inherit (lib) mkOption types mkDefault;

  # lib/systemd-unit-options.nix
  unitOption = lib.mkOptionType {
    name = "systemd option";
    merge = loc: defs:
      let defs' = lib.filterOverrides defs;
      in if lib.isList (lib.head defs').value
         then lib.concatMap (def: if builtins.typeOf def.value == "list" then def.value
                                  else throw "mix of list and non-list definitions for ${lib.showOption loc}") defs'
         else lib.mergeEqualOption loc defs';
  };
  unitNameType = types.strMatching "[a-zA-Z0-9@%:_.\\-]+[.](service|socket|device|mount|automount|swap|target|path|timer|scope|slice)";
  checkService = v:
    let
      oneOf = name: allowed: !(v ? ${name}) || builtins.elem v.${name} allowed;
    in oneOf "Type" [ "exec" "simple" "forking" "oneshot" "dbus" "notify" "idle" ]
       && oneOf "Restart" [ "no" "on-success" "on-failure" "on-abnormal" "on-abort" "always" ];
  userServiceOptions = { name, ... }: {
    options = {
      enable = mkOption { type = types.bool; default = true; };
      description = mkOption { type = types.singleLineStr; default = ""; };
      documentation = mkOption { type = types.listOf types.str; default = [ ]; };
      wantedBy = mkOption { type = types.listOf unitNameType; default = [ ]; };
      after = mkOption { type = types.listOf unitNameType; default = [ ]; };
      wants = mkOption { type = types.listOf unitNameType; default = [ ]; };
      unitConfig = mkOption { type = types.attrsOf unitOption; default = { }; };
      environment = mkOption { type = with types; attrsOf (nullOr (oneOf [ str path package ])); default = { }; };
      path = mkOption { type = with types; listOf (oneOf [ package str ]); default = [ ]; };
      serviceConfig = mkOption { type = types.addCheck (types.attrsOf unitOption) checkService; default = { }; };
      restartTriggers = mkOption { type = types.listOf types.unspecified; default = [ ]; };
    };
  };

  # config/users-groups.nix
  userOpts = { name, ... }: {
    options = {
      name = mkOption { type = types.passwdEntry types.str; };
      isNormalUser = mkOption { type = types.bool; default = false; };
      isSystemUser = mkOption { type = types.bool; default = false; };
      group = mkOption { type = types.str; default = ""; };
      extraGroups = mkOption { type = types.listOf types.str; default = [ ]; };
      description = mkOption { type = types.passwdEntry types.str; default = ""; };
    };
    config.name = mkDefault name;
  };
  groupOpts = usersConfig: { name, config, ... }: {
    options = {
      name = mkOption { type = types.passwdEntry types.str; };
      gid = mkOption { type = with types; nullOr int; default = null; };
      members = mkOption { type = with types; listOf (passwdEntry str); default = [ ]; };
    };
    config = {
      name = mkDefault name;
      members = lib.mapAttrsToList (n: u: u.name) (lib.filterAttrs (n: u: lib.elem config.name u.extraGroups) usersConfig);
    };
  };

  # security/sudo.nix
  sudoRule = types.submodule {
    options = {
      users = mkOption { type = with types; listOf (either str int); default = [ ]; };
      groups = mkOption { type = with types; listOf (either str int); default = [ ]; };
      host = mkOption { type = types.str; default = "ALL"; };
      runAs = mkOption { type = types.str; default = "ALL:ALL"; };
      commands = mkOption {
        type = with types; listOf (either str (submodule {
          options = {
            command = mkOption { type = types.str; };
            options = mkOption {
              type = with types; listOf (enum [ "NOPASSWD" "PASSWD" "NOEXEC" "EXEC" "SETENV" "NOSETENV" "LOG_INPUT" "NOLOG_INPUT" "LOG_OUTPUT" "NOLOG_OUTPUT" ]);
              default = [ ];
            };
          };
        }));
      };
    };
  };
in
{
  options = {
    users.users = mkOption { type = types.attrsOf (types.submodule userOpts); default = { }; };
    users.groups = mkOption { type = types.attrsOf (types.submodule (groupOpts config.users.users)); default = { }; };

    security.sudo.enable = mkOption { type = types.bool; default = true; };
    security.sudo.extraRules = mkOption { type = types.listOf sudoRule; default = [ ]; };

    systemd.tmpfiles.rules = mkOption { type = types.listOf types.str; default = [ ]; };
    systemd.user.services = mkOption { type = types.attrsOf (types.submodule userServiceOptions); default = { }; };

    environment.systemPackages = mkOption { type = types.listOf types.package; default = [ ]; };
    system.extraSystemBuilderCmds = mkOption { type = types.lines; internal = true; default = ""; };
    nix.package = mkOption { type = types.package; };

    assertions = mkOption { type = types.listOf types.unspecified; internal = true; default = [ ]; };
    warnings = mkOption { type = types.listOf types.str; internal = true; default = [ ]; };
  };
}
