# Evaluates flake.nix offline with stand-in inputs and shows what it pins and provides:
#   nix-instantiate --eval --strict nix/check-flake.nix
# No network and no builds; the real inputs are fetched by the first `nix develop`.
let
  outputsFor =
    system:
    (import ../flake.nix).outputs {
      nixpkgs.outPath = ./stub-nixpkgs.nix;
      flake-utils.lib.eachDefaultSystem = f: f system;
    };
  outputs = outputsFor "x86_64-linux";
  ldk = outputs.packages.ldk-server;
  lndOn = system: (outputsFor system).packages.lnd.src;
in
{
  devShell = map (p: p.name) outputs.devShells.default.packages;
  # A system with no lnd sum pinned: its dev shell has no lnd (`ldk-regtest install lnd` builds it there).
  darwinDevShell = map (p: p.name) (outputsFor "aarch64-darwin").devShells.default.packages;
  lnd = {
    inherit (outputs.packages.lnd) version;
    x86_64-linux = { inherit (lndOn "x86_64-linux") url sha256; };
    aarch64-linux = { inherit (lndOn "aarch64-linux") url sha256; };
  };
  ldkServer = {
    inherit (ldk.src) owner repo rev hash;
    inherit (ldk) cargoBuildFlags;
    allowBuiltinFetchGit = ldk.cargoLock.allowBuiltinFetchGit;
    gitHash = ldk.env.GIT_HASH;
    inherit (ldk) postPatch;
    isDefault = outputs.packages.default == ldk;
  };
}
