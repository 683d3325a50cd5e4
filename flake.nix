{
  description = "ldk-regtest: real bitcoind (regtest) and LDK Server networks driven from TypeScript";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";
    flake-utils.url = "github:numtide/flake-utils";
  };

  outputs =
    { nixpkgs, flake-utils, ... }:
    flake-utils.lib.eachDefaultSystem (
      system:
      let
        pkgs = import nixpkgs { inherit system; };
        pins = builtins.fromJSON (builtins.readFile ./upstream.json);
        # The one pin of the ldk-server rev; the TypeScript client targets the same (src/ldk-server/upstream.ts).
        upstream = pins.ldkServer;
        src = pkgs.fetchFromGitHub {
          inherit (upstream) owner repo rev hash;
        };
        ldk-server = pkgs.rustPlatform.buildRustPackage {
          pname = "ldk-server";
          version = "0.1.0-unstable-${builtins.substring 0 7 upstream.rev}";
          inherit src;
          # Cargo.lock pins git dependencies (ldk-node, rust-lightning, bitcoin-payment-instructions);
          # Nix fetches them by the revs in the lock file.
          cargoLock = {
            lockFile = "${src}/Cargo.lock";
            allowBuiltinFetchGit = true;
          };
          cargoBuildFlags = [ "-p" "ldk-server" ];
          # ldk-regtest's test build, as `ldk-regtest install ldk-server` makes it: our patch to the
          # ldk-node that Cargo.lock pins adds three timer knobs (inert unless their variables are set).
          # The vendored crates are a writable copy here ($cargoDepsCopy, made by cargoSetupHook).
          postPatch = ''
            patch -p1 -d "$(echo "$cargoDepsCopy"/ldk-node-*)" < ${./patches/ldk-node-test-knobs.patch}
          '';
          # `ldk-server --version` prints this instead of "unknown" (the source has no .git): the rev,
          # then the test build's marker with the patch's digest (src/ldk-server/test-knobs.ts).
          env.GIT_HASH = "${upstream.rev}+ldk-regtest-knobs.${
            builtins.substring 0 8 (builtins.hashFile "sha256" ./patches/ldk-node-test-knobs.patch)
          }";
          # aws-lc-sys builds with CMake through Cargo; keep the CMake hook from configuring the workspace.
          nativeBuildInputs = [ pkgs.cmake pkgs.perl pkgs.pkg-config ];
          dontUseCmakeConfigure = true;
          # The workspace tests need their own daemons; ldk-regtest's E2E tests exercise this binary.
          doCheck = false;
          meta = {
            description = "LDK Server: a ready-to-run Lightning node daemon built on LDK Node";
            homepage = "https://github.com/lightningdevkit/ldk-server";
            license = with pkgs.lib.licenses; [ mit asl20 ];
            mainProgram = "ldk-server";
          };
        };
        # lnd at the version the harness is tested with (src/lnd/executable.ts reads the same pin): lnd's own
        # release binaries (static Go builds), checked against the sums of its manifest. Only the Linux
        # systems have sums pinned; elsewhere `npx ldk-regtest install lnd` builds it with Go.
        lndPin = pins.lnd;
        lndPlatform = {
          x86_64-linux = "linux-amd64";
          aarch64-linux = "linux-arm64";
        };
        lndTarball = "lnd-${lndPlatform.${system}}-${lndPin.version}";
        lnd = pkgs.stdenv.mkDerivation {
          pname = "lnd";
          version = pkgs.lib.removePrefix "v" lndPin.version;
          src = pkgs.fetchurl {
            url = "https://github.com/${lndPin.owner}/${lndPin.repo}/releases/download/${lndPin.version}/${lndTarball}.tar.gz";
            sha256 = lndPin.releaseSha256.${system};
          };
          installPhase = "install -Dm755 -t $out/bin lnd lncli";
          # Static Go binaries, as released: nothing to patch or strip.
          dontPatchELF = true;
          dontStrip = true;
          meta = {
            description = "Lightning Network Daemon (lnd and lncli, lnd's release build)";
            homepage = "https://github.com/lightningnetwork/lnd";
            license = pkgs.lib.licenses.mit;
            mainProgram = "lnd";
          };
        };
        withLnd = builtins.hasAttr system lndPin.releaseSha256;
      in
      {
        packages = {
          inherit ldk-server;
          default = ldk-server;
        }
        // (if withLnd then { inherit lnd; } else { });
        devShells.default = pkgs.mkShell {
          packages = [
            pkgs.bitcoind
            ldk-server
          ]
          ++ (if withLnd then [ lnd ] else [ ])
          ++ [
            pkgs.nodejs_22
            pkgs.just
          ];
        };
      }
    );
}
