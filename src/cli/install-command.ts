import { cacheDir } from "../cache/cache-dir.js";
import { badOption } from "../common/errors.js";
import { installBitcoind } from "../install/install-bitcoind.js";
import type { InstallResult } from "../install/staged-install.js";
import { kindExecutables } from "../kinds/registry.js";
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

/** Installs the named daemons (bitcoind and ldk-server by default) into the cache; returns the exit code. */
export function installCommand(names: string[], options: InstallCommandOptions): Promise<number> {
  return runCommand(
    { json: options.json, stopping: "stopping the install…", interrupted: "the cache is left as it was" },
    async (ctx) => {
      // bitcoind, then every kind's builds: by name, or (a build with an install flag) by its flag.
      const executables = kindExecutables();
      const byName = executables.filter((e) => !e.installFlag);
      const known = ["bitcoind", ...byName.map((e) => e.spec.name)];
      const defaults = ["bitcoind", ...byName.filter((e) => e.installedByDefault).map((e) => e.spec.name)];
      const unknown = names.filter((n) => !known.includes(n));
      if (unknown.length > 0) {
        throw badOption(
          "daemons",
          `unknown daemon ${unknown.join(", ")}: name ${known.slice(0, -1).join(", ")} and/or ${known.at(-1)} (or none for ${defaults.join(" and ")})`,
          { value: unknown.join(","), known },
        );
      }
      const flags = options as Record<string, unknown>;
      const flagged = executables.filter((e) => e.installFlag && flags[e.installFlag] === true);
      const which = [...(names.length > 0 ? names : defaults), ...flagged.map((e) => e.spec.name)];
      // A tarball is one daemon's: with two named it would be one's and not the other's.
      if (options.fromFile && names.length > 1) {
        throw badOption(
          "fromFile",
          `--from-file installs one daemon's tarball: run ${names.map((n) => `install ${n}`).join(" and ")} separately`,
          { daemons: which },
        );
      }
      const log = ctx.note;
      const report: Record<string, InstallResult | { error: string }> = {};
      let failure: unknown;
      for (const daemon of which) {
        try {
          const executable = executables.find((e) => e.spec.name === daemon);
          const result = !executable
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
            : await executable.install({
                fromFile: options.fromFile,
                sha256: options.sha256,
                gitUrl: options.ldkServerGit,
                stock: options.stock,
                force: options.force,
                signal: ctx.signal,
                log: (line) => log(`${daemon}: ${line}`),
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
