# SPDX-License-Identifier: MIT
# AgntOS as a flake (docs/nixos.md).
#
#   packages.<system>.{default,agntctl,agntd,agnt}   the programs (CMake, nixpkgs' libraries)
#   nixosModules.default                              services.agntos, importing /etc/agntos
#   lib.nixosModule { configDir = "/srv/agntos"; }   the same module for another config dir
#   nixosConfigurations.agntos-dev-vm                 a VM to try it (apps.x86_64-linux.dev-vm: nix run .#dev-vm)
#   devShells.default, formatter, checks              (checks.<system>.vm: the demo story on a NixOS guest)
#
# There is no flake.lock in the repository yet: the first `nix flake lock` (or any nix command
# on the flake) needs network to pin nixpkgs.
{
  description = "AgntOS: an agent that manages a NixOS machine through reviewed, audited, reversible changes";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  outputs = { self, nixpkgs }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" ];
      forAllSystems = f: nixpkgs.lib.genAttrs systems (system: f system nixpkgs.legacyPackages.${system});

      # The module for a config dir, with this flake's package as its default.
      nixosModule = { configDir ? "/etc/agntos", pureEval ? "fail" }:
        import ./nix/nixos/module.nix {
          inherit configDir pureEval;
          defaultPackage = pkgs: self.packages.${pkgs.stdenv.hostPlatform.system}.default;
        };

      # One program of the package, on its own (bin/<name> only; the data stays in the package).
      program = pkgs: agntos: name:
        pkgs.runCommand name { meta = agntos.meta // { mainProgram = name; }; } ''
          mkdir -p $out/bin
          ln -s ${agntos}/bin/${name} $out/bin/${name}
        '';
    in
    {
      packages = forAllSystems (system: pkgs:
        let agntos = pkgs.callPackage ./nix/package.nix { };
        in {
          default = agntos;
          agntctl = program pkgs agntos "agntctl";
          agntd = program pkgs agntos "agntd";
          agnt = program pkgs agntos "agnt";
        } // nixpkgs.lib.optionalAttrs (system == "x86_64-linux") {
          # The dev VM's start script.
          dev-vm = self.nixosConfigurations.agntos-dev-vm.config.system.build.vm;
        });

      # nix run .#dev-vm
      apps.x86_64-linux.dev-vm = {
        type = "app";
        program = "${self.packages.x86_64-linux.dev-vm}/bin/run-agntos-dev-vm";
      };

      nixosModules.default = nixosModule { };
      lib = { inherit nixosModule; };

      # The modules under the guest's /etc/agntos are imported when the guest rebuilds itself
      # (--impure, as AgntOS always does); the VM built on the host from this pure flake starts
      # with an empty tree (pureEval = "skip").
      nixosConfigurations.agntos-dev-vm = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        specialArgs = { agntosSource = self; inherit nixpkgs; };
        modules = [ (nixosModule { pureEval = "skip"; }) ./nix/nixos/dev-vm.nix ];
      };

      devShells = forAllSystems (system: pkgs: {
        default = pkgs.mkShell {
          inputsFrom = [ self.packages.${system}.default ];
          packages = with pkgs; [ gtest httplib gbenchmark git jq bubblewrap tmux nix ccache gdb clang-tools ];
          shellHook = ''
            echo "AgntOS dev shell: cmake -S . -B build -G Ninja && cmake --build build && ctest --test-dir build"
          '';
        };
      });

      formatter = forAllSystems (system: pkgs: pkgs.nixpkgs-fmt);

      checks = forAllSystems (system: pkgs: {
        package = self.packages.${system}.default;
        # The demo story on a real NixOS guest (needs KVM): nix build .#checks.x86_64-linux.vm
        vm = pkgs.testers.runNixOSTest (import ./nix/nixos/vm-test.nix {
          module = nixosModule { pureEval = "skip"; };
          agntosSource = self;
        });
      });
    };
}
