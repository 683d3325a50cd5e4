import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Observable } from "../../src/waits/diagnostics.js";
import { WaitError } from "../../src/waits/wait-for.js";
import { waitForInvariant } from "../../src/waits/wait-for-invariant.js";

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function fakeDaemon(name: string): Promise<{ -readonly [K in keyof Observable]: Observable[K] }> {
  const dir = await mkdtemp(path.join(tmpdir(), "ldk-regtest-invariant-"));
  dirs.push(dir);
  const logPath = path.join(dir, "daemon.log");
  await writeFile(logPath, "channel usable\n");
  return { name, logPath, consolePath: path.join(dir, "console.log"), exitInfo: undefined };
}

describe("waitForInvariant", () => {
  it("resolves with the last value once the condition held for the whole duration", async () => {
    let probes = 0;
    const started = Date.now();
    const value = await waitForInvariant("channel stays usable", () => ++probes, {
      durationMs: 60,
      intervalMs: 5,
      holds: (n) => n > 0,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(60);
    expect(value).toBe(probes);
    expect(probes).toBeGreaterThan(2);
  });

  it("fails with a WaitError of reason violated naming when it broke and what was seen", async () => {
    const daemon = await fakeDaemon("alice (ldk-server)");
    let probes = 0;
    const error = await waitForInvariant(
      "no payment arrives at bob",
      () => ({ received: ++probes >= 3 ? 1 : 0 }),
      { durationMs: 5_000, intervalMs: 5, holds: (v) => v.received === 0, watch: [daemon] },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitError);
    const wait = error as WaitError;
    expect(wait.code).toBe("WAIT_FAILED");
    expect(wait.reason).toBe("violated");
    expect(wait.condition).toBe("no payment arrives at bob");
    expect(wait.lastObservation).toEqual({ received: 1 });
    expect(wait.elapsedMs).toBeLessThan(5_000);
    expect(wait.message).toMatch(/no payment arrives at bob: broken after \d+ ms of 5000 ms/);
    expect(wait.message).toContain('last observed: {"received":1}');
    expect(wait.message).toContain(`log: ${daemon.logPath}`);
    expect(wait.toJSON()).toMatchObject({ reason: "violated", lastObservation: { received: 1 } });
  });

  it("a throwing probe breaks it, with the error as the observation", async () => {
    const error = await waitForInvariant(
      "node answers",
      () => {
        throw new Error("connection refused");
      },
      { durationMs: 1_000, keepLogsOnFailure: false },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: "violated", lastObservation: { error: "connection refused" } });
    expect((error as Error).message).toContain("the probe threw");
  });

  it("a probe that hangs past probeTimeoutMs breaks it", async () => {
    const error = await waitForInvariant("node answers", () => new Promise<boolean>(() => {}), {
      durationMs: 5_000,
      probeTimeoutMs: 30,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: "violated" });
    expect((error as Error).message).toContain("a probe had not answered after 30 ms");
  });

  it("a watched daemon's death ends it with reason daemon-exited", async () => {
    const daemon = await fakeDaemon("bob (ldk-server)");
    setTimeout(() => {
      daemon.exitInfo = { code: null, signal: "SIGKILL" };
    }, 20);
    const error = await waitForInvariant("channel stays usable", () => true, {
      durationMs: 5_000,
      intervalMs: 5,
      watch: [daemon],
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: "daemon-exited" });
    expect((error as Error).message).toMatch(
      /bob \(ldk-server\) .*SIGKILL.* while channel stays usable had to hold/,
    );
  });

  it("aborting ends it at once with reason aborted", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const error = await waitForInvariant("channel stays usable", () => true, {
      durationMs: 5_000,
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: "aborted" });
    expect((error as WaitError).elapsedMs).toBeLessThan(5_000);
  });

  it("refuses a duration that is not a finite number of ms before probing", async () => {
    let probed = false;
    const error = await waitForInvariant(
      "x",
      () => {
        probed = true;
        return true;
      },
      { durationMs: Number.POSITIVE_INFINITY },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "BAD_OPTION" });
    expect(probed).toBe(false);
  });
});
