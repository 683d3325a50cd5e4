import { keepFromEnv } from "../processes/run-dir.js";
import { runPayOverNewChannel } from "../scenario/pay-over-new-channel.js";

/** Runs the seed scenario, printing each step with its time; returns the exit code. */
export async function e2eCommand(options: { keep?: boolean; json?: boolean }): Promise<number> {
  const keep = options.keep || keepFromEnv();
  // Steps go to stderr with --json so stdout stays one parseable object.
  const log = (line: string) => (options.json ? process.stderr : process.stdout).write(`${line}\n`);
  // First Ctrl-C/SIGTERM: stop every daemon and end the run; a second one kills us (the watchdog cleans up).
  const interrupted = new AbortController();
  let exitCode = 1;
  const onSignal = (signal: NodeJS.Signals) => {
    log(`\n${signal}: stopping all daemons…`);
    exitCode = signal === "SIGINT" ? 130 : 143;
    interrupted.abort(signal);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

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
