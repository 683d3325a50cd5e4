import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import { installDir } from "../cache/cache-dir.js";
import { badOption, LdkRegtestError } from "../common/errors.js";
import { extractBinaries, type TarballLayout } from "../install/extract-binaries.js";
import { runBuild } from "../install/run-build.js";
import { type InstallResult, isExecutable, stagedInstall } from "../install/staged-install.js";
import { checkSha256, sha256OfFile, sha256Option } from "../install/tarball-sha256.js";
import { LND_VERSION } from "./executable.js";

export interface InstallLndOptions {
  /** Install lnd's release tarball (`lnd-<os>-<arch>-v0.21.3-beta.tar.gz`) instead of building it. */
  fromFile?: string;
  /** The tarball's SHA-256 (from lnd's signed manifest); default the one pinned for its name, if any. */
  sha256?: string;
  force?: boolean;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** The go to run (default `go` on PATH). */
  go?: string;
  /** One line per phase; go's own output goes to our stderr. */
  log?: (line: string) => void;
}

/** The `go` line of lnd v0.21.3-beta's go.mod: an older Go refuses to build it. */
export const LND_GO_VERSION = "1.25.13";

/**
 * lnd's go.mod `replace` lines, which `go install …@version` refuses: a module of our own repeats them
 * so that the build resolves the same dependencies as lnd's own.
 */
const LND_REPLACES = [
  "github.com/ulikunitz/xz => github.com/ulikunitz/xz v0.5.11",
  "github.com/gogo/protobuf => github.com/gogo/protobuf v1.3.2",
  "google.golang.org/protobuf => github.com/lightninglabs/protobuf-go-hex-display v1.33.0-hex-display",
];

/** The sub-servers lnd's release builds carry (the REST routes of walletrpc, routerrpc, … need them). */
const LND_RELEASE_TAGS = [
  "autopilotrpc",
  "signrpc",
  "walletrpc",
  "chainrpc",
  "invoicesrpc",
  "watchtowerrpc",
  "neutrinorpc",
  "monitoring",
  "peersrpc",
  "kvdb_sqlite",
];

/**
 * The release tags plus lnd's own `lowscrypt` (its tests use it): a new wallet encrypts its keys with
 * cheap scrypt parameters. A regtest wallet made with --noseedbackup has lnd's default, public password
 * anyway, and creating and unlocking it was most of lnd's start (to SERVER_ACTIVE: 5.9 s → 1.7 s here;
 * from a cached template 3.3 s → 1.4 s; medians of bench:mixed). It changes nothing else (one file of lnd has the tag).
 */
export const LND_BUILD_TAGS = [...LND_RELEASE_TAGS, "lowscrypt"];

const LND_MODULE = "github.com/lightningnetwork/lnd";
const LND_PACKAGES = [`${LND_MODULE}/cmd/lnd`, `${LND_MODULE}/cmd/lncli`];

/** The go.mod of the scratch module lnd is built from; `go get -tool` adds the requirements. */
export function lndBuildModule(): string {
  return [
    "module ldk-regtest/lnd-build",
    "",
    `go ${LND_GO_VERSION}`,
    "",
    ...LND_REPLACES.map((line) => `replace ${line}`),
    "",
  ].join("\n");
}

/** The arguments of the two go commands that build lnd and lncli into `binDir`. */
export function lndGoCommands(binDir: string): { get: string[]; build: string[] } {
  return {
    get: ["get", "-tool", ...LND_PACKAGES.map((p) => `${p}@${LND_VERSION}`)],
    build: [
      "build",
      "-tags",
      LND_BUILD_TAGS.join(" "),
      "-ldflags",
      `-X ${LND_MODULE}/build.Commit=${LND_VERSION}`, // what `lnd --version` prints as its commit
      "-o",
      `${binDir}${path.sep}`,
      ...LND_PACKAGES,
    ],
  };
}

/** lnd's release tarball for this machine, e.g. `lnd-linux-amd64-v0.21.3-beta.tar.gz`. */
export function lndReleaseTarball(): string {
  const arch = process.arch === "x64" ? "amd64" : process.arch;
  return `lnd-${process.platform}-${arch}-${LND_VERSION}.tar.gz`;
}

