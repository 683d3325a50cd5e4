import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import path from "node:path";
import {
  type BitcoinCorePlatform,
  bitcoinCorePlatform,
  bitcoinCoreRelease,
  DEFAULT_BITCOIN_CORE_VERSION,
  pinnedSha256ForFile,
} from "../cache/bitcoin-core-releases.js";
import { installDir } from "../cache/cache-dir.js";
import { LdkRegtestError } from "../common/errors.js";
import { download } from "./download.js";
import { extractBinaries } from "./extract-binaries.js";
import { type InstallResult, stagedInstall } from "./staged-install.js";

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
    throw new LdkRegtestError(
      "BAD_OPTION",
      `no pinned SHA-256 for ${path.basename(options.fromFile ?? "")}: name it like an official release (bitcoin-<version>-<platform>.tar.gz) or pass --sha256 <hex>`,
      { data: { option: "sha256", fromFile: options.fromFile } },
    );
  }
  if (!/^[0-9a-f]{64}$/.test(expected)) {
    throw new LdkRegtestError("BAD_OPTION", `--sha256 must be 64 hex characters, got "${expected}"`, {
      data: { option: "sha256", value: expected },
    });
  }
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
    if (actual !== expected) {
      throw new LdkRegtestError(
        "INSTALL_FAILED",
        `SHA-256 of ${path.basename(tarball)} is ${actual}, expected ${expected}${options.sha256 ? " (--sha256)" : " (pinned in ldk-regtest)"}: refusing to install it`,
        { data: { daemon: "bitcoind", file: tarball, sha256: actual, expectedSha256: expected } },
      );
    }
    log(`verified SHA-256 ${actual}`);
    options.signal?.throwIfAborted();
    await extractBinaries(tarball, path.join(stage, "bin"), ["bitcoind", "bitcoin-cli"]);
  });
}

async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
