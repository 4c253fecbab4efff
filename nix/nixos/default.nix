# SPDX-License-Identifier: MIT
# services.agntos for channel-based systems (docs/nixos.md):
#   imports = [ /path/to/agntos/nix/nixos ];
# It imports the modules under /etc/agntos; for another config dir import
# (import /path/to/agntos/nix/nixos/module.nix { configDir = "/srv/agntos"; }) instead.
import ./module.nix { }
