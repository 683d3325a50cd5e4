# Evaluates flake.nix offline with stand-in inputs and shows what it pins and provides:
#   nix-instantiate --eval --strict nix/check-flake.nix
# No network and no builds; the real inputs are fetched by the first `nix develop`.
let
  outputs = (import ../flake.nix).outputs {
    nixpkgs.outPath = ./stub-nixpkgs.nix;
    flake-utils.lib.eachDefaultSystem = f: f "x86_64-linux";
  };
  ldk = outputs.packages.ldk-server;
in
{
  devShell = map (p: p.name) outputs.devShells.default.packages;
  ldkServer = {
    inherit (ldk.src) owner repo rev hash;
    inherit (ldk) cargoBuildFlags;
    allowBuiltinFetchGit = ldk.cargoLock.allowBuiltinFetchGit;
    gitHash = ldk.env.GIT_HASH;
    isDefault = outputs.packages.default == ldk;
  };
}
