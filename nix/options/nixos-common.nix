# SPDX-License-Identifier: MIT
# Declarations of common NixOS options, for the profile backend's evaluation with the real
# module system (nix/profile/module-system.nix) on a machine that is not NixOS.
#
# Names and types are the ones NixOS declares (nixpkgs nixos/modules/..., checked against
# its sources), so a definition that NixOS would refuse ("option does not exist", "is not of
# type") is refused here too, with the same message. Only the interface is declared: these
# options have no implementation (the firewall's port lists are sorted and deduplicated by
# `apply`, as NixOS does).
# Descriptions are short summaries written for AgntOS. Some large submodules of NixOS
# (systemd units, file systems, nix.settings, service settings) are declared as *open*
# submodules: their common sub-options are typed, anything else is accepted as NixOS's
# freeform settings would be.
{ lib, ... }:
let
  inherit (lib) mkOption mkEnableOption types;
  enable = what: mkEnableOption what;
  yesNo = default: description: mkOption { type = types.bool; inherit default description; };
  listOfStr = description: mkOption { type = types.listOf types.str; default = [ ]; inherit description; };
  open = options: types.submodule { freeformType = types.attrsOf types.anything; inherit options; };
  openFirewall = what: yesNo false "Whether to open the ports of ${what} in the firewall.";
  canonicalPorts = ports: lib.unique (builtins.sort builtins.lessThan ports);

  # users.users.<name> (nixos/modules/config/users-groups.nix)
  userOpts = { name, ... }: {
    options = {
      name = mkOption { type = types.passwdEntry types.str; default = name; description = "The user's login name."; };
      description = mkOption { type = types.passwdEntry types.str; default = ""; description = "A short description of the account (GECOS)."; };
      uid = mkOption { type = with types; nullOr int; default = null; description = "The account's UID; null picks one."; };
      isSystemUser = yesNo false "Whether this is a system user.";
      isNormalUser = yesNo false "Whether this is a normal (human) user: home directory, default shell, UID from 1000.";
      group = mkOption { type = types.str; default = ""; description = "The user's primary group."; };
      extraGroups = mkOption { type = types.listOf types.str; default = [ ]; description = "The user's auxiliary groups."; };
      home = mkOption { type = types.passwdEntry types.path; default = "/var/empty"; description = "The user's home directory."; };
      homeMode = mkOption { type = types.strMatching "[0-7]{1,5}"; default = "700"; description = "Permissions of the home directory."; };
      createHome = yesNo false "Whether to create the home directory.";
      useDefaultShell = yesNo false "Whether the user gets users.defaultUserShell.";
      shell = mkOption {
        type = with types; nullOr (either shellPackage (passwdEntry path));
        default = null;
        description = "The user's login shell.";
      };
      packages = mkOption { type = types.listOf types.package; default = [ ]; description = "Packages installed for this user only."; };
      hashedPassword = mkOption { type = with types; nullOr (passwdEntry str); default = null; description = "The user's password hash."; };
      password = mkOption { type = with types; nullOr str; default = null; description = "The user's password, in clear text (world-readable in the store)."; };
      hashedPasswordFile = mkOption { type = with types; nullOr str; default = null; description = "File holding the password hash."; };
      initialPassword = mkOption { type = with types; nullOr str; default = null; description = "The password set when the account is created."; };
      initialHashedPassword = mkOption { type = with types; nullOr (passwdEntry str); default = null; description = "The password hash set when the account is created."; };
      linger = mkOption { type = with types; nullOr bool; default = null; description = "Whether the user's systemd instance starts at boot."; };
      openssh.authorizedKeys.keys = mkOption {
        type = types.listOf types.singleLineStr;
        default = [ ];
        description = "SSH public keys that may log in as this user.";
      };
      openssh.authorizedKeys.keyFiles = mkOption { type = types.listOf types.path; default = [ ]; description = "Files of SSH public keys that may log in as this user."; };
    };
  };
  groupOpts = { name, ... }: {
    options = {
      name = mkOption { type = types.passwdEntry types.str; default = name; description = "The group's name."; };
      gid = mkOption { type = with types; nullOr int; default = null; description = "The group's GID; null picks one."; };
      members = mkOption { type = types.listOf (types.passwdEntry types.str); default = [ ]; description = "Members of the group."; };
    };
  };

  # systemd.services.<name> and friends (nixos/lib/systemd-unit-options.nix): the common parts.
  unitOptions = {
    enable = yesNo true "Whether the unit is installed.";
    description = mkOption { type = types.singleLineStr; default = ""; description = "The unit's description."; };
    wantedBy = listOfStr "Units that want this one.";
    requiredBy = listOfStr "Units that require this one.";
    wants = listOfStr "Units this one wants.";
    requires = listOfStr "Units this one requires.";
    after = listOfStr "Units this one starts after.";
    before = listOfStr "Units this one starts before.";
    partOf = listOfStr "Units this one is part of.";
  };
  serviceOptions = unitOptions // {
    serviceConfig = mkOption { type = types.attrsOf types.anything; default = { }; description = "The [Service] section."; };
    unitConfig = mkOption { type = types.attrsOf types.anything; default = { }; description = "The [Unit] section."; };
    environment = mkOption {
      type = with types; attrsOf (nullOr (oneOf [ str path package ]));
      default = { };
      description = "Environment variables of the service.";
    };
    path = mkOption { type = with types; listOf (oneOf [ package str ]); default = [ ]; description = "Packages on the service's PATH."; };
    script = mkOption { type = types.lines; default = ""; description = "Shell commands run as the service's main process."; };
    preStart = mkOption { type = types.lines; default = ""; description = "Shell commands run before the main process."; };
    postStart = mkOption { type = types.lines; default = ""; description = "Shell commands run after the main process started."; };
    startAt = mkOption { type = with types; either str (listOf str); default = [ ]; description = "When to start the service (a timer)."; };
    restartIfChanged = yesNo true "Whether to restart the service when its unit changes.";
  };
  timerOptions = unitOptions // {
    timerConfig = mkOption { type = types.attrsOf types.anything; default = { }; description = "The [Timer] section."; };
  };
