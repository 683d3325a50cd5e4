import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defaultTimeout } from "../common/durations.js";
import { LdkRegtestError } from "../common/errors.js";
import { readSupervisor, takeSupervisorFailure } from "../devnet/devnet-files.js";
import { tailLines } from "../processes/log-tail.js";
import { FatalWaitError, waitFor } from "../waits/wait-for.js";

export interface DetachOptions {
  dir: string;
  topology?: string | undefined;
  autoMineSeconds?: number | undefined;
  /** Aborting stops the supervisor (and so every daemon) before `launchSupervisor` rejects. */
  signal: AbortSignal;
}

/**
 * `up --detach`: starts the supervisor (`up --supervise`) in the background, in its own process group,
 * logging to `<dir>/supervisor.log`, and resolves once it serves its control socket. If it fails, or the
 * launch is aborted, the supervisor is stopped before this rejects: nothing outlives a failed `up`. Its
 * failure comes back with the supervisor's own error code and wait report.
 */
export async function launchSupervisor({
  dir,
  topology,
  autoMineSeconds,
  signal,
}: DetachOptions): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await takeSupervisorFailure(dir); // a stale one from an earlier failed launch
  const logPath = path.join(dir, "supervisor.log");
  const main = path.join(path.dirname(fileURLToPath(import.meta.url)), "main.js");
  const args = [main, "up", "--supervise", "--dir", dir];
  if (topology) args.push("--topology", topology);
  if (autoMineSeconds) args.push("--auto-mine", String(autoMineSeconds));
  const log = openSync(logPath, "a", 0o600);
  const child = spawn(process.execPath, args, { detached: true, stdio: ["ignore", log, log] });
  closeSync(log);
  child.unref();
  const exit = exitOf(child);
  try {
    await waitFor(
      `the supervisor (pid ${child.pid}) to bring the network up`,
      async () => {
        const code = exit.code();
        if (code !== undefined) throw new FatalWaitError(`the supervisor exited with ${code}`);
        return (await readSupervisor(dir))?.pid === child.pid;
      },
      { timeoutMs: defaultTimeout("supervisorUp"), maxIntervalMs: defaultTimeout("pollFile"), signal },
    );
  } catch (error) {
    // Nothing may outlive a failed up: SIGTERM stops the network's start, then its daemons.
    if (exit.code() === undefined) child.kill("SIGTERM");
    await exit.settled(defaultTimeout("supervisorDown"));
    if (signal.aborted) throw signal.reason;
    const tail = (await tailLines(logPath, 15)).join("\n   ");
    const failure = await takeSupervisorFailure(dir);
    if (failure) {
      failure.data.supervisorLog = logPath;
      failure.message += `\n  supervisor log: ${logPath}`;
      throw failure;
    }
    throw new LdkRegtestError(
      "START_FAILED",
      `${(error as Error).message.split("\n")[0]}; ${logPath}:\n   ${tail}`,
      { cause: error, data: { dir, supervisorLog: logPath } },
    );
  }
}

/** A child's exit: its code (or signal) once it exited, and a bounded wait for it. */
function exitOf(child: ChildProcess) {
  let code: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once("exit", (status, signal) => {
      code = signal ? `signal ${signal}` : `code ${status}`;
      resolve();
    });
  });
  return {
    code: () => code,
    /** Waits (the process stays alive meanwhile: the child is unref'd) until it exited, at most `ms`. */
    settled: async (ms: number) => {
      if (code !== undefined) return;
      child.ref();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
      clearTimeout(timer);
    },
  };
}
