import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import { Reaper } from "../../src/processes/reaper.js";
import { waitFor } from "../../src/waits/wait-for.js";
import { isAlive } from "../support/processes.js";

const base = mkdtempSync(path.join(tmpdir(), "ldk-regtest-reaper-"));
const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const cleanup of cleanups) cleanup();
  rmSync(base, { recursive: true, force: true });
});

type Report = { watchdog: number; sleep?: number };

/** Starts a process that registers with the built reaper; resolves with its first report. */
async function registeringChild(
  config: object,
): Promise<{ child: ChildProcess; next: () => Promise<Report> }> {
  const child = spawn(process.execPath, ["test/support/reaper-child.mjs", JSON.stringify(config)], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  cleanups.push(() => child.kill("SIGKILL"));
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]();
  const next = async () => JSON.parse((await lines.next()).value as string) as Report;
  return { child, next };
}

const gone = (what: string, check: () => boolean, timeoutMs: number) =>
  waitFor(what, check, { timeoutMs, intervalMs: 20, maxIntervalMs: 50 });

describe("the watchdog", () => {
  it("removes a registered dir whose path holds a newline, and nothing else", async () => {
    const victim = path.join(base, "victim");
    const odd = path.join(base, "victim\nrest");
    mkdirSync(victim);
    mkdirSync(odd);
    const { child, next } = await registeringChild({ dirs: [odd] });
    await next();
    child.kill("SIGKILL");
    await gone("the odd dir removed", () => !existsSync(odd), 5000);
    expect(existsSync(victim)).toBe(true);
  });

  it("is replaced when it dies, so a later SIGKILL of its parent still reaps the daemons", async () => {
    const dir = path.join(base, "replaced");
    mkdirSync(dir);
    const { child, next } = await registeringChild({ dirs: [dir], spawnSleep: true });
    const first = await next();
    process.kill(first.watchdog, "SIGKILL");
    let second = first;
    await waitFor(
      "a new watchdog",
      async () => {
        child.stdin?.write("?\n");
        second = await next();
        return second.watchdog !== first.watchdog && isAlive(second.watchdog);
      },
      { timeoutMs: 5000, intervalMs: 50 },
    );
    child.kill("SIGKILL");
    await gone("the daemon and its dir reaped", () => !isAlive(first.sleep ?? 0) && !existsSync(dir), 8000);
  });

  it("does not wait for zombies: a group with only a zombie left counts as gone", async () => {
    // The zombie's parent lives outside the group and never reaps it (as a container's init may not).
    const holder = spawn(
      "python3",
      [
        "-c",
        "import subprocess,time; p=subprocess.Popen(['sleep','300'], start_new_session=True); print(p.pid, flush=True); time.sleep(60)",
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    cleanups.push(() => holder.kill("SIGKILL"));
    const sleepPid = Number(
      (await createInterface({ input: holder.stdout })[Symbol.asyncIterator]().next()).value,
    );
    const dir = path.join(base, "zombie");
    mkdirSync(dir);
    const { child, next } = await registeringChild({ dirs: [dir], pids: [sleepPid] });
    await next();
    const killed = Date.now();
    child.kill("SIGKILL");
    await gone("the dir removed", () => !existsSync(dir), 8000);
    // SIGTERM, then the zombie is seen as gone at the next 50 ms tick, far before the 5 s SIGKILL deadline.
    expect(Date.now() - killed).toBeLessThan(2000);
  });
});

describe("Reaper", () => {
  it("says once that no watchdog could be started, instead of crashing the process", async () => {
    const warnings: string[] = [];
    const reaper = new Reaper("/nonexistent/node", (m) => warnings.push(m));
    const dir = mkdtempSync(path.join(base, "fallback-"));
    reaper.removeOnExit(dir);
    await gone("the spawn failure noticed", () => !reaper.available, 2000);
    reaper.keepDir(dir);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/could not start the watchdog process .*ENOENT.*not if it is SIGKILLed/);
  });

  it("never registers pid 1 or a failed spawn's -1", () => {
    const reaper = new Reaper();
    reaper.reapOnExit(-1);
    reaper.reapOnExit(1);
    expect(reaper.watchdogPid).toBeUndefined(); // nothing was sent, so no watchdog was even tried
  });
});
