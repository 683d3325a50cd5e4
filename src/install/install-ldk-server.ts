import path from "node:path";
import { installDir } from "../cache/cache-dir.js";
import { LdkRegtestError } from "../common/errors.js";
import { LDK_SERVER_UPSTREAM } from "../ldk-server/upstream.js";
import { runBuild } from "./run-build.js";
import { type InstallResult, stagedInstall } from "./staged-install.js";

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
  /** One line per phase; cargo's own progress goes to our stderr. */
  log?: (line: string) => void;
}

export const LDK_SERVER_GIT_URL = `https://github.com/${LDK_SERVER_UPSTREAM.owner}/${LDK_SERVER_UPSTREAM.repo}`;

/**
 * Builds ldk-server from the pinned rev with the user's cargo (`cargo install --locked --git … --rev …`),
 * with GIT_HASH set so `ldk-server --version` names the rev, into `<cache>/ldk-server/<rev>` (the LSP
 * build into `<cache>/ldk-server-lsps2/<rev>`).
 */
export async function installLdkServer(options: InstallLdkServerOptions = {}): Promise<InstallResult> {
  const log = options.log ?? (() => {});
  const env = options.env ?? process.env;
  const rev = options.rev ?? LDK_SERVER_UPSTREAM.rev;
  const gitUrl = options.gitUrl ?? LDK_SERVER_GIT_URL;
  const cargo = options.cargo ?? "cargo";
  const daemon = options.lsps2 ? "ldk-server-lsps2" : "ldk-server";
  const dir = installDir(daemon, rev, env);
  return stagedInstall(daemon, rev, dir, "ldk-server", { force: options.force, log }, async (stage) => {
    await runBuild(cargo, ["--version"], env, options.signal).catch((error: NodeJS.ErrnoException) => {
      throw error.code === "ENOENT"
        ? new LdkRegtestError(
            "INSTALL_FAILED",
            "cargo not found: ldk-server publishes no binaries, so it is built from source. Install Rust with rustup (https://rustup.rs) and run this again, or use the Nix flake (`nix develop`), which builds it for you",
            { data: { daemon: "ldk-server", cargo } },
          )
        : error;
    });
    log(
      `building ${daemon} ${rev.slice(0, 7)} from ${gitUrl} with cargo: the first build takes several minutes (about 10 on 2 cores)`,
    );
    const code = await runBuild(
      cargo,
      [
        "install",
        "--locked",
        "--git",
        gitUrl,
        "--rev",
        rev,
        options.packageName ?? "ldk-server",
        ...(options.lsps2 ? ["--features", "experimental-lsps2-support"] : []),
        "--root",
        stage,
      ],
      {
        ...env,
        GIT_HASH: rev, // what `ldk-server --version` prints
        PATH: `${path.join(stage, "bin")}${path.delimiter}${env.PATH ?? ""}`, // else cargo warns it is not on PATH
        // A regtest harness does not need upstream's LTO release build; without it the build takes half as long.
        CARGO_PROFILE_RELEASE_LTO: env.CARGO_PROFILE_RELEASE_LTO ?? "false",
      },
      options.signal,
    );
    if (code !== 0) {
      throw new LdkRegtestError(
        "INSTALL_FAILED",
        `cargo install failed (exit code ${code}); its output above says why`,
        {
          data: { daemon, exitCode: code },
        },
      );
    }
  });
}
