# SPDX-License-Identifier: MIT
# AgntOS demo package set: real derivations, built from /bin/sh scripts with no
# downloads, named like common nixpkgs packages.  Used by the "profile" rebuild
# backend in tests and the demo.  Usable as `import ./nix/demo-pkgs {}` (or with
# any arguments, like nixpkgs) and as a path given to nix/profile/system.nix.
{ ... }:
let
  # One package: $out/bin/<mainProgram> is a shell script printing its version.
  # `meta` is added to the result (not a derivation argument) so it never
  # changes the build.
  mkDemo = { pname, version, description, mainProgram ? pname, broken ? false }:
    derivation {
      inherit pname version description mainProgram;
      name = "${pname}-${version}";
      system = builtins.currentSystem;
      builder = "/bin/sh";
      args = [ "-c" (if broken then ''
        echo "$pname: error: this package always fails to build (AgntOS test fixture)" >&2
        exit 1
      '' else ''
        set -e
        /bin/mkdir -p "$out/bin"
        f="$out/bin/$mainProgram"
        printf '#!/bin/sh\necho "%s %s (AgntOS demo package)"\ncase "$1" in --help|-h) echo "%s";; esac\n' \
          "$pname" "$version" "$description" > "$f"
        /bin/chmod 755 "$f"
      '') ];
    } // { meta = { inherit description mainProgram; }; };
in {
  hello    = mkDemo { pname = "hello";    version = "2.12.1"; description = "A program that produces a familiar, friendly greeting"; };
  htop     = mkDemo { pname = "htop";     version = "3.3.0";  description = "An interactive process viewer"; };
  btop     = mkDemo { pname = "btop";     version = "1.3.2";  description = "A monitor of resources"; };
  ripgrep  = mkDemo { pname = "ripgrep";  version = "14.1.0"; description = "A line-oriented search tool that recursively searches directories"; mainProgram = "rg"; };
  fd       = mkDemo { pname = "fd";       version = "10.1.0"; description = "A simple, fast and user-friendly alternative to find"; };
  bat      = mkDemo { pname = "bat";      version = "0.24.0"; description = "A cat clone with syntax highlighting and Git integration"; };
  jq       = mkDemo { pname = "jq";       version = "1.7.1";  description = "A lightweight and flexible command-line JSON processor"; };
  git      = mkDemo { pname = "git";      version = "2.44.0"; description = "Distributed version control system"; };
  curl     = mkDemo { pname = "curl";     version = "8.7.1";  description = "A command line tool for transferring files with URL syntax"; };
  wget     = mkDemo { pname = "wget";     version = "1.24.5"; description = "Tool for retrieving files using HTTP, HTTPS, and FTP"; };
  vim      = mkDemo { pname = "vim";      version = "9.1.0";  description = "The most popular clone of the VI editor"; };
  neovim   = mkDemo { pname = "neovim";   version = "0.10.0"; description = "Vim text editor fork focused on extensibility and agility"; mainProgram = "nvim"; };
  helix    = mkDemo { pname = "helix";    version = "24.03";  description = "A post-modern modal text editor"; mainProgram = "hx"; };
  tmux     = mkDemo { pname = "tmux";     version = "3.4";    description = "Terminal multiplexer"; };
  tree     = mkDemo { pname = "tree";     version = "2.1.1";  description = "Command to produce a depth indented directory listing"; };
  fzf      = mkDemo { pname = "fzf";      version = "0.52.1"; description = "A command-line fuzzy finder written in Go"; };
  ncdu     = mkDemo { pname = "ncdu";     version = "2.4";    description = "Disk usage analyzer with an ncurses interface"; };
  nmap     = mkDemo { pname = "nmap";     version = "7.95";   description = "A free and open source utility for network discovery and security auditing"; };
  file     = mkDemo { pname = "file";     version = "5.45";   description = "A program that shows the type of files"; };
  neofetch = mkDemo { pname = "neofetch"; version = "7.1.0";  description = "A fast, highly customizable system info script"; };

  # Test fixture: always fails at build time (for the build-failure paths).
  agntos-test-broken = mkDemo { pname = "agntos-test-broken"; version = "0"; description = "AgntOS test fixture that always fails to build"; broken = true; };
}
