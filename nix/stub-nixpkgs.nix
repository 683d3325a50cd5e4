# Stand-in for nixpkgs in nix/check-flake.nix: just enough attributes to evaluate flake.nix offline.
{ system }:
let
  stub = name: { inherit name; };
in
{
  bitcoind = stub "bitcoind";
  nodejs_22 = stub "nodejs";
  just = stub "just";
  cmake = stub "cmake";
  perl = stub "perl";
  pkg-config = stub "pkg-config";
  lib.licenses = {
    mit = "mit";
    asl20 = "asl20";
  };
  fetchFromGitHub = args: args // { outPath = "/nix/store/${system}-source"; };
  rustPlatform.buildRustPackage = args: args // { name = "ldk-server"; };
  mkShell = args: args;
}
