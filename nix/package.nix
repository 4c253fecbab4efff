# SPDX-License-Identifier: MIT
# AgntOS built with CMake from nixpkgs' libraries: agntctl, agntd, agnt, and the shipped nix/
# files and skills under share/agntos (agntctl finds them there).
#
#   pkgs.callPackage ./nix/package.nix { }
#
# checkPhase runs the unit tests that need no network, no root, no Nix store and no user
# namespaces (the build sandbox has none of them); the integration tests need real Nix,
# bubblewrap and root, and run with scripts/test (or the NixOS VM test, flake check `vm`).
{ lib
, stdenv
, cmake
, ninja
, pkg-config
, nlohmann_json
, tomlplusplus
, cli11
, sqlite
, curl
, libgit2
, md4c
, libedit
, gtest
, httplib
, git
, doCheck ? true
}:
stdenv.mkDerivation {
  pname = "agntos";
  version = "0.1.0";

  src = lib.fileset.toSource {
    root = ../.;
    fileset = lib.fileset.unions [
      ../CMakeLists.txt
      ../src
      ../tests
      ../nix
      ../skills
      ../LICENSE
    ];
  };

  nativeBuildInputs = [ cmake ninja pkg-config ];
  buildInputs = [ nlohmann_json tomlplusplus cli11 sqlite curl libgit2 md4c libedit ];
  nativeCheckInputs = [ git ];
  checkInputs = [ gtest httplib ];

  cmakeFlags = [
    (lib.cmakeBool "AGNTOS_BUILD_TESTS" doCheck)
    (lib.cmakeBool "AGNTOS_BUILD_BENCHMARKS" false)
  ];

  inherit doCheck;
  # Unit tests only (see above). Left out: OptionsIndex (runs nix-instantiate) and the agntctl
  # unit tests (bubblewrap). The selection was tried on Debian as an unprivileged user in a
  # network namespace with only loopback, without Nix and bubblewrap on PATH: everything else
  # passed (common 185, agntd 77 + 49 when the daemon core was a binary of its own, agnt 9); a real Nix sandbox build was not run.
  checkPhase = ''
    runHook preCheck
    export HOME=$TMPDIR
    tests/unit/common/common_unit_tests --gtest_filter='-OptionsIndex.*'
    tests/unit/agntd/agntd_unit_tests
    tests/unit/agnt/agnt_unit_tests
    runHook postCheck
  '';

  meta = {
    description = "An agent that manages a NixOS machine through reviewed, audited, reversible changes";
    license = lib.licenses.mit;
    platforms = lib.platforms.linux;
    mainProgram = "agnt";
  };
}
