import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ChannelState, type Event, EventSchema, type LdkServerClient } from "../../src/client/index.js";
import { EventBuffer } from "../../src/ldk-server/event-buffer.js";
import type { ExitInfo } from "../../src/processes/daemon-process.js";
import type { Observable } from "../../src/waits/diagnostics.js";
import { WaitError } from "../../src/waits/wait-for.js";

const channelEvent = (n: number): Event =>
  create(EventSchema, {
    event: {
      case: "channelStateChanged",
      value: { channelId: `c${n}`, userChannelId: `u${n}`, state: ChannelState.PENDING },
    },
  });

/** A client whose subscription yields `count` events, then stays open. */
function clientEmitting(count: number, ready: Promise<void> = Promise.resolve()) {
  let closed = false;
  const client = {
    subscribeEvents: () => ({
      ready,
      close: () => {
        closed = true;
      },
      async *[Symbol.asyncIterator]() {
        for (let n = 0; n < count; n++) yield channelEvent(n);
        await new Promise(() => {});
      },
    }),
  } as unknown as LdkServerClient;
  return { client, closed: () => closed };
}

describe("EventBuffer", () => {
  it("keeps only the newest events past its limit, counting the dropped ones", async () => {
    const buffer = new EventBuffer(5);
    await buffer.attach(clientEmitting(12).client);
    await buffer.waitFor(
      "twelve events",
      (e) => (e.event.value as { channelId?: string })?.channelId === "c11" || undefined,
      { timeoutMs: 2000 },
    );
    expect(buffer.all()).toHaveLength(5);
    expect(buffer.dropped).toBe(7);
    expect(buffer.mark()).toBe(12);
    const found = await buffer.waitForChannelState({ channelId: "c9" }, ChannelState.PENDING, {
      since: 9,
      timeoutMs: 500,
    });
    expect(found.userChannelId).toBe("u9");
    await expect(
      buffer.waitForChannelState({ channelId: "c1" }, ChannelState.PENDING, { timeoutMs: 100 }),
    ).rejects.toThrow(/timed out/);
    buffer.detach();
  });

  it("ends a wait at once when its node dies, though the wait itself watches nothing", async () => {
    const node: Observable & { exitInfo: ExitInfo | undefined } = {
      name: "alice (ldk-server)",
      logPath: "/nonexistent/ldk-server.log",
      consolePath: "/nonexistent/console.log",
      exitInfo: undefined,
    };
    const buffer = new EventBuffer(10, () => [node]);
    await buffer.attach(clientEmitting(0).client);
    setTimeout(() => {
      node.exitInfo = { code: null, signal: "SIGKILL" };
    }, 100);
    const started = Date.now();
    const error = await buffer
      .waitForPayment("p1", ["paymentReceived"], { timeoutMs: 10_000 })
      .catch((e) => e);
    expect(error).toBeInstanceOf(WaitError);
    expect(error).toMatchObject({ reason: "daemon-exited" });
    expect(error.daemons.map((d: { name: string }) => d.name)).toEqual(["alice (ldk-server)"]);
    expect(Date.now() - started).toBeLessThan(1500);
    buffer.detach();
  });

  it("also watches what a wait names (each daemon once), e.g. the acceptor of a channel being opened", async () => {
    const daemon = (name: string): Observable & { exitInfo: ExitInfo | undefined } => ({
      name,
      logPath: `/nonexistent/${name}.log`,
      consolePath: `/nonexistent/${name}.console`,
      exitInfo: undefined,
    });
    const [alice, bob] = [daemon("alice"), daemon("bob")];
    const buffer = new EventBuffer(10, () => [alice]);
    await buffer.attach(clientEmitting(0).client);
    setTimeout(() => {
      bob.exitInfo = { code: 1, signal: null };
    }, 100);
    const error = await buffer
      .waitForChannelState({ userChannelId: "u1" }, ChannelState.PENDING, {
        timeoutMs: 10_000,
        watch: [bob, alice],
      })
      .catch((e) => e);
    expect(error).toMatchObject({ reason: "daemon-exited" });
    expect(error.message).toMatch(/^bob exited with code 1 while waiting for: channel u1 PENDING/);
    expect(error.daemons.map((d: { name: string }) => d.name)).toEqual(["alice", "bob"]);
    buffer.detach();
  });

  it("closes the stream and rethrows when the server refuses the subscription", async () => {
    const refused = Promise.reject(new Error("SubscribeEvents failed: UNIMPLEMENTED"));
    refused.catch(() => {});
    const { client, closed } = clientEmitting(0, refused);
    await expect(new EventBuffer().attach(client)).rejects.toThrow(/UNIMPLEMENTED/);
    expect(closed()).toBe(true);
  });
});
