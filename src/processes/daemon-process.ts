import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { defaultTimeout } from "../common/durations.js";
import { reaper } from "./reaper.js";

/** How a daemon's process ended: its exit code or signal, or why it never started. */
export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the binary could not be started at all (ENOENT, EACCES, …). */
  error?: Error;
}

export interface SpawnOptions {
  /** Name shown in errors, e.g. "bitcoind" or "alice (ldk-server)". */
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** stdout and stderr go here: panics and aborts that never reach the daemon's own log. */
  consolePath: string;
}

/** One child daemon in its own process group, reaped by the watchdog if we die first. */
export class DaemonProcess {
  readonly exited: Promise<ExitInfo>;
  private exit: ExitInfo | undefined;

  private constructor(
    readonly name: string,
    readonly pid: number,
    readonly consolePath: string,
    exited: Promise<ExitInfo>,
    private readonly child?: ChildProcess,
  ) {
    this.exited = exited.then((info) => {
      this.exit = info;
      reaper.forgetProcess(pid);
      return info;
    });
  }

  static spawn(options: SpawnOptions): DaemonProcess {
    const out = openSync(options.consolePath, "a", 0o600);
    try {
      const child = spawn(options.command, options.args, {
        env: options.env,
        stdio: ["ignore", out, out],
        detached: true, // own group: a terminal's Ctrl-C reaches us, and we stop children in order
      });
      const exited = new Promise<ExitInfo>((resolve) => {
        child.once("error", (error) => resolve({ code: null, signal: null, error }));
        child.once("exit", (code, signal) => resolve({ code, signal }));
      });
      child.unref(); // a forgotten daemon must not keep the test runner alive; the watchdog reaps it
      if (child.pid === undefined) return new DaemonProcess(options.name, -1, options.consolePath, exited);
      reaper.reapOnExit(child.pid);
      return new DaemonProcess(options.name, child.pid, options.consolePath, exited, child);
    } finally {
      closeSync(out);
    }
  }

  /** Undefined while running. */
  get exitInfo(): ExitInfo | undefined {
    return this.exit;
  }

  /**
   * SIGTERM the group, then SIGKILL after `graceMs` (default DEFAULT_TIMEOUTS.stopGrace). Resolves when
   * the process is gone.
   */
  async stop(graceMs = defaultTimeout("stopGrace")): Promise<ExitInfo> {
    if (this.exit || this.pid < 0) return this.exited;
    this.child?.ref(); // someone awaits the exit now: keep the event loop alive until it comes
    signalGroup(this.pid, "SIGTERM");
    const timer = setTimeout(() => signalGroup(this.pid, "SIGKILL"), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
      signalGroup(this.pid, "SIGKILL"); // helpers the daemon may have left in its group
    }
  }

  /** Immediate SIGKILL, for tests that simulate a crash. */
  kill(): Promise<ExitInfo> {
    if (this.exit || this.pid < 0) return this.exited;
    this.child?.ref();
    signalGroup(this.pid, "SIGKILL");
    return this.exited;
  }
}

export function describeExit(info: ExitInfo): string {
  if (info.error) return `could not start: ${info.error.message}`;
  return info.signal ? `killed by ${info.signal}` : `exited with code ${info.code}`;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  if (pid <= 1) return; // a failed spawn has no pid; -1 and 1 would reach far more than our daemon
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}
