import { badOption, LdkRegtestError } from "../common/errors.js";

/**
 * Bitcoin Core release tarballs we install, pinned by SHA-256: the published sums (as also pinned by the
 * Rust `bitcoind` crate's repository). A download whose hash is not in this table is refused.
 */
export const BITCOIN_CORE_PLATFORMS = [
  "x86_64-linux-gnu",
  "aarch64-linux-gnu",
  "arm64-apple-darwin",
  "x86_64-apple-darwin",
] as const;
export type BitcoinCorePlatform = (typeof BITCOIN_CORE_PLATFORMS)[number];

export const BITCOIN_CORE_SHA256: Record<string, Record<BitcoinCorePlatform, string>> = {
  "29.0": {
    "x86_64-linux-gnu": "a681e4f6ce524c338a105f214613605bac6c33d58c31dc5135bbc02bc458bb6c",
    "aarch64-linux-gnu": "7922ac99363dd28f79e57ef7098581fd48ebd1119b412b07e73b1fd19fd0443f",
    "arm64-apple-darwin": "34431c582a0399dd42e1276d87d25306cbdde0217f6744bd55a2945986645dda",
    "x86_64-apple-darwin": "5bb824fc86a15318d6a83a1b821ff4cd4b3d3d0e1ec3d162b805ccf7cae6fca8",
  },
  "30.2": {
    "x86_64-linux-gnu": "6aa7bb4feb699c4c6262dd23e4004191f6df7f373b5d5978b5bcdd4bb72f75d8",
    "aarch64-linux-gnu": "73e76c14edc79808a0511c744d102ffbb494807ee90cbcba176568243254b532",
    "arm64-apple-darwin": "c2ecab62891de22228043815cb6211549a32272be3d5d052ff19847d3420bd10",
    "x86_64-apple-darwin": "99d5cee9b9c37be506396c30837a4b98e320bfea71c474d6120a7e8eb6075c7b",
  },
  "31.0": {
    "x86_64-linux-gnu": "d3e4c58a35b1d0a97a457462c94f55501ad167c660c245cb1ffa565641c65074",
    "aarch64-linux-gnu": "4de1d568dedd48604f75132421bc0abeca432639589b49a3909c81db3a813112",
    "arm64-apple-darwin": "a2d7a13b4da53d4a3e4c517f3a0269e2429813417bb320d3b268993cfdc545d0",
    "x86_64-apple-darwin": "56824dd705bc2a3b22d42e8aa02ed53498d491ff7c2c8aa96831333871887ead",
  },
};

export const DEFAULT_BITCOIN_CORE_VERSION = "31.0";
export const BITCOIN_CORE_BASE_URL = "https://bitcoincore.org/bin";

/** The release platform of this machine, or an error listing the supported ones. */
export function bitcoinCorePlatform(
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): BitcoinCorePlatform {
  const found = (
    {
      "linux-x64": "x86_64-linux-gnu",
      "linux-arm64": "aarch64-linux-gnu",
      "darwin-arm64": "arm64-apple-darwin",
      "darwin-x64": "x86_64-apple-darwin",
    } as Record<string, BitcoinCorePlatform>
  )[`${platform}-${arch}`];
  if (!found) {
    throw new LdkRegtestError(
      "INSTALL_FAILED",
      `no Bitcoin Core release for ${platform}/${arch}: releases exist for ${BITCOIN_CORE_PLATFORMS.join(", ")}. Install bitcoind another way and set BITCOIND_EXE, or use the Nix flake`,
      { data: { daemon: "bitcoind", platform, arch } },
    );
  }
  return found;
}

/** The tarball of `version` for `platform`: its file name, URL and pinned SHA-256. */
export function bitcoinCoreRelease(
  version: string,
  platform: BitcoinCorePlatform,
  mirror: string = BITCOIN_CORE_BASE_URL,
): { fileName: string; url: string; sha256: string } {
  const sums = BITCOIN_CORE_SHA256[version];
  if (!sums) {
    throw badOption(
      "bitcoindVersion",
      `Bitcoin Core ${version} is not one we pin: choose --bitcoind-version ${Object.keys(BITCOIN_CORE_SHA256).join(", ")}`,
      { value: version, pinned: Object.keys(BITCOIN_CORE_SHA256) },
    );
  }
  const fileName = `bitcoin-${version}-${platform}.tar.gz`;
  const base = mirror.replace(/\/+$/, "");
  return { fileName, url: `${base}/bitcoin-core-${version}/${fileName}`, sha256: sums[platform] };
}

/** The pinned sum for a tarball named like an official one, if any (for --from-file). */
export function pinnedSha256ForFile(fileName: string): string | undefined {
  const match = /^bitcoin-(\d+\.\d+(?:\.\d+)?)-(.+)\.tar\.gz$/.exec(fileName);
  if (!match) return undefined;
  return BITCOIN_CORE_SHA256[match[1] ?? ""]?.[match[2] as BitcoinCorePlatform];
}
