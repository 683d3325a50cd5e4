import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parse, stringify } from "smol-toml";
import { cacheDir, installDir } from "../cache/cache-dir.js";
import { LdkRegtestError } from "../common/errors.js";
import { applyPatch } from "../install/apply-patch.js";
import { runBuild } from "../install/run-build.js";
import { fetchSourceTree } from "../install/source-tree.js";
import { type InstallResult, stagedInstall } from "../install/staged-install.js";
import { patchDigest, TEST_KNOBS_PATCH, testBuildGitHash, testBuildVersion } from "./test-knobs.js";
import { LDK_SERVER_UPSTREAM } from "./upstream.js";

export interface InstallLdkServerOptions {
  /** Git URL of ldk-server (default the upstream repository). */
  gitUrl?: string;
  /** The rev to build (default the pinned one, from upstream.json). */
  rev?: string;
  force?: boolean;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** The cargo to run (default `cargo` on PATH). */
  cargo?: string;
  /** The package to install from that repository (default `ldk-server`). */
  packageName?: string;
  /**
   * The LSP build (`--features experimental-lsps2-support`), into `<cache>/ldk-server-lsps2/<rev>`
   * beside the default one: only LSP nodes run it.
   */
  lsps2?: boolean;
  /** Upstream as it is, without the test knobs (default: the test build). */
  stock?: boolean;
  /** The patch of the test build (default patches/ldk-node-test-knobs.patch of this package). */
  patchFile?: string;
  /** One line per phase; cargo's own progress goes to our stderr. */
  log?: (line: string) => void;
}

export const LDK_SERVER_GIT_URL = `https://github.com/${LDK_SERVER_UPSTREAM.owner}/${LDK_SERVER_UPSTREAM.repo}`;

/**
 * Builds ldk-server from the pinned rev with the user's cargo and git into `<cache>/ldk-server/<version>`
 * (the LSP build into `<cache>/ldk-server-lsps2/<version>`). By default the test build: ldk-node, at the
 * rev ldk-server's Cargo.lock pins, with our knobs patch, put in through cargo's source replacement (the
 * lock stays valid, `--locked` holds); `<version>` is `<rev>-knobs.<patch digest>`. `stock` builds upstream
 * as it is, into `<rev>`. Every build shares one cargo target dir in the cache, so a second build reuses
 * the first's dependencies. `--version` prints the rev, and the test build's marker after it.
 */
export async function installLdkServer(options: InstallLdkServerOptions = {}): Promise<InstallResult> {
  const log = options.log ?? (() => {});
  const env = options.env ?? process.env;
  const rev = options.rev ?? LDK_SERVER_UPSTREAM.rev;
  const gitUrl = options.gitUrl ?? LDK_SERVER_GIT_URL;
  const cargo = options.cargo ?? "cargo";
  const patchFile = options.stock ? undefined : (options.patchFile ?? TEST_KNOBS_PATCH);
  const daemon = options.lsps2 ? "ldk-server-lsps2" : "ldk-server";
  const dir = installDir(daemon, patchFile ? testBuildVersion(rev, patchFile) : rev, env);
  const result = await stagedInstall(
    daemon,
    rev,
    dir,
    "ldk-server",
    { force: options.force, log },
    async (stage) => {
      await runBuild(cargo, ["--version"], env, options.signal).catch((error: NodeJS.ErrnoException) => {
        throw error.code === "ENOENT"
          ? new LdkRegtestError(
              "INSTALL_FAILED",
              "cargo not found: ldk-server publishes no binaries, so it is built from source. Install Rust with rustup (https://rustup.rs) and run this again, or use the Nix flake (`nix develop`), which builds it for you",
              { data: { daemon: "ldk-server", cargo } },
            )
          : error;
      });
      const work = path.dirname(stage);
      const source = path.join(work, "ldk-server");
      log(`fetching ldk-server ${rev.slice(0, 7)} from ${gitUrl}`);
      await fetchSourceTree(gitUrl, rev, source, env, options.signal);
      const lock = await readFile(path.join(source, "Cargo.lock"), "utf8");
      const config = patchFile
        ? await patchedLdkNode(ldkNodeSource(lock), work, patchFile, env, log, options.signal)
        : [];
      const cargoEnv: NodeJS.ProcessEnv = {
        ...env,
        GIT_HASH: patchFile ? testBuildGitHash(rev, patchFile) : rev, // what `ldk-server --version` prints
        GIT_CEILING_DIRECTORIES: work, // so the build script finds no repository around the source
        CARGO_TARGET_DIR: env.CARGO_TARGET_DIR ?? path.join(cacheDir(env), "ldk-server-build", "target"),
        PATH: `${path.join(stage, "bin")}${path.delimiter}${env.PATH ?? ""}`, // else cargo warns it is not on PATH
        // A regtest harness does not need upstream's LTO release build; without it the build takes half as long.
        CARGO_PROFILE_RELEASE_LTO: env.CARGO_PROFILE_RELEASE_LTO ?? "false",
      };
      const manifest = await packageManifest(source, options.packageName ?? "ldk-server");
      const run = async (args: string[], what: string) => {
        const code = await runBuild(cargo, args, cargoEnv, options.signal);
        if (code !== 0) {
          throw new LdkRegtestError(
            "INSTALL_FAILED",
            `${what} failed (exit code ${code}); its output above says why`,
            {
              data: { daemon, exitCode: code },
            },
          );
        }
      };
      // The patched ldk-node keeps upstream's package id, so cargo could reuse the ldk-node of another
      // build (stock, another patch) from the shared target dir: a stamp says which one it holds, and
      // another one is cleaned first.
      const stamp = path.join(cargoEnv.CARGO_TARGET_DIR ?? "", ".ldk-regtest-ldk-node");
      const wanted = patchFile ? `patch ${patchDigest(patchFile)}` : "stock";
      if (lock.includes('name = "ldk-node"') && (await readFile(stamp, "utf8").catch(() => "")) !== wanted) {
        await run(
          ["clean", "--release", "-p", "ldk-node", "--manifest-path", manifest, ...config],
          "cargo clean -p ldk-node",
        );
      }
      log(
        `building ${daemon} ${rev.slice(0, 7)}${patchFile ? " (test build)" : " (stock)"} with cargo: the first build takes several minutes (about 10 on 2 cores), later ones 1–3`,
      );
      await run(
        [
          "install",
          "--locked",
          "--path",
          path.dirname(manifest),
          ...(options.lsps2 ? ["--features", "experimental-lsps2-support"] : []),
          "--root",
          stage,
          ...config,
        ],
        "cargo install",
      );
      await writeFile(stamp, wanted);
    },
  );
  return { ...result, testBuild: patchFile !== undefined };
}

