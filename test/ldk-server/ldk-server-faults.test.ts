import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LdkServer } from "../../src/ldk-server/ldk-server.js";
import { WaitError } from "../../src/waits/wait-for.js";
import { isAlive } from "../support/processes.js";
import { selfSignedCert } from "../support/tls-fixture.js";

// Faults the real ldk-server cannot be made to show, from a stand-in daemon (test/support/fakes).
const FAKE = path.resolve("test/support/fakes/fake-ldk-server.mjs");
const bitcoind = { rpcAddress: "127.0.0.1:1", rpcUser: "u", rpcPassword: "p" };
const dirs: string[] = [];
const { cert, key } = selfSignedCert();
process.env.FAKE_LDK_TLS = JSON.stringify({ cert: cert.toString(), key: key.toString() });
afterEach(async () => {
  delete process.env.FAKE_LDK_MODE;
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function startFake(mode: string, readyTimeoutMs: number) {
  process.env.FAKE_LDK_MODE = mode;
  const storageDir = await mkdtemp(path.join(tmpdir(), "ldk-regtest-fake-"));
  dirs.push(storageDir);
  const started = Date.now();
  const error = await LdkServer.start({
    name: "alice",
    storageDir,
    bitcoind,
    executable: FAKE,
    readyTimeoutMs,
  })
    .then((server) => {
      return server.stop().then(() => new Error("started, but should not have"));
    })
    .catch((e: Error) => e);
  const pid = Number(readFileSync(path.join(storageDir, "fake.pid"), "utf8"));
  return { error, ms: Date.now() - started, alive: isAlive(pid) };
}

describe("LdkServer against a stand-in daemon", () => {
  it("ends an event wait at once when the daemon dies, though the wait names no daemon to watch", async () => {
    process.env.FAKE_LDK_MODE = "events";
    const storageDir = await mkdtemp(path.join(tmpdir(), "ldk-regtest-fake-"));
    dirs.push(storageDir);
    const node = await LdkServer.start({ name: "alice", storageDir, bitcoind, executable: FAKE });
    try {
      const waiting = node.events
        .waitForPayment("p1", ["paymentReceived"], { timeoutMs: 20_000 })
        .catch((e: unknown) => e);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const killedAt = Date.now();
      process.kill(node.pid ?? 0, "SIGKILL"); // a crash: not through kill(), which detaches the events
      const error = await waiting;
      expect(error).toBeInstanceOf(WaitError);
      expect(error).toMatchObject({ code: "WAIT_FAILED", reason: "daemon-exited" });
      expect((error as WaitError).message).toMatch(
        /^alice \(ldk-server\) killed by SIGKILL while waiting for: paymentReceived for payment p1/,
      );
      expect(Date.now() - killedAt).toBeLessThan(2000);
    } finally {
      await node.stop();
    }
  });
});

describe("LdkServer.start against a misbehaving daemon", () => {
  it("gives up on a gRPC port that never answers within readyTimeoutMs, and stops the daemon", async () => {
    const { error, ms, alive } = await startFake("silent-grpc", 2000);
    expect(alive).toBe(false);
    expect(error).toBeInstanceOf(WaitError);
    expect(error.message).toMatch(/alice \(ldk-server\) to answer GetNodeInfo/);
    expect(ms).toBeLessThan(5000);
  });

  it("gives up on a SubscribeEvents that never answers, within readyTimeoutMs", async () => {
    const { error, ms, alive } = await startFake("silent-subscribe", 2000);
    expect(alive).toBe(false);
    expect(error.message).toMatch(/refused the event subscription .*DEADLINE_EXCEEDED/);
    expect(ms).toBeLessThan(5000);
  });

  it("says which rev it expects when the event subscription is UNIMPLEMENTED", async () => {
    const { error, alive } = await startFake("unimplemented-events", 5000);
    expect(alive).toBe(false);
    expect(error.message).toMatch(
      /answers GetNodeInfo but refused the event subscription \(SubscribeEvents failed: UNIMPLEMENTED: unknown method\); is it ldk-server built from rev 7f3276a\?/,
    );
  });
});
