import { describe, expect, it } from "vitest";
import { Network } from "../../src/index.js";
import { e2eTitle } from "../support/daemons.js";
import { detectMixedDaemons } from "../support/lnd.js";
import { payAcross } from "../support/pay.js";
import { useTempCache } from "../support/temp-cache.js";

const daemons = await detectMixedDaemons();
const topology = {
  nodes: { alice: {}, dave: { kind: "lnd" as const } },
  channels: [{ from: "alice", to: "dave", sats: 500_000, push_sats: 100_000 }],
};

describe.skipIf(!daemons.ok)(e2eTitle("a cached template holding an LND node", daemons), () => {
  useTempCache("all", { pinDaemons: true });

  it("a copy of the template starts with the same lnd node, its channel usable, and pays", {
    timeout: 180_000,
  }, async () => {
    const first = await Network.start<"alice" | "dave">({ topology, cache: true });
    const daveId = first.lnd("dave").nodeId;
    await first.stop();
    await using copy = await Network.start<"alice" | "dave">({ topology, cache: true });
    expect(copy.lnd("dave").nodeId).toBe(daveId);
    const [channel] = await copy.node("dave").listChannels();
    expect([channel?.isUsable, channel?.channelValueSats]).toEqual([true, 500_000n]);
    await payAcross(copy.node("alice"), copy.node("dave"));
    await payAcross(copy.node("dave"), copy.node("alice"));
  });
});
