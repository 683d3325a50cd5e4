import { keepFromEnv } from "../processes/run-dir.js";
import { runPayOverNewChannel } from "../scenario/pay-over-new-channel.js";

/** Runs the seed scenario, printing each step with its time; returns the exit code. */
export async function e2eCommand(options: { keep?: boolean; json?: boolean }): Promise<number> {
  const keep = options.keep || keepFromEnv();
  // Steps go to stderr with --json so stdout stays one parseable object.
  const log = (line: string) => (options.json ? process.stderr : process.stdout).write(`${line}\n`);
  // First Ctrl-C/SIGTERM: abort the run wherever it is (starting or running) and stop every daemon. A
  // second one does not wait for that: it reports at once and exits, and the watchdog reaps the rest.
  const interrupted = new AbortController();
  let exitCode = 1;
  const started = performance.now();
  const onSignal = (signal: NodeJS.Signals) => {
    exitCode = signal === "SIGINT" ? 130 : 143;
    if (!interrupted.signal.aborted) {
      log(`\n${signal}: stopping all daemons…`);
      interrupted.abort(signal);
      return;
    }
    log(`\n${signal} again: exiting now; the watchdog stops whatever is left`);
    if (options.json) {
      const partial = {
        ok: false,
        totalMs: Math.round(performance.now() - started),
        failure: { step: "(interrupted twice)", message: `interrupted by ${signal} while stopping` },
      };
      process.stdout.write(`${JSON.stringify(partial)}\n`);
    }
    process.exit(exitCode);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  const result = await runPayOverNewChannel({
    keep,
    signal: interrupted.signal,
    onProgress: ({ index, total, name, ms }) => {
      if (ms !== undefined) log(`✔ [${index}/${total}] ${name} (${ms} ms)`);
    },
  });
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  if (interrupted.signal.aborted) {
    // Whatever the step saw next (daemons stopping) is not the story: the user stopped the run.
    result.failure = {
      step: result.failure?.step ?? "(setup)",
      message: `interrupted by ${interrupted.signal.reason}`,
    };
    if (options.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    return exitCode;
  }

  if (options.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } else if (result.ok) {
    log(`\nE2E passed in ${result.totalMs} ms: payment SUCCEEDED on alice (OUTBOUND) and bob (INBOUND).`);
  }
  if (!result.ok && result.failure) {
    process.stderr.write(`\n✖ E2E failed at step "${result.failure.step}"\n${result.failure.message}\n`);
  }
  if (result.runDir) log(`\nData dirs kept in ${result.runDir} (bitcoind/, alice/, bob/)`);
  return result.ok ? 0 : 1;
}
