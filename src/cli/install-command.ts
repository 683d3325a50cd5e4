import { cacheDir } from "../cache/cache-dir.js";
import { badOption } from "../common/errors.js";
import { installBitcoind } from "../install/install-bitcoind.js";
import { installLdkServer } from "../install/install-ldk-server.js";
import { installLnd } from "../install/install-lnd.js";
import type { InstallResult } from "../install/staged-install.js";
import { runCommand } from "./command-runner.js";

export interface InstallCommandOptions {
  bitcoindVersion?: string;
  fromFile?: string;
  sha256?: string;
  mirror?: string;
  ldkServerGit?: string;
  /** Also ldk-server's LSP build (`--features experimental-lsps2-support`), beside the default one. */
  lsps2?: boolean;
  /** ldk-server without the test knobs (upstream as it is). */
  stock?: boolean;
  force?: boolean;
  json?: boolean;
}

const DAEMONS = ["bitcoind", "ldk-server", "lnd"] as const;
type Daemon = (typeof DAEMONS)[number];
/** What `install` with no names installs: what every network needs (lnd only networks with LND nodes). */
const DEFAULT_DAEMONS: Daemon[] = ["bitcoind", "ldk-server"];

/** Installs the named daemons (bitcoind and ldk-server by default) into the cache; returns the exit code. */
export function installCommand(names: string[], options: InstallCommandOptions): Promise<number> {
  return runCommand(
    { json: options.json, stopping: "stopping the install…", interrupted: "the cache is left as it was" },
    async (ctx) => {
      const unknown = names.filter((n) => !(DAEMONS as readonly string[]).includes(n));
      if (unknown.length > 0) {
        throw badOption(
          "daemons",
          `unknown daemon ${unknown.join(", ")}: name bitcoind, ldk-server and/or lnd (or none for bitcoind and ldk-server)`,
          { value: unknown.join(","), known: [...DAEMONS] },
        );
      }
      const named: Daemon[] = names.length > 0 ? (names as Daemon[]) : DEFAULT_DAEMONS;
      const which: (Daemon | "ldk-server-lsps2")[] = options.lsps2 ? [...named, "ldk-server-lsps2"] : named;
      // A tarball is bitcoind's or lnd's: with both named it would be one's and not the other's.
      if (options.fromFile && which.includes("bitcoind") && which.includes("lnd")) {
        throw badOption(
          "fromFile",
          "--from-file installs one daemon's tarball: run install bitcoind and install lnd separately",
          { daemons: which },
        );
      }
      const log = ctx.note;
      const report: Record<string, InstallResult | { error: string }> = {};
      let failure: unknown;
      for (const daemon of which) {
        try {
          const result =
            daemon === "bitcoind"
              ? await installBitcoind({
                  version: options.bitcoindVersion,
                  fromFile: options.fromFile,
                  sha256: options.sha256,
                  mirror: options.mirror ?? process.env.LDK_REGTEST_BITCOIN_MIRROR,
                  force: options.force,
                  signal: ctx.signal,
                  log: (line) => log(`bitcoind: ${line}`),
                  onProgress: progressPrinter("bitcoind"),
                })
              : daemon === "lnd"
                ? await installLnd({
                    fromFile: options.fromFile,
                    sha256: options.sha256,
                    force: options.force,
                    signal: ctx.signal,
                    log: (line) => log(`lnd: ${line}`),
                  })
                : await installLdkServer({
                    gitUrl: options.ldkServerGit,
                    lsps2: daemon === "ldk-server-lsps2",
                    stock: options.stock,
                    force: options.force,
                    signal: ctx.signal,
                    log: (line) => log(`ldk-server: ${line}`),
                  });
          report[daemon] = result;
          const build = result.testBuild === undefined ? "" : result.testBuild ? " (test build)" : " (stock)";
          log(
            result.status === "present"
              ? `✔ ${daemon} ${short(result.version)}${build} already installed: ${result.path}`
              : `✔ ${daemon} ${short(result.version)}${build} installed in ${Math.round(result.ms / 1000)} s: ${result.path}`,
          );
        } catch (error) {
          report[daemon] = { error: (error as Error).message };
          failure ??= error;
          log(`✖ ${daemon}: ${(error as Error).message}`);
          if (ctx.signal.aborted) break;
        }
      }
      const installed = which.filter((d) => !("error" in (report[d] ?? { error: "" })));
      const human = `${installed.map((d) => `${d} ${short((report[d] as InstallResult).version)}`).join(", ")} in ${cacheDir()}`;
      return { json: { cacheDir: cacheDir(), daemons: report }, human, failure };
    },
  );
}

const short = (version: string) => (/^[0-9a-f]{40}$/.test(version) ? version.slice(0, 7) : version);

/** On a terminal, one updating line (received / total, rate); elsewhere nothing (phases are logged). */
function progressPrinter(
  daemon: string,
): ((received: number, total: number | undefined) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  const started = Date.now();
  let last = 0;
  return (received, total) => {
    const now = Date.now();
    if (now - last < 100 && received !== total) return;
    last = now;
    const mib = (n: number) => (n / 1024 / 1024).toFixed(1);
    const rate = received / Math.max(0.001, (now - started) / 1000);
    const of = total ? ` / ${mib(total)}` : "";
    process.stderr.write(
      `\r${daemon}: ${mib(received)}${of} MiB (${mib(rate)} MiB/s)${received === total ? "\n" : ""}`,
    );
  };
}