in
{
  options = {
    # ---- networking (nixos/modules/tasks/network-interfaces.nix, services/networking/firewall.nix)
    networking = {
      hostName = mkOption {
        type = types.strMatching "^$|^[[:alnum:]]([[:alnum:]_-]{0,61}[[:alnum:]])?$";
        default = "nixos";
        description = "The machine's host name (a DNS label, without the domain).";
      };
      domain = mkOption { type = with types; nullOr str; default = null; description = "The machine's domain name."; };
      hostId = mkOption { type = with types; nullOr str; default = null; description = "The 32-bit host ID (8 hex digits), needed by ZFS."; };
      nameservers = listOfStr "IP addresses of the DNS servers.";
      search = listOfStr "DNS search domains.";
      hosts = mkOption { type = with types; attrsOf (listOf str); default = { }; description = "IP addresses mapped to host names in /etc/hosts."; };
      extraHosts = mkOption { type = types.lines; default = ""; description = "Lines appended to /etc/hosts."; };
      useDHCP = yesNo true "Whether to use DHCP on every interface.";
      enableIPv6 = yesNo true "Whether to enable IPv6.";
      networkmanager.enable = yesNo false "Whether to use NetworkManager to manage the network.";
      wireless.enable = enable "wpa_supplicant";
      nftables.enable = yesNo false "Whether to use nftables instead of iptables.";
      firewall = {
        enable = yesNo true "Whether to enable the firewall, which blocks incoming connections to ports not listed as allowed.";
        allowedTCPPorts = mkOption {
          type = types.listOf types.port;
          default = [ ];
          apply = canonicalPorts;
          example = [ 22 80 ];
          description = "TCP ports on which incoming connections are accepted.";
        };
        allowedUDPPorts = mkOption {
          type = types.listOf types.port;
          default = [ ];
          apply = canonicalPorts;
          example = [ 53 ];
          description = "UDP ports on which incoming packets are accepted.";
        };
        allowedTCPPortRanges = mkOption {
          type = types.listOf (types.attrsOf types.port);
          default = [ ];
          example = [ { from = 8999; to = 9003; } ];
          description = "Ranges of TCP ports on which incoming connections are accepted.";
        };
        allowedUDPPortRanges = mkOption {
          type = types.listOf (types.attrsOf types.port);
          default = [ ];
          example = [ { from = 60000; to = 61000; } ];
          description = "Ranges of UDP ports on which incoming packets are accepted.";
        };
        allowPing = yesNo true "Whether to answer ICMPv4 echo requests (pings).";
        trustedInterfaces = listOfStr "Interfaces from which all traffic is accepted.";
        logRefusedConnections = yesNo false "Whether to log refused incoming connections.";
        rejectPackets = yesNo false "Whether refused packets are rejected rather than dropped.";
        checkReversePath = mkOption {
          type = types.either types.bool (types.enum [ "strict" "loose" ]);
          default = true;
          description = "Reverse path filtering: true (or \"strict\"), \"loose\" or false.";
        };
        extraCommands = mkOption { type = types.lines; default = ""; description = "Extra iptables commands run when the firewall starts."; };
        interfaces = mkOption {
          type = types.attrsOf (types.submodule {
            options = {
              allowedTCPPorts = mkOption { type = types.listOf types.port; default = [ ]; description = "TCP ports open on this interface."; };
              allowedUDPPorts = mkOption { type = types.listOf types.port; default = [ ]; description = "UDP ports open on this interface."; };
            };
          });
          default = { };
          description = "Ports open on one interface only.";
        };
      };
    };

    # ---- time, locale, console (config/locale.nix, config/i18n.nix, config/console.nix)
    time.timeZone = mkOption {
      type = types.nullOr (types.addCheck types.str (s: !(lib.hasInfix " " s))) // { description = "null or string without spaces"; };
      default = null;
      example = "America/New_York";
      description = "The time zone (a tz database name such as Europe/Berlin); null means UTC, settable with timedatectl.";
    };
    time.hardwareClockInLocalTime = yesNo false "Whether the hardware clock keeps local time instead of UTC.";
    i18n.defaultLocale = mkOption {
      type = types.str;
      default = "en_US.UTF-8";
      example = "nl_NL.UTF-8";
      description = "The default locale: language of messages, formats of dates and numbers, character set.";
    };
    i18n.extraLocaleSettings = mkOption {
      type = types.attrsOf types.str;
      default = { };
      example = { LC_TIME = "de_DE.UTF-8"; };
      description = "Other locale variables (LC_*).";
    };
    i18n.supportedLocales = mkOption {
      type = types.listOf types.str;
      default = [ "C.UTF-8/UTF-8" "en_US.UTF-8/UTF-8" ];
      description = "Locales the system supports.";
    };
    console.keyMap = mkOption { type = with types; either str path; default = "us"; description = "The keyboard layout of the virtual consoles."; };
    console.font = mkOption { type = with types; nullOr (either str path); default = null; description = "The font of the virtual consoles."; };

    # ---- users (config/users-groups.nix)
    users.users = mkOption {
      type = types.attrsOf (types.submodule userOpts);
      default = { };
      description = "User accounts.";
    };
    users.groups = mkOption {
      type = types.attrsOf (types.submodule groupOpts);
      default = { };
      description = "Groups.";
    };
    users.mutableUsers = yesNo true "Whether users and groups may be changed outside the configuration (useradd, passwd).";
    users.defaultUserShell = mkOption { type = with types; either path shellPackage; default = "/run/current-system/sw/bin/bash"; description = "The default login shell."; };

    # ---- environment (config/system-path.nix, config/shells-environment.nix, system/etc/etc.nix)
    environment.systemPackages = mkOption {
      type = types.listOf types.package;
      default = [ ];
      description = "Packages installed in the system profile.";
    };
    environment.variables = mkOption {
      type = with types; attrsOf (oneOf [ (listOf (oneOf [ int str path ])) int str path ]);
      default = { };
      description = "Environment variables of every login shell.";
    };
    environment.sessionVariables = mkOption {
      type = with types; lazyAttrsOf (oneOf [ (listOf (oneOf [ int str path ])) int str path ]);
      default = { };
      description = "Environment variables of every session (PAM).";
    };
    environment.shellAliases = mkOption { type = with types; attrsOf (nullOr (either str path)); default = { }; description = "Aliases of every shell."; };
    environment.etc = mkOption {
      type = types.attrsOf (types.submodule ({ name, ... }: {
        options = {
          enable = yesNo true "Whether the file is created.";
          target = mkOption { type = types.str; default = name; description = "The file's name below /etc."; };
          text = mkOption { type = with types; nullOr lines; default = null; description = "The file's content."; };
          source = mkOption { type = types.path; description = "A file whose content /etc/<target> gets."; };
          mode = mkOption { type = types.str; default = "symlink"; description = "The file's mode, or \"symlink\"."; };
          user = mkOption { type = types.str; default = "+0"; description = "The file's owner (with a mode)."; };
          group = mkOption { type = types.str; default = "+0"; description = "The file's group (with a mode)."; };
        };
      }));
      default = { };
      description = "Files in /etc.";
    };

    # ---- boot, system, nix
    boot.loader.systemd-boot.enable = yesNo false "Whether to use the systemd-boot EFI boot loader.";
    boot.loader.efi.canTouchEfiVariables = yesNo false "Whether the installer may change EFI variables.";
    boot.loader.grub.enable = yesNo true "Whether to use the GRUB boot loader.";
    boot.loader.grub.device = mkOption { type = types.str; default = ""; description = "The device GRUB is installed on."; };
    boot.kernelParams = mkOption { type = types.listOf (types.strMatching ''([^"[:space:]]|"[^"]*")+''); default = [ ]; description = "Parameters on the kernel command line."; };
    boot.kernelModules = listOfStr "Kernel modules loaded in the second boot stage.";
    boot.kernel.sysctl = mkOption { type = with types; attrsOf (nullOr (oneOf [ bool str int ])); default = { }; description = "Runtime kernel parameters (sysctl)."; };
    boot.tmp.cleanOnBoot = yesNo false "Whether /tmp is emptied at boot.";
    system.stateVersion = mkOption { type = types.str; default = "26.11"; description = "The NixOS release whose defaults stateful data was created with; do not change it after installing."; };
    system.autoUpgrade.enable = yesNo false "Whether to upgrade the system periodically.";
    nix.settings = mkOption {
      type = open {
        experimental-features = listOfStr "Experimental Nix features to enable.";
        trusted-users = listOfStr "Users who may use extra substituters and other trusted settings.";
        auto-optimise-store = yesNo false "Whether identical files in the store are hard-linked.";
        substituters = listOfStr "Binary caches.";
        trusted-public-keys = listOfStr "Keys of trusted binary caches.";
      };
      default = { };
      description = "Settings of nix.conf.";
    };
    nix.gc.automatic = yesNo false "Whether old store paths are collected periodically.";
    nix.gc.dates = mkOption { type = with types; either singleLineStr (listOf str); default = [ "03:15" ]; description = "When the garbage collector runs (systemd calendar)."; };
    nix.gc.options = mkOption { type = types.str; default = ""; description = "Options of nix-collect-garbage, e.g. --delete-older-than 30d."; };
    nixpkgs.config = mkOption { type = types.attrsOf types.anything; default = { }; example = { allowUnfree = true; }; description = "The nixpkgs configuration (allowUnfree, ...)."; };
    security.sudo.enable = yesNo true "Whether to enable sudo.";
    security.sudo.wheelNeedsPassword = yesNo true "Whether members of wheel need their password for sudo.";
    security.rtkit.enable = yesNo false "Whether to enable RealtimeKit (real-time scheduling for PipeWire and PulseAudio).";
    fonts.packages = mkOption { type = types.listOf types.path; default = [ ]; description = "Font packages."; };

    # ---- systemd (system/boot/systemd.nix)
    systemd.services = mkOption { type = types.attrsOf (open serviceOptions); default = { }; description = "systemd services."; };
    systemd.timers = mkOption { type = types.attrsOf (open timerOptions); default = { }; description = "systemd timers."; };
    systemd.tmpfiles.rules = listOfStr "systemd-tmpfiles rules.";
    fileSystems = mkOption {
      type = types.attrsOf (open {
        device = mkOption { type = with types; nullOr nonEmptyStr; default = null; description = "The device to mount."; };
        fsType = mkOption { type = types.nonEmptyStr; default = "auto"; description = "The file system type."; };
        options = mkOption { type = types.nonEmptyListOf types.nonEmptyStr; default = [ "defaults" ]; description = "Mount options."; };
      });
      default = { };
      description = "File systems to mount, by mount point.";
    };
    swapDevices = mkOption { type = types.listOf (open { device = mkOption { type = types.str; description = "The swap device or file."; }; }); default = [ ]; description = "Swap devices."; };

    # ---- hardware
    hardware.bluetooth.enable = enable "support for Bluetooth";
    hardware.bluetooth.powerOnBoot = yesNo true "Whether Bluetooth controllers are powered on at boot.";
    hardware.graphics.enable = yesNo false "Whether to enable hardware-accelerated graphics drivers.";
    hardware.enableRedistributableFirmware = yesNo false "Whether to install firmware with a license that allows redistribution.";
    hardware.cpu.intel.updateMicrocode = yesNo false "Whether to update the Intel CPU microcode.";
    hardware.cpu.amd.updateMicrocode = yesNo false "Whether to update the AMD CPU microcode.";

    # ---- virtualisation (virtualisation/docker.nix, podman, libvirtd)
    virtualisation.docker = {
      enable = yesNo false "Whether to enable docker, a daemon that manages Linux containers; members of the docker group can use it.";
      enableOnBoot = yesNo true "Whether the docker daemon starts at boot (false: when its socket is first used).";
      rootless.enable = yesNo false "Whether to enable rootless docker for the users.";
      autoPrune.enable = yesNo false "Whether to prune docker resources periodically.";
      storageDriver = mkOption {
        type = with types; nullOr (enum [ "aufs" "btrfs" "devicemapper" "overlay" "overlay2" "zfs" ]);
        default = null;
        description = "The docker storage driver; null lets docker choose.";
      };
    };
    virtualisation.podman.enable = yesNo false "Whether to enable podman, a daemonless container engine.";
    virtualisation.podman.dockerCompat = yesNo false "Whether to provide a docker command that runs podman.";
    virtualisation.libvirtd.enable = yesNo false "Whether to enable libvirtd, a daemon that manages virtual machines.";
    virtualisation.virtualbox.host.enable = enable "VirtualBox";

    # ---- programs
    programs.git.enable = yesNo false "Whether to install git with a system-wide configuration.";
    programs.zsh.enable = yesNo false "Whether to configure zsh as an interactive shell.";
    programs.fish.enable = yesNo false "Whether to configure fish as an interactive shell.";
    programs.firefox.enable = enable "the Firefox web browser";
    programs.neovim.enable = yesNo false "Whether to install neovim with a system-wide configuration.";
    programs.neovim.defaultEditor = yesNo false "Whether neovim is the default EDITOR.";
    programs.tmux.enable = yesNo false "Whether to configure tmux system-wide.";
    programs.steam.enable = enable "the Steam game platform";
    programs.nix-ld.enable = enable "nix-ld, to run unpatched dynamic binaries";
    programs.gnupg.agent.enable = yesNo false "Whether to start the GnuPG agent for each session.";
    programs.mtr.enable = yesNo false "Whether to add mtr with its network capabilities.";

    # ---- services
    services.openssh = {
      enable = yesNo false "Whether to enable the OpenSSH secure shell daemon, which allows secure remote logins.";
      ports = mkOption { type = types.listOf types.port; default = [ 22 ]; description = "Ports sshd listens on."; };
      openFirewall = yesNo true "Whether to open the sshd ports in the firewall.";
      settings = mkOption {
        type = types.submodule {
          freeformType = with types; attrsOf (nullOr (oneOf [ bool int float str (listOf str) ]));
          options = {
            PasswordAuthentication = mkOption { type = with types; nullOr bool; default = true; description = "Whether password logins are allowed."; };
            KbdInteractiveAuthentication = mkOption { type = types.bool; default = true; description = "Whether keyboard-interactive logins are allowed."; };
            PermitRootLogin = mkOption {
              type = types.enum [ "yes" "without-password" "prohibit-password" "forced-commands-only" "no" ];
              default = "prohibit-password";
              description = "Whether root may log in over SSH.";
            };
            X11Forwarding = mkOption { type = types.bool; default = false; description = "Whether X11 connections are forwarded."; };
          };
        };
        default = { };
        description = "Settings of sshd_config.";
      };
    };
    services.tailscale = {
      enable = enable "Tailscale client daemon";
      openFirewall = openFirewall "the Tailscale port";
      useRoutingFeatures = mkOption {
        type = types.enum [ "none" "client" "server" "both" ];
        default = "none";
        description = "Subnet routing and exit node features to allow (sets sysctls and reverse path filtering).";
      };
    };
    services.printing.enable = yesNo false "Whether to enable printing support through the CUPS daemon.";
    services.printing.drivers = mkOption { type = types.listOf types.path; default = [ ]; description = "CUPS drivers."; };
    services.avahi.enable = yesNo false "Whether to run the Avahi daemon (mDNS/DNS-SD).";
    services.avahi.nssmdns4 = yesNo false "Whether .local names are resolved through mDNS over IPv4.";
    services.pipewire = {
      enable = enable "PipeWire service";
      alsa.enable = enable "ALSA support";
      alsa.support32Bit = enable "32-bit ALSA support on 64-bit systems";
      pulse.enable = enable "PulseAudio server emulation";
      jack.enable = enable "JACK audio emulation";
    };
    services.pulseaudio.enable = yesNo false "Whether to enable the PulseAudio sound server.";
    services.nginx = {
      enable = enable "Nginx Web Server";
      recommendedProxySettings = yesNo false "Whether to enable recommended proxy settings.";
      recommendedTlsSettings = yesNo false "Whether to enable recommended TLS settings.";
      recommendedGzipSettings = yesNo false "Whether to enable recommended gzip settings.";
      recommendedOptimisation = yesNo false "Whether to enable recommended optimisation settings.";
      virtualHosts = mkOption {
        type = types.attrsOf (types.submodule {
          options = {
            serverName = mkOption { type = with types; nullOr str; default = null; description = "The virtual host's name (default: its attribute name)."; };
            serverAliases = listOfStr "Other names of the virtual host.";
            root = mkOption { type = with types; nullOr path; default = null; description = "The document root."; };
            forceSSL = yesNo false "Whether HTTP is redirected to HTTPS.";
            addSSL = yesNo false "Whether HTTPS is served besides HTTP.";
            enableACME = yesNo false "Whether to get a certificate from Let's Encrypt.";
            default = yesNo false "Whether this is the default virtual host.";
            extraConfig = mkOption { type = types.lines; default = ""; description = "Lines added to the server block."; };
            locations = mkOption {
              type = types.attrsOf (types.submodule {
                options = {
                  proxyPass = mkOption { type = with types; nullOr str; default = null; description = "The URL requests are proxied to."; };
                  proxyWebsockets = yesNo false "Whether websocket connections are proxied.";
                  root = mkOption { type = with types; nullOr path; default = null; description = "The location's root."; };
                  index = mkOption { type = with types; nullOr str; default = null; description = "The index files."; };
                  return = mkOption { type = with types; nullOr (oneOf [ str int ]); default = null; description = "A return directive."; };
                  extraConfig = mkOption { type = types.lines; default = ""; description = "Lines added to the location block."; };
                };
              });
              default = { };
              description = "Locations of the virtual host.";
            };
          };
        });
        default = { };
        description = "Virtual hosts.";
      };
    };
    services.caddy.enable = enable "Caddy web server";
    services.httpd.enable = yesNo false "Whether to enable the Apache HTTP Server.";
    services.postgresql = {
      enable = enable "PostgreSQL Server";
      ensureDatabases = listOfStr "Databases created if they do not exist.";
      ensureUsers = mkOption {
        type = types.listOf (types.submodule {
          options = {
            name = mkOption { type = types.str; description = "The user's name."; };
            ensureDBOwnership = yesNo false "Whether the user owns the database of the same name.";
          };
        });
        default = [ ];
        description = "Users created if they do not exist.";
      };
      authentication = mkOption { type = types.lines; default = ""; description = "Lines added to pg_hba.conf."; };
      enableTCPIP = yesNo false "Whether PostgreSQL listens on TCP/IP (not only the Unix socket).";
      settings = mkOption { type = open { port = mkOption { type = types.port; default = 5432; description = "The port PostgreSQL listens on."; }; }; default = { }; description = "Settings of postgresql.conf."; };
    };
    services.mysql.enable = yesNo false "Whether to enable the MySQL server.";
    services.redis.servers = mkOption {
      type = types.attrsOf (open { enable = enable "the Redis server"; port = mkOption { type = types.port; default = 6379; description = "The port Redis listens on."; }; });
      default = { };
      description = "Redis servers.";
    };
    services.fail2ban.enable = yesNo false "Whether to enable fail2ban, which bans hosts that cause multiple authentication errors.";
    services.syncthing.enable = enable "Syncthing service";
    services.syncthing.openDefaultPorts = yesNo false "Whether to open Syncthing's default ports in the firewall.";
    services.jellyfin.enable = enable "Jellyfin Media Server";
    services.jellyfin.openFirewall = openFirewall "Jellyfin";
    services.samba.enable = enable "Samba, the SMB/CIFS file server";
    services.nfs.server.enable = yesNo false "Whether to enable the kernel's NFS server.";
    services.flatpak.enable = enable "flatpak";
    services.fwupd.enable = enable "fwupd, a firmware update daemon";
    services.tlp.enable = yesNo false "Whether to enable TLP power management.";
    services.thermald.enable = yesNo false "Whether to enable thermald, the temperature management daemon.";
    services.power-profiles-daemon.enable = yesNo false "Whether to enable power-profiles-daemon.";
    services.cron.enable = yesNo false "Whether to enable the Vixie cron daemon.";
    services.prometheus.enable = enable "Prometheus monitoring daemon";
    services.grafana.enable = enable "grafana";
    services.netdata.enable = enable "netdata";
    services.home-assistant.enable = enable "Home Assistant";
    services.k3s.enable = enable "k3s";
    services.fstrim.enable = enable "periodic SSD TRIM of mounted partitions in background";
    services.journald.extraConfig = mkOption { type = types.lines; default = ""; description = "Lines added to journald.conf."; };
    services.xserver = {
      enable = yesNo false "Whether to enable the X server.";
      xkb.layout = mkOption { type = types.str; default = "us"; description = "The keyboard layout (X11)."; };
      xkb.variant = mkOption { type = types.str; default = ""; description = "The keyboard layout variant (X11)."; };
    };
    services.displayManager.gdm.enable = yesNo false "Whether to enable the GNOME Display Manager.";
    services.displayManager.sddm.enable = yesNo false "Whether to enable sddm as the display manager.";
    services.desktopManager.gnome.enable = yesNo false "Whether to enable the GNOME desktop environment.";
    services.desktopManager.plasma6.enable = enable "the Plasma 6 (KDE 6) desktop environment";
    services.libinput.enable = yesNo false "Whether to enable libinput for input devices.";
  };
}
