import { describe, expect, it } from "vitest";
import { ldkClosureClaims } from "../../src/ldk-server/closure-claims.js";
import type { LdkServer } from "../../src/ldk-server/ldk-server.js";

const CHANNEL = "c1";

function fakeNode(balances: object, channels: object[] = [], height = 180): LdkServer {
  return {
    client: {
      getBalances: async () => ({
        lightningBalances: [],
        pendingBalancesFromChannelClosures: [],
        ...balances,
      }),
      listChannels: async () => ({ channels }),
    },
    bestBlockHeight: async () => height,
  } as unknown as LdkServer;
}

const awaiting = (channelId: string, confirmationHeight: number) => ({
  balanceType: {
    case: "claimableAwaitingConfirmations",
    value: { channelId, amountSatoshis: 699_056n, confirmationHeight },
  },
});

describe("ldkClosureClaims: what a node still waits for on a closed channel", () => {
  it("a to-self output names its due height and the blocks left; other channels do not count", async () => {
    const node = fakeNode({ lightningBalances: [awaiting(CHANNEL, 252), awaiting("other", 190)] });
    expect(await ldkClosureClaims(node, CHANNEL, 180)).toEqual({
      height: 180,
      synced: true,
      claims: [
        {
          what: "output in its to-self delay / awaiting confirmations",
          sats: 699_056n,
          dueHeight: 252,
          blocksLeft: 72,
        },
      ],
    });
  });

  it("a sweep past LDK's 6-block threshold is done, one short of it is due at its final height", async () => {
    const sweep = (confirmationHeight: number) => ({
      balanceType: {
        case: "awaitingThresholdConfirmations",
        value: { channelId: CHANNEL, amountSatoshis: 300_000n, confirmationHeight },
      },
    });
    const done = await ldkClosureClaims(
      fakeNode({ pendingBalancesFromChannelClosures: [sweep(127)] }),
      CHANNEL,
      180,
    );
    expect(done.claims).toEqual([]);
    const due = await ldkClosureClaims(
      fakeNode({ pendingBalancesFromChannelClosures: [sweep(178)] }),
      CHANNEL,
      180,
    );
    expect(due.claims).toMatchObject([{ dueHeight: 183, blocksLeft: 3 }]);
  });

  it("a channel still listed, or a node behind the tip, is not resolved", async () => {
    const node = fakeNode({}, [{ channelId: CHANNEL }], 179);
    const seen = await ldkClosureClaims(node, CHANNEL, 180);
    expect(seen.synced).toBe(false);
    expect(seen.claims.map((c) => c.what)).toEqual([
      "channel still listed (closing transaction not yet seen confirmed)",
    ]);
  });
});
