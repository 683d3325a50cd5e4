import { errorFromJson, type ReportedError } from "../devnet/error-json.js";
import { findLdkServer } from "../ldk-server/executable.js";
import { isTestBuild, STOCK_BUILD_NOTE } from "../ldk-server/test-knobs.js";
import { keepFromEnv } from "../processes/run-dir.js";
import { type E2eResult, runPayOverNewChannel } from "../scenario/pay-over-new-channel.js";
import { runCommand } from "./command-runner.js";

/** Runs the seed scenario, printing each step with its time; returns the exit code. */
export function e2eCommand(options: { keep?: boolean; json?: boolean }): Promise<number> {
  const keep = options.keep || keepFromEnv();
  const started = performance.now();
  return runCommand(
    {
      json: options.json,
      stopping: "stopping every daemon…",
      interrupted: "stopped every daemon and removed the run dir",
      forcedExitJson: () => ({
        totalMs: Math.round(performance.now() - started),
        failure: { step: "(interrupted twice)", message: "interrupted again while stopping" },
      }),
    },
    async (ctx) => {
      // A stock ldk-server works, seconds slower: say why once (a missing one is the scenario's error).
      const ldkServer = await findLdkServer().catch(() => undefined);
      if (ldkServer && !isTestBuild(ldkServer.version)) ctx.note(STOCK_BUILD_NOTE);
      const result = await runPayOverNewChannel({
        keep,
        signal: ctx.signal,
        onProgress: ({ index, total, name, ms }) => {
          if (ms !== undefined) ctx.progress(`✔ [${index}/${total}] ${name} (${ms} ms)`);
        },
      });
      if (ctx.signal.aborted) {
        // Whatever the step saw next (daemons stopping) is not the story: the user stopped the run.
        result.failure = {
          step: result.failure?.step ?? "(setup)",
          message: `interrupted by ${ctx.signal.reason}`,
        };
      }
      if (result.runDir) ctx.progress(`\nData dirs kept in ${result.runDir} (bitcoind/, alice/, bob/)`);
      return {
        json: { ...result },
        human: `\nE2E passed in ${result.totalMs} ms: payment SUCCEEDED on alice (OUTBOUND) and bob (INBOUND).`,
        ...(result.ok ? {} : { failure: stepFailure(result.failure) }),
      };
    },
  );
}

/** The failed step as an error: its own code if it has one, else WAIT_FAILED (with the wait) or STEP_FAILED. */
function stepFailure(failure: E2eResult["failure"]): ReportedError {
  const step = failure?.step ?? "(unknown)";
  const own = (failure as { code?: unknown } | undefined)?.code;
  return errorFromJson({
    code: own ?? (failure?.wait ? "WAIT_FAILED" : "STEP_FAILED"),
    message: `E2E failed at step "${step}": ${failure?.message ?? "no failure reported"}`,
    data: { step },
    wait: failure?.wait,
  });
}
