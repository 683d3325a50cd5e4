import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { RunDir } from "../../src/processes/run-dir.js";
import type { Observable } from "../../src/waits/diagnostics.js";
import { FatalWaitError, WaitError, waitFor } from "../../src/waits/wait-for.js";

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function fakeDaemon(
  name: string,
  logLines: string[],
): Promise<Observable & { exitInfo: Observable["exitInfo"] }> {
  const dir = await mkdtemp(path.join(tmpdir(), "ldk-regtest-wait-"));
  dirs.push(dir);
  const logPath = path.join(dir, "daemon.log");
  const consolePath = path.join(dir, "console.log");
  await writeFile(logPath, `${logLines.join("\n")}\n`);
  await writeFile(consolePath, `${logLines.join("\n")}\nthread 'main' panicked at src/main.rs:1\n`);
  return { name, logPath, consolePath, exitInfo: undefined };
}

describe("waitFor", () => {
  it("returns the first value that satisfies the condition", async () => {
    let n = 0;
    const value = await waitFor("counter reaches 3", () => ++n, { until: (v) => v >= 3, intervalMs: 1 });
    expect(value).toBe(3);
  });

  it("treats a throwing probe as not yet", async () => {
    let n = 0;
    const value = await waitFor(
      "daemon answers",
      () => {
        if (++n < 3) throw new Error("connection refused");
        return "pong";
      },
      { intervalMs: 1 },
    );
    expect(value).toBe("pong");
  });

  it("on timeout names the condition, the last observation and each daemon's log path and tail", async () => {
    const alice = await fakeDaemon("alice (ldk-server)", ["line one", "channel pending"]);
    const error = await waitFor("channel usable", () => ({ isUsable: false, confirmations: 2n }), {
      until: (c) => c.isUsable,
      timeoutMs: 60,
      intervalMs: 10,
      watch: [alice],
    }).catch((e) => e);
    expect(error).toBeInstanceOf(WaitError);
    expect(error.condition).toBe("channel usable");
    expect(error.lastObservation).toEqual({ isUsable: false, confirmations: 2n });
    expect(error.message).toMatch(/timed out after \d+ ms waiting for: channel usable/);
    expect(error.message).toContain('last observed: {"isUsable":false,"confirmations":"2"}');
    expect(error.message).toContain(`log: ${alice.logPath}`);
    expect(error.message).toContain("| channel pending");
    expect(error.message).not.toContain("panicked"); // console extras only for dead daemons
    // The same, structured: for code that inspects failures and for --json reports.
    expect(error.reason).toBe("timeout");
    expect(error.elapsedMs).toBeGreaterThanOrEqual(60);
    expect(error.daemons).toEqual([
      {
        name: "alice (ldk-server)",
        state: "running",
        exitCode: null,
        signal: null,
        logPath: alice.logPath,
        tail: ["line one", "channel pending"],
      },
    ]);
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({
      reason: "timeout",
      condition: "channel usable",
      lastObservation: { isUsable: false, confirmations: "2" },
      daemons: [{ name: "alice (ldk-server)", state: "running" }],
    });
  });

  it("serializes a wait that never observed anything (its only probe never answered)", async () => {
    const error = await waitFor("node answers", () => new Promise<never>(() => {}), { timeoutMs: 30 }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(WaitError);
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ reason: "timeout", lastObservation: null });
  });

  it("ends at once when a watched daemon dies, showing what only its console saw", async () => {
    const bob = await fakeDaemon("bob (ldk-server)", ["starting"]);
    const started = Date.now();
    setTimeout(() => {
      bob.exitInfo = { code: 134, signal: null };
    }, 30);
    const error = await waitFor("payment listed", () => undefined, { timeoutMs: 10_000, watch: [bob] }).catch(
      (e) => e,
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error.message).toMatch(
      /bob \(ldk-server\) exited with code 134 while waiting for: payment listed/,
    );
    expect(error.message).toContain("| thread 'main' panicked at src/main.rs:1");
  });

  it("re-probes as soon as it is woken instead of sleeping out the interval", async () => {
    let ready = false;
    let wake: () => void = () => {};
    setTimeout(() => {
      ready = true;
      wake();
    }, 50);
    const started = Date.now();
    await waitFor("event arrived", () => ready, {
      intervalMs: 5000,
      wake: (cb) => {
        wake = cb;
        return () => {};
      },
    });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("ends at once on a FatalWaitError from the probe, with the report", async () => {
    const started = Date.now();
    const error = await waitFor(
      "funding confirmed",
      () => {
        throw new FatalWaitError("funding transaction abc was never broadcast");
      },
      { timeoutMs: 10_000 },
    ).catch((e) => e);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error).toBeInstanceOf(WaitError);
    expect(error.message).toMatch(
      /^funding transaction abc was never broadcast\n {2}while waiting for: funding confirmed/,
    );
  });

  it("a discarded run dir goes even after a failure, and keepLogsOnFailure: false notes nothing", async () => {
    const runDir = await RunDir.create({ keep: false });
    const node = await fakeDaemon("bob (ldk-server)", ["x"]);
    const inside = { ...node, logPath: path.join(runDir.path, "bob", "ldk-server.log") };
    const quiet = await waitFor("never", () => false, {
      timeoutMs: 20,
      watch: [inside],
      keepLogsOnFailure: false,
    }).catch((e) => e);
    expect(quiet.message).not.toContain("run dir kept");
    await waitFor("never", () => false, { timeoutMs: 20, watch: [inside] }).catch(() => {});
    await runDir.dispose({ discard: true });
    expect(existsSync(runDir.path)).toBe(false);
  });

  it("keeps the run dir holding the logs it reports, and says so", async () => {
    const runDir = await RunDir.create({ keep: false });
    const node = await fakeDaemon("alice (ldk-server)", ["x"]);
    const inside = { ...node, logPath: path.join(runDir.path, "alice", "ldk-server.log") };
    const error = await waitFor("never", () => false, { timeoutMs: 20, watch: [inside] }).catch((e) => e);
    expect(error.message).toContain(`run dir kept for inspection: ${runDir.path}`);
    await runDir.dispose();
    expect(runDir.keep).toBe(true);
    expect(existsSync(runDir.path)).toBe(true);
    await rm(runDir.path, { recursive: true, force: true });
  });

  it("bounds a probe that never settles by the time left, and aborts the probe's signal", async () => {
    let probeSignal: AbortSignal | undefined;
    const started = Date.now();
    const error = await waitFor(
      "node answers GetNodeInfo",
      (signal) => {
        probeSignal = signal;
        return new Promise<never>(() => {});
      },
      { timeoutMs: 150 },
    ).catch((e) => e);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error).toBeInstanceOf(WaitError);
    expect(error.reason).toBe("timeout");
    expect(error.message).toMatch(/waiting for: node answers GetNodeInfo \(the last probe had not answered/);
    expect(probeSignal?.aborted).toBe(true);
  });

  it("ends at once when aborted, even with a probe in flight", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort("SIGINT"), 30);
    const started = Date.now();
    const error = await waitFor("never answers", () => new Promise<never>(() => {}), {
      timeoutMs: 10_000,
      signal: controller.signal,
    }).catch((e) => e);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error).toBeInstanceOf(WaitError);
    expect(error.reason).toBe("aborted");
    expect(error.message).toMatch(/^aborted \(SIGINT\) while waiting for: never answers/);
  });

  it.each([Number.POSITIVE_INFINITY, 2 ** 31, -1, Number.NaN])(
    "refuses a timeoutMs of %s with a clear message instead of firing after 1 ms",
    async (timeoutMs) => {
      await expect(waitFor("x", () => false, { timeoutMs })).rejects.toThrow(
        /timeoutMs must be a finite number of milliseconds from 0 to 2147483647/,
      );
    },
  );
});