/** `lnd-<os>-<arch>-<version>/<name>`. */
const LND_TARBALL: TarballLayout = {
  what: `an lnd release tarball (${lndReleaseTarball()})`,
  place: (name) => `lnd-<os>-<arch>-${LND_VERSION}/${name}`,
  holds: (member, name) => /^(?:\.\/)?[^/]+\/([^/]+)$/.exec(member)?.[1] === name,
};

/**
 * Installs lnd and lncli at the pinned version into `<cache>/lnd/v0.21.3-beta/bin`: built with the user's
 * Go from a scratch module with lnd's replace lines (`go get -tool`, then `go build` with the release
 * tags), or taken from a release tarball (`fromFile`, checked against `sha256` or the pinned sum).
 */
export async function installLnd(options: InstallLndOptions = {}): Promise<InstallResult> {
  const log = options.log ?? (() => {});
  const env = options.env ?? process.env;
  const expected = fromFileSha256(options);
  const dir = installDir("lnd", LND_VERSION, env);
  return stagedInstall("lnd", LND_VERSION, dir, "lnd", { force: options.force, log }, async (stage) => {
    const binDir = path.join(stage, "bin");
    if (options.fromFile && expected) {
      log(`reading ${options.fromFile}`);
      const from = options.sha256 ? "--sha256" : "pinned in ldk-regtest";
      checkSha256("lnd", options.fromFile, await sha256OfFile(options.fromFile), expected, from);
      log(`verified SHA-256 ${expected}`);
      options.signal?.throwIfAborted();
      await extractBinaries(options.fromFile, binDir, ["lnd", "lncli"], LND_TARBALL);
      return;
    }
    await buildWithGo(options.go ?? "go", path.join(stage, "..", "module"), binDir, env, log, options.signal);
  });
}

/** With `fromFile`: the SHA-256 to expect (given, or pinned for its name); its name must not say another version. */
function fromFileSha256({ fromFile, sha256 }: InstallLndOptions): string | undefined {
  if (!fromFile) {
    if (sha256) {
      throw badOption("sha256", "--sha256 checks a --from-file tarball: pass one, or drop --sha256");
    }
    return undefined;
  }
  const named = /^lnd-[^-]+-[^-]+-(v\d+\.\d+\.\d+[^/]*?)\.tar\.gz$/.exec(path.basename(fromFile))?.[1];
  if (named && named !== LND_VERSION) {
    throw badOption(
      "fromFile",
      `${path.basename(fromFile)} is lnd ${named}; ldk-regtest is tested with ${LND_VERSION}: use ${lndReleaseTarball()}`,
      { value: fromFile, expected: LND_VERSION },
    );
  }
  const pinned = pinnedLndSha256(path.basename(fromFile));
  if (!sha256 && !pinned) {
    throw badOption(
      "sha256",
      `no pinned SHA-256 for ${path.basename(fromFile)} (ldk-regtest pins lnd-linux-amd64 and lnd-linux-arm64 ${LND_VERSION}): pass --sha256 <hex> from lnd's signed manifest-${LND_VERSION}.txt`,
      { fromFile },
    );
  }
  return sha256 ? sha256Option(sha256) : pinned;
}

/** The sums of lnd's manifest pinned in upstream.json (the flake fetches the same tarballs). */
const LND_RELEASE_SHA256: Record<string, string> = createRequire(import.meta.url)("../../upstream.json").lnd
  .releaseSha256;

/** lnd's release platforms with a pinned sum, and the Nix system each is for. */
const PINNED_PLATFORMS = { "linux-amd64": "x86_64-linux", "linux-arm64": "aarch64-linux" };

/** The pinned SHA-256 of an official tarball name, e.g. `lnd-linux-amd64-v0.21.3-beta.tar.gz`. */
function pinnedLndSha256(fileName: string): string | undefined {
  for (const [platform, system] of Object.entries(PINNED_PLATFORMS))
    if (fileName === `lnd-${platform}-${LND_VERSION}.tar.gz`) return LND_RELEASE_SHA256[system];
  return undefined;
}

