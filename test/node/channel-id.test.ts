import { describe, expect, it } from "vitest";
import { channelIdOf, fundingOutpointOf } from "../../src/node/channel-id.js";

describe("BOLT 2 channel ids", () => {
  it("derives the channel id from the funding outpoint (txid reversed, index XORed in)", () => {
    const txid = `${"00".repeat(31)}ab`; // displayed order: reversed, 0xab is the first byte
    expect(channelIdOf(`${txid}:0`)).toBe(`ab${"00".repeat(31)}`);
    expect(channelIdOf(`${txid}:1`)).toBe(`ab${"00".repeat(30)}01`);
    expect(channelIdOf(`${txid}:258`)).toBe(`ab${"00".repeat(29)}0102`);
  });

  it("recovers the funding output index from the channel id and the txid", () => {
    const txid = "5c4b1e0f9a6d7e3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b";
    for (const vout of [0, 1, 2, 255, 258, 65_535]) {
      expect(fundingOutpointOf(channelIdOf(`${txid}:${vout}`), txid)).toEqual({ txid, vout });
    }
  });
});
