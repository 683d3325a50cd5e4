import path from "node:path";
import {
  type BitcoinCorePlatform,
  bitcoinCorePlatform,
  bitcoinCoreRelease,
  DEFAULT_BITCOIN_CORE_VERSION,
  pinnedSha256ForFile,
} from "../cache/bitcoin-core-releases.js";
import { installDir } from "../cache/cache-dir.js";
import { badOption } from "../common/errors.js";
import { download } from "./download.js";
import { BITCOIN_CORE_TARBALL, extractBinaries } from "./extract-binaries.js";
import { type InstallResult, stagedInstall } from "./staged-install.js";
import { checkSha256, sha256OfFile, sha256Option } from "./tarball-sha256.js";

export interface InstallBitcoindOptions {
  /** One of the pinned versions (default 31.0); from `--from-file`'s name when it is an official one. */
  version?: string;
  /** Install from this tarball instead of downloading. */
  fromFile?: string;
  /** Expect this SHA-256 instead of the pinned one (e.g. a tarball of your own build). */
  sha256?: string;
  /** Base URL instead of https://bitcoincore.org/bin (same layout). */
  mirror?: string;
  force?: boolean;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  platform?: BitcoinCorePlatform;
  stallTimeoutMs?: number;
  /** One line per phase. */
  log?: (line: string) => void;
  onProgress?: (received: number, total: number | undefined) => void;
}

/** Downloads (or takes) a Bitcoin Core release, verifies its SHA-256, and installs bitcoind and bitcoin-cli. */
export async function installBitcoind(options: InstallBitcoindOptions = {}): Promise<InstallResult> {
  const log = options.log ?? (() => {});
  const fromFileVersion = options.fromFile
    ? /^bitcoin-(\d+\.\d+(?:\.\d+)?)-/.exec(path.basename(options.fromFile))?.[1]
    : undefined;
  const version = options.version ?? fromFileVersion ?? DEFAULT_BITCOIN_CORE_VERSION;
  const platform = options.platform ?? bitcoinCorePlatform();
  // Known before anything is fetched: an unpinned version, or a file with no sum to check against.
  const release = options.fromFile ? undefined : bitcoinCoreRelease(version, platform, options.mirror);
  const expected = (
    options.sha256 ??
    (options.fromFile ? pinnedSha256ForFile(path.basename(options.fromFile)) : release?.sha256)
  )?.toLowerCase();
  if (!expected) {
    throw badOption(
      "sha256",
      `no pinned SHA-256 for ${path.basename(options.fromFile ?? "")}: name it like an official release (bitcoin-<version>-<platform>.tar.gz) or pass --sha256 <hex>`,
      { fromFile: options.fromFile },
    );
  }
  sha256Option(expected);
  const dir = installDir("bitcoind", version, options.env);
  return stagedInstall("bitcoind", version, dir, "bitcoind", { force: options.force, log }, async (stage) => {
    let tarball = options.fromFile ?? "";
    let actual: string;
    if (release) {
      tarball = path.join(stage, "..", release.fileName);
      log(`downloading ${release.url}`);
      ({ sha256: actual } = await download(release.url, tarball, {
        signal: options.signal,
        stallTimeoutMs: options.stallTimeoutMs,
        onProgress: options.onProgress,
      }));
    } else {
      log(`reading ${tarball}`);
      actual = await sha256OfFile(tarball);
    }
    checkSha256("bitcoind", tarball, actual, expected, options.sha256 ? "--sha256" : "pinned in ldk-regtest");
    log(`verified SHA-256 ${actual}`);
    options.signal?.throwIfAborted();
    await extractBinaries(
      tarball,
      path.join(stage, "bin"),
      ["bitcoind", "bitcoin-cli"],
      BITCOIN_CORE_TARBALL,
    );
  });
}