async function buildWithGo(
  go: string,
  moduleDir: string,
  binDir: string,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  signal?: AbortSignal,
): Promise<void> {
  const goEnv = {
    ...env,
    GOWORK: "off", // a go.work of the user's must not pull our scratch module into theirs
    GO111MODULE: "on",
    GOFLAGS: "-mod=mod -buildvcs=false", // the user's GOFLAGS (e.g. -mod=vendor) would not fit this module
  };
  const version = await goVersion(go, goEnv);
  log(`resolving lnd ${LND_VERSION}'s modules with ${version.goVersion} (go get -tool)`);
  await mkdir(moduleDir, { recursive: true });
  await writeFile(path.join(moduleDir, "go.mod"), lndBuildModule());
  const commands = lndGoCommands(binDir);
  await goStep(go, commands.get, goEnv, moduleDir, signal);
  log(
    `building lnd and lncli with go build -tags "${LND_BUILD_TAGS.join(" ")}": the first build takes about 10 minutes on 2 cores, later ones reuse Go's build cache`,
  );
  await mkdir(binDir, { recursive: true });
  await goStep(go, commands.build, goEnv, moduleDir, signal);
  for (const name of ["lnd", "lncli"]) {
    if (!(await isExecutable(path.join(binDir, name)))) {
      throw new LdkRegtestError("INSTALL_FAILED", `go build exited 0 but wrote no ${name}`, {
        data: { daemon: "lnd", missing: name },
      });
    }
  }
}

async function goStep(
  go: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  signal?: AbortSignal,
): Promise<void> {
  const code = await runBuild(go, args, env, signal, cwd);
  if (code !== 0) {
    throw new LdkRegtestError(
      "INSTALL_FAILED",
      `go ${args[0]} failed (exit code ${code}); its output above says why`,
      { data: { daemon: "lnd", step: `go ${args[0]}`, exitCode: code } },
    );
  }
}

/** Both ways to get lnd, for an error that stops the Go build. */
const WAYS_FORWARD = `install Go ${LND_GO_VERSION} or newer (https://go.dev/dl) and run this again, or install lnd's release tarball: \`npx ldk-regtest install lnd --from-file ${lndReleaseTarball()} --sha256 <hex from its manifest>\``;

/** The user's Go, refused when it cannot build lnd and will not fetch a newer toolchain itself. */
async function goVersion(go: string, env: NodeJS.ProcessEnv): Promise<{ goVersion: string }> {
  const { stdout } = await promisify(execFile)(go, ["env", "GOVERSION", "GOTOOLCHAIN"], { env }).catch(
    (error: NodeJS.ErrnoException) => {
      throw new LdkRegtestError(
        "INSTALL_FAILED",
        error.code === "ENOENT"
          ? `go not found: lnd is built from source here. To go on, ${WAYS_FORWARD}`
          : `\`${go} env\` failed (${error.message.split("\n")[0]}). To go on, ${WAYS_FORWARD}`,
        { cause: error, data: { daemon: "lnd", go } },
      );
    },
  );
  const [goVersion = "", toolchain = ""] = stdout.trim().split("\n");
  if (goOlderThan(goVersion, LND_GO_VERSION) && toolchain.split("+")[0] === "local") {
    throw new LdkRegtestError(
      "INSTALL_FAILED",
      `${goVersion} is older than the Go ${LND_GO_VERSION} lnd ${LND_VERSION} needs, and GOTOOLCHAIN=local forbids fetching it. To go on, ${WAYS_FORWARD} (or unset GOTOOLCHAIN, so that go fetches it)`,
      { data: { daemon: "lnd", goVersion, needs: LND_GO_VERSION } },
    );
  }
  return { goVersion };
}

/** Whether `goVersion` ("go1.24.2", as `go env GOVERSION` prints it) is older than `needed` ("1.25.13"). */
export function goOlderThan(goVersion: string, needed: string): boolean {
  const have = /^go(\d+)\.(\d+)(?:\.(\d+))?/.exec(goVersion)?.slice(1);
  if (!have) return false; // a development build: let go itself say

  const want = needed.split(".");
  for (let i = 0; i < 3; i++) {
    const diff = Number(have[i] ?? 0) - Number(want[i] ?? 0);
    if (diff !== 0) return diff < 0;
  }
  return false;
}
