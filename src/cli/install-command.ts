import { cacheDir } from "../install/cache-dir.js";
import { installBitcoind } from "../install/install-bitcoind.js";
import { installLdkServer } from "../install/install-ldk-server.js";
import type { InstallResult } from "../install/staged-install.js";

export interface InstallCommandOptions {
  bitcoindVersion?: string;
  fromFile?: string;
  sha256?: string;
  mirror?: string;
  ldkServerGit?: string;
  force?: boolean;
  json?: boolean;
}

const DAEMONS = ["bitcoind", "ldk-server"] as const;
type Daemon = (typeof DAEMONS)[number];

/** Installs the named daemons (both by default) into the cache; returns the exit code. */
export async function installCommand(names: string[], options: InstallCommandOptions): Promise<number> {
  const unknown = names.filter((n) => !(DAEMONS as readonly string[]).includes(n));
  if (unknown.length > 0) {
    process.stderr.write(
      `unknown daemon ${unknown.join(", ")}: name bitcoind and/or ldk-server (or none for both)\n`,
    );
    return 2;
  }
  const which: Daemon[] = names.length > 0 ? (names as Daemon[]) : [...DAEMONS];
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const interrupted = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => interrupted.abort(signal);
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const report: Record<string, InstallResult | { error: string }> = {};
  try {
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
                signal: interrupted.signal,
                log: (line) => log(`bitcoind: ${line}`),
                onProgress: progressPrinter("bitcoind"),
              })
            : await installLdkServer({
                gitUrl: options.ldkServerGit,
                force: options.force,
                signal: interrupted.signal,
                log: (line) => log(`ldk-server: ${line}`),
              });
        report[daemon] = result;
        log(
          result.status === "present"
            ? `✔ ${daemon} ${short(result.version)} already installed: ${result.path}`
            : `✔ ${daemon} ${short(result.version)} installed in ${Math.round(result.ms / 1000)} s: ${result.path}`,
        );
      } catch (error) {
        report[daemon] = { error: (error as Error).message };
        log(`✖ ${daemon}: ${(error as Error).message}`);
        if (interrupted.signal.aborted) break;
      }
    }
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  const ok = which.every((d) => report[d] && !("error" in (report[d] as object)));
  if (options.json)
    process.stdout.write(`${JSON.stringify({ ok, cacheDir: cacheDir(), daemons: report })}\n`);
  if (interrupted.signal.aborted) return interrupted.signal.reason === "SIGINT" ? 130 : 143;
  return ok ? 0 : 1;
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
