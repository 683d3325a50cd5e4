import { type ChildProcess, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { defaultTimeout } from "../common/durations.js";
import { WATCHDOG_SCRIPT } from "./watchdog-script.js";

type Message =
  | { add: "pid"; pid: number }
  | { del: "pid"; pid: number }
  | { add: "dir"; path: string }
  | { del: "dir"; path: string };

/**
 * Children must die with us even when we are SIGKILLed, which no exit handler can catch: a watchdog
 * process does it (see watchdog-script). The Reaper keeps the registry on our side too, so a watchdog
 * that dies is replaced and told everything again, and if none can be started at all we say so once and
 * fall back to cleaning up in an exit handler (which covers everything but SIGKILL).
 */
export class Reaper {
  private watchdog: ChildProcess | undefined;
  private readonly pids = new Set<number>();
  private readonly dirs = new Set<string>();
  private respawns = 0;
  private fallback = false;

  constructor(
    private readonly command = process.execPath,
    private readonly warn: (message: string) => void = (m) => process.stderr.write(`ldk-regtest: ${m}\n`),
  ) {}

  /** The watchdog's pid while one runs (tests kill it). */
  get watchdogPid(): number | undefined {
    return this.watchdog?.pid;
  }

  /** False once no watchdog could be started: a SIGKILL of this process would then leak children. */
  get available(): boolean {
    return !this.fallback;
  }

  /** Kill this process group when we exit, however we exit. */
  reapOnExit(pid: number): void {
    if (pid <= 1) return; // -1 or 1 would signal every process we may signal
    this.pids.add(pid);
    this.send({ add: "pid", pid });
  }

  forgetProcess(pid: number): void {
    if (this.pids.delete(pid)) this.send({ del: "pid", pid });
  }

  /** Remove this directory when we exit, unless `keepDir` is called first. */
  removeOnExit(dir: string): void {
    this.dirs.add(dir);
    this.send({ add: "dir", path: dir });
  }

  keepDir(dir: string): void {
    if (this.dirs.delete(dir)) this.send({ del: "dir", path: dir });
  }

  private send(message: Message): void {
    const watchdog = this.watchdog ?? this.spawn();
    watchdog?.stdin?.write(`${JSON.stringify(message)}\n`);
  }

  private spawn(): ChildProcess | undefined {
    if (this.fallback) return undefined;
    const grace = String(defaultTimeout("watchdogGrace"));
    const watchdog = spawn(this.command, ["-e", WATCHDOG_SCRIPT, grace], {
      stdio: ["pipe", "ignore", "ignore"],
      detached: true,
    });
    watchdog.unref();
    const stdin = watchdog.stdin;
    if (stdin && "unref" in stdin) (stdin as unknown as { unref(): void }).unref();
    stdin?.on("error", () => {}); // a dead watchdog is handled on 'exit'
    watchdog.once("error", (error) => {
      if (this.watchdog === watchdog) this.watchdog = undefined;
      this.useFallback(`could not start the watchdog process (${error.message})`);
    });
    watchdog.once("exit", (code, signal) => {
      if (this.watchdog !== watchdog) return;
      this.watchdog = undefined;
      if (++this.respawns > 5) {
        this.useFallback("the watchdog process keeps dying");
        return;
      }
      this.warn(`the watchdog process died (${signal ?? `code ${code}`}); starting a new one`);
      this.replay();
    });
    this.watchdog = watchdog;
    return watchdog;
  }

  /** Tells a new watchdog everything the old one knew. */
  private replay(): void {
    for (const pid of this.pids) this.send({ add: "pid", pid });
    for (const dir of this.dirs) this.send({ add: "dir", path: dir });
  }

  private useFallback(why: string): void {
    if (this.fallback) return;
    this.fallback = true;
    this.warn(
      `${why}: daemons are still stopped when this process exits or is interrupted, but not if it is SIGKILLed`,
    );
    process.once("exit", () => {
      for (const pid of this.pids) {
        try {
          process.kill(-pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
      for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
    });
  }
}

/** The process-wide reaper every daemon and run dir registers with. */
export const reaper = new Reaper();
