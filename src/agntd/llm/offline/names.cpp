// SPDX-License-Identifier: MIT
#include "agntd/llm/offline/names.h"

#include <algorithm>
#include <array>
#include <utility>

namespace agntd::offline {
namespace {

// Option paths are the ones NixOS has (renamed options keep working through NixOS's own
// rename modules, so the older spelling is used where a rename is recent).
constexpr std::array kServices{
    ServiceName{"ssh|sshd|openssh|ssh server|sshd server|openssh server|remote login|ssh daemon",
                "services.openssh.enable", "the SSH server", true},
    ServiceName{"docker|docker daemon|docker engine", "virtualisation.docker.enable", "Docker", true},
    ServiceName{"podman", "virtualisation.podman.enable", "Podman", true},
    ServiceName{"libvirt|libvirtd|kvm|qemu virtualisation|qemu virtualization|virtual machines|virt-manager",
                "virtualisation.libvirtd.enable", "libvirt (virtual machines)", true},
    ServiceName{"virtualbox", "virtualisation.virtualbox.host.enable", "VirtualBox", true},
    ServiceName{"tailscale|tailscaled", "services.tailscale.enable", "Tailscale", true},
    ServiceName{"zerotier|zerotierone", "services.zerotierone.enable", "ZeroTier", true},
    ServiceName{"netbird", "services.netbird.enable", "NetBird", true},
    ServiceName{"mullvad|mullvad vpn|mullvad-vpn", "services.mullvad-vpn.enable", "Mullvad VPN", true},
    ServiceName{"printing|printer|printers|cups|print server|printer support",
                "services.printing.enable", "printing (CUPS)", true},
    ServiceName{"scanner|scanners|scanning|sane", "hardware.sane.enable", "scanner support (SANE)", true},
    ServiceName{"bluetooth|bt|bluez", "hardware.bluetooth.enable", "Bluetooth", true},
    ServiceName{"pipewire|sound|audio|sound server", "services.pipewire.enable", "sound (PipeWire)", true},
    ServiceName{"pulseaudio|pulse audio", "services.pulseaudio.enable", "PulseAudio", true},
    ServiceName{"nginx|nginx web server", "services.nginx.enable", "nginx", true},
    ServiceName{"apache|httpd|apache2|apache web server", "services.httpd.enable", "the Apache web server", true},
    ServiceName{"caddy", "services.caddy.enable", "Caddy", true},
    ServiceName{"postgres|postgresql|postgre|postgres database|postgresql database|postgres server",
                "services.postgresql.enable", "PostgreSQL", true},
    ServiceName{"flatpak|flatpaks", "services.flatpak.enable", "Flatpak", true},
    ServiceName{"fwupd|firmware updates|firmware updater", "services.fwupd.enable", "firmware updates (fwupd)", true},
    ServiceName{"avahi|mdns|zeroconf|bonjour", "services.avahi.enable", "Avahi (mDNS)", true},
    ServiceName{"samba|smb|samba server|file sharing", "services.samba.enable", "Samba", false},
    ServiceName{"nfs server|nfs", "services.nfs.server.enable", "the NFS server", true},
    ServiceName{"syncthing", "services.syncthing.enable", "Syncthing", true},
    ServiceName{"jellyfin", "services.jellyfin.enable", "Jellyfin", true},
    ServiceName{"plex|plex media server", "services.plex.enable", "Plex", true},
    ServiceName{"networkmanager|network manager|network-manager|wifi|wi-fi|wlan", "networking.networkmanager.enable",
                "NetworkManager", true},
    ServiceName{"fail2ban", "services.fail2ban.enable", "fail2ban", true},
    ServiceName{"cron|crond|cron daemon", "services.cron.enable", "cron", true},
    ServiceName{"x11|xorg|x server|xserver|x11 server", "services.xserver.enable", "the X server", true},
    ServiceName{"gnome|gnome desktop", "services.xserver.desktopManager.gnome.enable", "the GNOME desktop", true},
    ServiceName{"kde|plasma|kde plasma|plasma desktop|plasma 6|plasma6", "services.desktopManager.plasma6.enable",
                "the KDE Plasma desktop", true},
    ServiceName{"hyprland", "programs.hyprland.enable", "Hyprland", true},
    ServiceName{"sway", "programs.sway.enable", "Sway", true},
    ServiceName{"gdm", "services.xserver.displayManager.gdm.enable", "GDM", true},
    ServiceName{"sddm", "services.displayManager.sddm.enable", "SDDM", true},
    ServiceName{"steam", "programs.steam.enable", "Steam", true},
    ServiceName{"zsh", "programs.zsh.enable", "zsh", false},
    ServiceName{"fish", "programs.fish.enable", "fish", false},
    ServiceName{"gpg agent|gnupg agent|gpg-agent", "programs.gnupg.agent.enable", "the GnuPG agent", true},
    ServiceName{"timesyncd|time sync|time synchronisation|time synchronization|ntp",
                "services.timesyncd.enable", "time synchronisation (timesyncd)", true},
    ServiceName{"locate|mlocate|plocate", "services.locate.enable", "locate", false},
    ServiceName{"tlp", "services.tlp.enable", "TLP power management", true},
    ServiceName{"thermald", "services.thermald.enable", "thermald", true},
    ServiceName{"power profiles|power-profiles-daemon|power profiles daemon", "services.power-profiles-daemon.enable",
                "power profiles", true},
    ServiceName{"earlyoom", "services.earlyoom.enable", "earlyoom", true},
    ServiceName{"k3s|kubernetes", "services.k3s.enable", "k3s", true},
    ServiceName{"prometheus", "services.prometheus.enable", "Prometheus", true},
    ServiceName{"grafana", "services.grafana.enable", "Grafana", true},
    ServiceName{"netdata", "services.netdata.enable", "Netdata", true},
    ServiceName{"cockpit", "services.cockpit.enable", "Cockpit", true},
    ServiceName{"home assistant|home-assistant|homeassistant", "services.home-assistant.enable", "Home Assistant", true},
    ServiceName{"ollama", "services.ollama.enable", "Ollama", true},
    ServiceName{"gitea", "services.gitea.enable", "Gitea", true},
    ServiceName{"forgejo", "services.forgejo.enable", "Forgejo", true},
    ServiceName{"vaultwarden|bitwarden server", "services.vaultwarden.enable", "Vaultwarden", true},
    ServiceName{"adguard|adguard home|adguardhome", "services.adguardhome.enable", "AdGuard Home", true},
    ServiceName{"mosquitto|mqtt|mqtt broker", "services.mosquitto.enable", "Mosquitto (MQTT)", true},
    ServiceName{"unbound", "services.unbound.enable", "Unbound", true},
    ServiceName{"dnsmasq", "services.dnsmasq.enable", "dnsmasq", true},
    ServiceName{"resolved|systemd-resolved", "services.resolved.enable", "systemd-resolved", true},
    ServiceName{"xrdp|rdp|remote desktop", "services.xrdp.enable", "remote desktop (xrdp)", true},
    ServiceName{"vsftpd|ftp server|ftp", "services.vsftpd.enable", "the FTP server (vsftpd)", true},
    ServiceName{"transmission|transmission daemon", "services.transmission.enable", "Transmission", false},
    ServiceName{"tor|tor daemon", "services.tor.enable", "Tor", false},
    ServiceName{"clamav|antivirus|clamav daemon", "services.clamav.daemon.enable", "ClamAV", true},
    ServiceName{"teamviewer", "services.teamviewer.enable", "TeamViewer", true},
    ServiceName{"fstrim|trim|ssd trim", "services.fstrim.enable", "periodic SSD TRIM", true},
    ServiceName{"smartd|smart monitoring|disk health monitoring", "services.smartd.enable", "SMART disk monitoring", true},
    ServiceName{"acpid", "services.acpid.enable", "acpid", true},
    ServiceName{"touchpad|libinput|touchpad support", "services.libinput.enable", "touchpad support (libinput)", true},
    ServiceName{"graphics|opengl|graphics acceleration|hardware acceleration|3d acceleration",
                "hardware.graphics.enable", "graphics acceleration", true},
    ServiceName{"zram|zram swap|compressed swap", "zramSwap.enable", "zram swap", true},
    ServiceName{"automatic upgrades|automatic updates|auto upgrades|auto updates|auto upgrade|auto update|"
                "autoupgrade|unattended upgrades",
                "system.autoUpgrade.enable", "automatic upgrades", true},
    ServiceName{"garbage collection|automatic garbage collection|nix gc|gc|auto gc", "nix.gc.automatic",
                "automatic Nix garbage collection", true},
    ServiceName{"store optimisation|store optimization|nix store optimisation|auto optimise|auto optimize",
                "nix.optimise.automatic", "automatic Nix store optimisation", true},
    ServiceName{"firewall", "networking.firewall.enable", "the firewall", true},
};

constexpr std::array kPorts{
    PortName{"ssh", 22, true, false},       PortName{"http", 80, true, false},     PortName{"web", 80, true, false},
    PortName{"web", 443, true, false},      PortName{"https", 443, true, false},   PortName{"dns", 53, true, true},
    PortName{"smtp", 25, true, false},      PortName{"imaps", 993, true, false},   PortName{"ftp", 21, true, false},
    PortName{"minecraft", 25565, true, false}, PortName{"wireguard", 51820, false, true},
    PortName{"samba", 445, true, false},    PortName{"smb", 445, true, false},     PortName{"syncthing", 22000, true, true},
    PortName{"jellyfin", 8096, true, false}, PortName{"plex", 32400, true, false}, PortName{"postgres", 5432, true, false},
    PortName{"postgresql", 5432, true, false}, PortName{"mysql", 3306, true, false}, PortName{"rdp", 3389, true, false},
    PortName{"vnc", 5900, true, false},     PortName{"mdns", 5353, false, true},   PortName{"ntp", 123, false, true},
};

constexpr std::array<std::pair<std::string_view, std::string_view>, 44> kLocales{{
    {"english", "en_US.UTF-8"},          {"american", "en_US.UTF-8"},       {"american english", "en_US.UTF-8"},
    {"us english", "en_US.UTF-8"},       {"british", "en_GB.UTF-8"},        {"british english", "en_GB.UTF-8"},
    {"uk english", "en_GB.UTF-8"},       {"australian english", "en_AU.UTF-8"}, {"canadian english", "en_CA.UTF-8"},
    {"indian english", "en_IN.UTF-8"},   {"german", "de_DE.UTF-8"},         {"deutsch", "de_DE.UTF-8"},
    {"austrian german", "de_AT.UTF-8"},  {"swiss german", "de_CH.UTF-8"},   {"french", "fr_FR.UTF-8"},
    {"canadian french", "fr_CA.UTF-8"},  {"spanish", "es_ES.UTF-8"},        {"mexican spanish", "es_MX.UTF-8"},
    {"italian", "it_IT.UTF-8"},          {"portuguese", "pt_PT.UTF-8"},     {"brazilian", "pt_BR.UTF-8"},
    {"brazilian portuguese", "pt_BR.UTF-8"}, {"dutch", "nl_NL.UTF-8"},      {"swedish", "sv_SE.UTF-8"},
    {"norwegian", "nb_NO.UTF-8"},        {"danish", "da_DK.UTF-8"},         {"finnish", "fi_FI.UTF-8"},
    {"polish", "pl_PL.UTF-8"},           {"czech", "cs_CZ.UTF-8"},          {"russian", "ru_RU.UTF-8"},
    {"ukrainian", "uk_UA.UTF-8"},        {"greek", "el_GR.UTF-8"},          {"turkish", "tr_TR.UTF-8"},
    {"japanese", "ja_JP.UTF-8"},         {"chinese", "zh_CN.UTF-8"},        {"simplified chinese", "zh_CN.UTF-8"},
    {"traditional chinese", "zh_TW.UTF-8"}, {"korean", "ko_KR.UTF-8"},      {"hindi", "hi_IN.UTF-8"},
    {"hebrew", "he_IL.UTF-8"},           {"hungarian", "hu_HU.UTF-8"},      {"romanian", "ro_RO.UTF-8"},
    {"icelandic", "is_IS.UTF-8"},        {"estonian", "et_EE.UTF-8"},
}};

constexpr std::array<std::pair<std::string_view, std::string_view>, 30> kGroups{{
    {"wheel", "wheel"},       {"sudo", "wheel"},           {"sudoers", "wheel"},      {"sudoer", "wheel"},
    {"admin", "wheel"},       {"admins", "wheel"},         {"administrator", "wheel"}, {"administrators", "wheel"},
    {"root", "wheel"},        {"docker", "docker"},        {"podman", "podman"},      {"networkmanager", "networkmanager"},
    {"network", "networkmanager"}, {"audio", "audio"},     {"video", "video"},        {"input", "input"},
    {"libvirtd", "libvirtd"}, {"libvirt", "libvirtd"},     {"kvm", "kvm"},            {"dialout", "dialout"},
    {"serial", "dialout"},    {"lp", "lp"},                {"printing", "lp"},        {"scanner", "scanner"},
    {"plugdev", "plugdev"},   {"adbusers", "adbusers"},    {"users", "users"},        {"vboxusers", "vboxusers"},
    {"wireshark", "wireshark"}, {"render", "render"},
}};

bool names_contain(std::string_view names, std::string_view name) {
  size_t start = 0;
  while (start <= names.size()) {
    const auto end = std::min(names.find('|', start), names.size());
    if (names.substr(start, end - start) == name) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

const ServiceName* find_service(std::string_view name) {
  for (const auto& service : kServices)
    if (names_contain(service.names, name)) return &service;
  return nullptr;
}

std::span<const ServiceName> service_table() { return kServices; }

size_t longest_service_name_words() {
  size_t longest = 1;
  for (const auto& service : kServices) {
    size_t words = 1;
    for (char c : service.names) {
      if (c == ' ') ++words;
      if (c == '|') {
        longest = std::max(longest, words);
        words = 1;
      }
    }
    longest = std::max(longest, words);
  }
  return longest;
}

std::span<const PortName> ports_named(std::string_view name) {
  const auto first = std::find_if(kPorts.begin(), kPorts.end(), [&](const PortName& p) { return p.name == name; });
  auto last = first;
  while (last != kPorts.end() && last->name == name) ++last;
  return {first, last};
}

std::optional<std::string_view> locale_for_language(std::string_view name) {
  for (const auto& [language, locale] : kLocales)
    if (language == name) return locale;
  return std::nullopt;
}

std::optional<std::string_view> group_named(std::string_view word) {
  for (const auto& [name, group] : kGroups)
    if (name == word) return group;
  return std::nullopt;
}

}  // namespace agntd::offline
