# SPDX-License-Identifier: MIT
# The dev VM (nixosConfigurations.agntos-dev-vm): a small NixOS guest with AgntOS enabled for
# the user `developer` (password `agntos`), to try it without touching your machine.
#
#   nix run .#dev-vm          # or: nix build .#nixosConfigurations.agntos-dev-vm.config.system.build.vm
#                             #     && ./result/bin/run-agntos-dev-vm
#   ssh -p 2222 developer@localhost
#
# Inside, AgntOS rebuilds the guest from a copy of this flake (/etc/agntos-dev-flake) with
# `nixos-rebuild switch --flake /etc/agntos-dev-flake#agntos-dev-vm --impure`, which imports the
# guest's /etc/agntos; building a new system downloads what it needs from cache.nixos.org.
{ config, lib, pkgs, modulesPath, agntosSource, nixpkgs, ... }:
{
  imports = [ "${modulesPath}/virtualisation/qemu-vm.nix" ];

  networking.hostName = "agntos-dev-vm";
  system.stateVersion = "25.05";

  users.users.developer = {
    isNormalUser = true;
    password = "agntos";
    extraGroups = [ "wheel" ];
    linger = true;  # agntd (a user service) runs from boot
  };
  services.getty.autologinUser = "developer";
  services.openssh = { enable = true; settings.PasswordAuthentication = true; };

  services.agntos = {
    enable = true;
    users = [ "developer" ];
    rebuild.flake = "/etc/agntos-dev-flake#agntos-dev-vm";
  };

  # The flake the guest rebuilds from, and the nixpkgs it is locked to, registered in the
  # guest's store so evaluating it needs no download.
  environment.etc."agntos-dev-flake".source = agntosSource;
  system.extraDependencies = [ agntosSource nixpkgs ];
  nix.registry.nixpkgs.flake = nixpkgs;
  nix.settings.experimental-features = [ "nix-command" "flakes" ];

  environment.systemPackages = [ pkgs.tmux pkgs.jq pkgs.htop ];

  virtualisation = {
    memorySize = 4096;
    cores = 2;
    diskSize = 8192;
    graphics = false;
    forwardPorts = [ { from = "host"; host.port = 2222; guest.port = 22; } ];
  };
}
