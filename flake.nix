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
        # The one pin of the ldk-server rev; the TypeScript client targets the same (src/ldk-server/upstream.ts).
        upstream = (builtins.fromJSON (builtins.readFile ./upstream.json)).ldkServer;
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
          # `ldk-server --version` prints this instead of "unknown" (the source has no .git).
          env.GIT_HASH = upstream.rev;
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
      in
      {
        packages = {
          inherit ldk-server;
          default = ldk-server;
        };
        devShells.default = pkgs.mkShell {
          packages = [
            pkgs.bitcoind
            ldk-server
            pkgs.nodejs_22
            pkgs.just
          ];
        };
      }
    );
}
