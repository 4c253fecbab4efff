# SPDX-License-Identifier: MIT
# Evaluates services.agntos with the real NixOS module system (lib.evalModules from a nixpkgs
# lib) and the declarations of the NixOS options it sets (nixos-options.nix), for a few
# settings, and returns what the system would get. Used by tests/integration/nixos_module_test.cpp:
#
#   nix-instantiate --eval --strict --json nix/nixos/tests/module-eval.nix \
#     --argstr nixpkgsLib /path/to/nixpkgs/lib --argstr configDir /abs/config/dir -A defaults
#
# Each attribute is one scenario; `pureFail` throws (the test checks the message).
{ nixpkgsLib, configDir }:
let
  lib = import (/. + nixpkgsLib);
  b = builtins;

  # Stand-ins for the packages the module refers to: derivations as the module system sees them.
  drv = name: { type = "derivation"; inherit name; outPath = "/nix/store/00000000000000000000000000000000-${name}"; };
  pkgs = {
    git = drv "git-2.47.0";
    bubblewrap = drv "bubblewrap-0.11.0";
    htop = drv "htop-3.3.0";
    callPackage = throw "the test sets services.agntos.package; callPackage must not be needed";
  };
  agntos = drv "agntos-0.1.0";

  moduleFile = ../module.nix;
  evaluate = { moduleArgs ? { }, modules }:
    lib.evalModules {
      modules = [
        ./nixos-options.nix
        (import moduleFile ({ inherit configDir; isPure = false; } // moduleArgs))
        { _module.args.pkgs = pkgs; nix.package = drv "nix-2.24.0"; services.agntos.package = lib.mkDefault agntos; }
      ] ++ modules;
    };

  # NixOS's rendering of security.sudo.extraRules into sudoers lines (security/sudo.nix).
  sudoersLines = rules:
    let
      toCommandOptionsString = options: "${lib.concatStringsSep ":" options}${lib.optionalString (b.length options != 0) ":"} ";
      toCommandsString = commands: lib.concatStringsSep ", " (map (command:
        if b.isString command then command else "${toCommandOptionsString command.options}${command.command}") commands);
      principal = p: if b.isInt p then "#${toString p}" else p;
    in lib.flatten (map (rule: lib.optionals (b.length rule.commands != 0) [
      (map (user: "${principal user}\t${rule.host}=(${rule.runAs})\t${toCommandsString rule.commands}") rule.users)
      (map (group: "%${principal group}\t${rule.host}=(${rule.runAs})\t${toCommandsString rule.commands}") rule.groups)
    ]) rules);

  nameOf = p: if b.isString p then p else p.name;

  summary = evaluated:
    let
      c = evaluated.config;
      service = c.systemd.user.services.agntd or null;
    in {
      configDir = c.services.agntos.configDir;
      groups = lib.mapAttrs (_: g: { inherit (g) members; }) c.users.groups;
      sudoers = sudoersLines c.security.sudo.extraRules;
      tmpfiles = c.systemd.tmpfiles.rules;
      agntd = if service == null then null else {
        inherit (service) description wantedBy environment unitConfig;
        serviceConfig = lib.mapAttrs (_: v: if b.isString v then v else toString v) service.serviceConfig;
        path = map nameOf service.path;
      };
      systemPackages = map (p: p.name) c.environment.systemPackages;
      failedAssertions = map (a: a.message) (b.filter (a: !a.assertion) c.assertions);
      warnings = c.warnings;
      settingsText = let link = lib.findFirst (lib.hasPrefix "L+ ${c.services.agntos.configDir}/agntos.toml ") null c.systemd.tmpfiles.rules;
                     in if link == null then null else b.readFile (lib.last (lib.splitString " " link));
      extraSystemBuilderCmds = c.system.extraSystemBuilderCmds;
      # The names in the options index the generation links to (nix/options/index.nix).
      optionsIndex = let link = b.match ".*ln -s ([^ ]+) [$]out/agntos/options.json.*" c.system.extraSystemBuilderCmds;
                     in if link == null then null else map (o: o.name) (b.fromJSON (b.readFile (b.head link)));
      homeManagerSharedModules = if c ? home-manager then map toString c.home-manager.sharedModules else null;
    };

  # Home Manager's NixOS module declares this option (nixos/common.nix in home-manager).
  homeManagerOption = { options.home-manager.sharedModules = lib.mkOption { type = lib.types.listOf lib.types.raw; default = [ ]; }; };
in
{
  # enable with nothing else set.
  defaults = summary (evaluate { modules = [ { services.agntos.enable = true; } ]; });

  # Two members, one more from users.users.<name>.extraGroups, a flake, boot mode, a password,
  # no user service, extra settings.
  configured = summary (evaluate {
    modules = [{
      services.agntos = {
        enable = true;
        users = [ "alice" "bob" ];
        agent.enable = false;
        rebuild.flake = "/etc/nixos#myhost";
        rebuild.mode = "boot";
        requirePassword = true;
        optionsIndex = false;
        settings.policy.bash_sandbox = "required";
        settings.limits.max_rounds = 30;
      };
      users.users.carol = { isNormalUser = true; extraGroups = [ "agntos" "wheel" ]; };
    }];
  });

  # The module imported but not enabled: AgntOS adds nothing; the tree's modules still apply.
  disabled = summary (evaluate { modules = [ ]; });

  # configDir set without importing the module for that directory.
  movedConfigDir = summary (evaluate { modules = [ { services.agntos = { enable = true; configDir = "/srv/agntos"; }; } ]; });

  # sudo switched off.
  noSudo = summary (evaluate { modules = [ { services.agntos.enable = true; security.sudo.enable = false; } ]; });

  # Home Manager's NixOS module is in use: home/ goes to its shared modules.
  homeManager = summary (evaluate { modules = [ homeManagerOption { services.agntos.enable = true; } ]; });

  # A pure evaluation (a flake without --impure) with pureEval = "skip" and the default "fail".
  pureSkip = summary (evaluate { moduleArgs = { isPure = true; pureEval = "skip"; }; modules = [ { services.agntos.enable = true; } ]; });
  pureFail = summary (evaluate { moduleArgs = { isPure = true; }; modules = [ { services.agntos.enable = true; } ]; });

  # The default config dir of the module as shipped (nothing is read: pure, skipped).
  shippedDefault =
    (lib.evalModules {
      modules = [ ./nixos-options.nix (import moduleFile { isPure = true; pureEval = "skip"; })
                  { _module.args.pkgs = pkgs; nix.package = drv "nix"; services.agntos = { enable = true; package = agntos; }; } ];
    }).config.services.agntos.configDir;
}