/**
 * Fetches the ldk-node that ldk-server's Cargo.lock pins, applies the knobs patch to it, and returns the
 * cargo arguments that put it in place of the git source (a directory source: cargo's vendoring).
 */
async function patchedLdkNode(
  pinned: { url: string; rev: string },
  work: string,
  patchFile: string,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  signal: AbortSignal | undefined,
): Promise<string[]> {
  const vendor = path.join(work, "vendor");
  const tree = path.join(vendor, "ldk-node");
  log(
    `fetching ldk-node ${pinned.rev.slice(0, 7)} from ${pinned.url} and applying ${path.basename(patchFile)}`,
  );
  await fetchSourceTree(pinned.url, pinned.rev, tree, env, signal);
  await applyPatch(patchFile, tree, `ldk-node ${pinned.rev.slice(0, 7)}`);
  await writeFile(path.join(tree, ".cargo-checksum.json"), '{"files":{},"package":null}');
  const config = path.join(work, "test-build.toml");
  await writeFile(
    config,
    stringify({
      source: {
        "upstream-ldk-node": { git: pinned.url, rev: pinned.rev, "replace-with": "ldk-regtest-test-knobs" },
        "ldk-regtest-test-knobs": { directory: vendor },
      },
    }),
  );
  return ["--config", config];
}

/** The git URL and rev of ldk-node in a Cargo.lock. */
export function ldkNodeSource(lock: string): { url: string; rev: string } {
  const packages = (parse(lock).package ?? []) as { name?: string; source?: string }[];
  const source = packages.find((p) => p.name === "ldk-node")?.source ?? "";
  const match = /^git\+([^?#]+)\?rev=([0-9a-f]{40})#/.exec(source);
  if (!match?.[1] || !match[2]) {
    throw new LdkRegtestError(
      "INSTALL_FAILED",
      `ldk-server's Cargo.lock pins no ldk-node git rev (source "${source}"): the test build patches that ldk-node; build the stock one with --stock`,
      { data: { source } },
    );
  }
  return { url: match[1], rev: match[2] };
}

/** The Cargo.toml of `name` in the repository: at its root, or in a folder right under it (a workspace). */
async function packageManifest(root: string, name: string): Promise<string> {
  const candidates = [
    root,
    ...(await readdir(root, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => path.join(root, e.name)),
  ];
  for (const dir of candidates) {
    const manifest = path.join(dir, "Cargo.toml");
    const text = await readFile(manifest, "utf8").catch(() => "");
    if ((parse(text || "").package as { name?: string } | undefined)?.name === name) return manifest;
  }
  throw new LdkRegtestError("INSTALL_FAILED", `no package ${name} in the fetched repository`, {
    data: { package: name },
  });
}
