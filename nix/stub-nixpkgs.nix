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
  lib.removePrefix =
    prefix: s:
    let
      n = builtins.stringLength prefix;
    in
    if builtins.substring 0 n s == prefix then builtins.substring n (builtins.stringLength s) s else s;
  fetchFromGitHub = args: args // { outPath = "/nix/store/${system}-source"; };
  fetchurl = args: args // { outPath = "/nix/store/${system}-download"; };
  stdenv.mkDerivation = args: args // { name = "${args.pname}-${args.version}"; };
  rustPlatform.buildRustPackage = args: args // { name = "ldk-server"; };
  mkShell = args: args;
}
