import { describe, expect, it } from "vitest";
import type { LndClient, LndForceClosingChannel } from "../../src/lnd/lnd-client.js";
import { lndClosureClaims } from "../../src/lnd/lnd-closure-claims.js";
import { channelIdOf } from "../../src/node/channel-id.js";

const POINT = `${"ab".repeat(32)}:1`;
const OTHER = `${"cd".repeat(32)}:0`;
const channel = (channel_point: string) => ({ channel_point, remote_node_pub: "02", capacity: "1000000" });

/** A client answering getinfo, listchannels and pendingchannels as lnd's REST does. */
function fakeClient(
  lists: { open?: string[]; waiting?: string[]; forceClosing?: LndForceClosingChannel[] },
  height = 200,
): LndClient {
  return {
    getInfo: async () => ({ block_height: height }),
    listChannels: async () => (lists.open ?? []).map((channel_point) => ({ channel_point })),
    pendingCloses: async () => ({
      waitingClose: (lists.waiting ?? []).map((p) => ({ channel: channel(p), limbo_balance: "500000" })),
      forceClosing: lists.forceClosing ?? [],
    }),
  } as unknown as LndClient;
}

const forceClosing = (point: string, extra: Partial<LndForceClosingChannel>): LndForceClosingChannel =>
  ({ channel: channel(point), limbo_balance: "699000", ...extra }) as LndForceClosingChannel;

describe("lndClosureClaims: what an lnd node still waits for on a closed channel", () => {
  const id = channelIdOf(POINT);

  it("listed open, then closing transaction unconfirmed; other channels do not count", async () => {
    const listed = await lndClosureClaims(fakeClient({ open: [POINT, OTHER] }), id, 200);
    expect(listed).toEqual({
      height: 200,
      synced: true,
      claims: [{ what: "channel still listed (closing transaction not yet seen)", sats: 0n }],
    });
    const waiting = await lndClosureClaims(fakeClient({ waiting: [POINT, OTHER] }), id, 200);
    expect(waiting.claims).toEqual([{ what: "closing transaction unconfirmed", sats: 500_000n }]);
  });

  it("a to_self output in its CSV delay is due at its maturity height; once mature, the next block", async () => {
    const delayed = forceClosing(POINT, { maturity_height: 344, blocks_til_maturity: 144 });
    const seen = await lndClosureClaims(fakeClient({ forceClosing: [delayed] }), id, 200);
    expect(seen.claims).toEqual([
      { what: "to_self output in its CSV delay", sats: 699_000n, dueHeight: 344, blocksLeft: 144 },
    ]);
    const mature = forceClosing(POINT, { maturity_height: 344, blocks_til_maturity: -2 });
    const sweeping = await lndClosureClaims(fakeClient({ forceClosing: [mature] }, 346), id, 346);
    expect(sweeping.claims).toEqual([
      { what: "output being swept by lnd's sweeper, until its sweep confirms", sats: 699_000n },
    ]);
  });

  it("HTLCs count apart from the to_self output; nothing in limbo and none left is resolved", async () => {
    const withHtlc = forceClosing(POINT, {
      limbo_balance: "719000",
      maturity_height: 0,
      pending_htlcs: [
        {
          incoming: false,
          amount: "20000",
          outpoint: "ef:2",
          maturity_height: 260,
          blocks_til_maturity: 60,
          stage: 1,
        },
      ],
    });
    const seen = await lndClosureClaims(fakeClient({ forceClosing: [withHtlc] }), id, 200);
    expect(seen.claims).toEqual([
      { what: "output being swept by lnd's sweeper, until its sweep confirms", sats: 699_000n },
      { what: "HTLC ef:2 (outgoing, stage 1)", sats: 20_000n, dueHeight: 260, blocksLeft: 60 },
    ]);
    const done = forceClosing(POINT, { limbo_balance: "0" });
    expect((await lndClosureClaims(fakeClient({ forceClosing: [done] }), id, 200)).claims).toEqual([]);
  });

  it("a node behind the tip is not synced", async () => {
    expect((await lndClosureClaims(fakeClient({}, 199), id, 200)).synced).toBe(false);
  });
});
