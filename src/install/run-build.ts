import { spawn } from "node:child_process";
import { LdkRegtestError } from "../common/errors.js";
import { reaper } from "../processes/reaper.js";

/**
 * Runs a build tool (cargo, go) with its output on our stderr, so its own progress shows; resolves with
 * its exit code. It runs in its own process group: aborting, or our death (the watchdog), kills it all.
 */
export function runBuild(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  signal?: AbortSignal,
  cwd?: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const child = spawn(command, args, { env, cwd, stdio: ["ignore", 2, 2], detached: true });
    if (child.pid) reaper.reapOnExit(child.pid); // a build must not outlive us either
    const onAbort = () => {
      try {
        if (child.pid) process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    child.once("error", reject);
    child.once("exit", (code, sig) => {
      if (child.pid) reaper.forgetProcess(child.pid);
      signal?.removeEventListener("abort", onAbort);
      if (signal?.aborted) {
        reject(
          new LdkRegtestError("ABORTED", `interrupted (${String(signal.reason)})`, { data: { command } }),
        );
      } else resolve(code ?? (sig ? 128 : 1));
    });
  });
}
