# SPDX-License-Identifier: MIT
# NixOS VM test (pkgs.testers.runNixOSTest; the flake's checks.<system>.vm; needs KVM):
# services.agntos on a real NixOS guest, then the demo story through the module's own
# permissions: alice, a member of the group agntos, proposes; `sudo -n agntctl apply` (the
# group's sudo rule) applies and builds; the audit log answers "why"; undo restores; and the
# agntd user service answers `agnt -p` on $XDG_RUNTIME_DIR/agntd.sock.
# The guest uses the profile backend with the demo package set, so no nixpkgs and no network
# are needed inside it; a real `nixos-rebuild` by AgntOS is not part of this test.
{ module, agntosSource }:
{
  name = "agntos";

  nodes.machine = { config, pkgs, ... }: {
    imports = [ module ];
    users.users.alice = { isNormalUser = true; uid = 1000; };
    users.users.mallory = { isNormalUser = true; uid = 1001; };
    services.agntos = {
      enable = true;
      users = [ "alice" ];
      settings.rebuild.backend = "profile";
      settings."rebuild.profile" = {
        pkgs = "${config.services.agntos.package}/share/agntos/nix/demo-pkgs";
        # root's profile (the apply path runs as root through sudo)
        path = "/var/lib/agntos/profile/system";
      };
    };
    environment.systemPackages = [ pkgs.jq ];
    nix.settings.substituters = [ ];
    virtualisation.memorySize = 2048;
  };

  testScript = ''
    def as_alice(command):
        return machine.succeed(f"su - alice -c '{command}'")

    machine.wait_for_unit("multi-user.target")

    with subtest("the config dir has the promised owners and modes"):
        machine.succeed("test \"$(stat -c %a:%U:%G /etc/agntos)\" = 750:root:agntos")
        machine.succeed("test \"$(stat -c %a:%U:%G /etc/agntos/proposals)\" = 2770:root:agntos")
        for kind in ["packages", "services", "options", "modules", "home"]:
            machine.succeed(f"test \"$(stat -c %a:%U:%G /etc/agntos/{kind})\" = 755:root:root")
        machine.succeed("test -f /etc/agntos/skills/add-package/SKILL.md")
        machine.succeed("test -f /etc/agntos/models.toml.example")
        machine.succeed("grep -q 'backend = \"profile\"' /etc/agntos/agntos.toml")
        machine.fail("find /etc/agntos -perm -0002 ! -type l | grep .")

    with subtest("the sudo rule covers apply, rollback and confirm for the group only"):
        rules = machine.succeed("sudo -l -U alice")
        assert "agntctl apply *" in rules, rules
        machine.fail("su - mallory -c 'sudo -n agntctl apply p-0 --yes'")
        machine.fail("su - mallory -c 'ls /etc/agntos'")
        machine.fail("su - alice -c 'sudo -n agntctl inspect'")
        machine.fail("su - alice -c 'sudo -n agntctl apply p-0 --config-dir /tmp/elsewhere --yes'")

    with subtest("the demo story"):
        print(machine.execute("su - alice -c 'agntctl doctor'")[1])
        # --no-build: the profile is root's; apply builds (as root) before it activates.
        proposal = as_alice("agntctl propose install htop --no-build --prompt \"can you install htop for me\" --json | jq -r .id").strip()
        machine.fail("su - alice -c 'agntctl propose install htopp --no-build'")
        as_alice(f"sudo -n agntctl apply {proposal} --yes")
        machine.succeed("test -f /etc/agntos/packages/htop.nix")
        machine.succeed("test \"$(stat -c %U /etc/agntos/packages/htop.nix)\" = root")
        why = as_alice("agntctl audit why htop")
        assert "can you install htop for me" in why, why
        as_alice("sudo -n agntctl rollback undo --yes")
        machine.fail("test -e /etc/agntos/packages/htop.nix")

    with subtest("agntd runs as alice's user service and answers agnt"):
        machine.succeed("loginctl enable-linger alice")
        machine.wait_for_unit("agntd.service", "alice")
        machine.wait_for_file("/run/user/1000/agntd.sock")
        as_alice("XDG_RUNTIME_DIR=/run/user/1000 agnt -p \"show cpu\"")
        machine.succeed("loginctl enable-linger mallory")
        machine.wait_for_unit("default.target", "mallory")
        machine.fail("test -e /run/user/1001/agntd.sock")
  '';
}
