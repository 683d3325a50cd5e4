import { describe, expect, it } from "vitest";
import type { LndConnection } from "../../src/lnd/kind.js";
import { parseActivity, simNode } from "../../src/simln/sim-file.js";
import { daveConnection } from "../support/connections.js";

const nodes = { alice: { nodeId: "02aa" }, bob: { nodeId: "03bb" } };

describe("parseActivity", () => {
  it("turns names into node ids and the amount into msat", () => {
    expect(parseActivity("alice:bob:50sat:5", nodes)).toEqual({
      source: "02aa",
      destination: "03bb",
      amount_msat: 50_000,
      interval_secs: 5,
    });
    expect(parseActivity("bob:alice:1200msat:60:10", nodes)).toMatchObject({ amount_msat: 1200, count: 10 });
  });

  it.each([
    ["alice:bob:50sat", /write <source>:<destination>/],
    ["alice:carol:50sat:5", /no node "carol".*nodes: alice, bob/],
    ["alice:alice:50sat:5", /cannot pay itself/],
    ["alice:bob:50:5", /with its unit/],
    ["alice:bob:50sat:0", /interval_secs: 0 is below the minimum of 1/],
    ["alice:bob:50sat:70000", /above the maximum of 65535/],
    ["alice:bob:50sat:5:x", /count: "x" is not a whole number/],
    ["alice:bob:100000000000000sat:5", /more than a payment can carry/],
  ])("refuses %s", (text, message) => {
    expect(() => parseActivity(text, nodes)).toThrow(message);
  });
});

describe("simNode", () => {
  it("refuses a node kind it has no entry for, by name", () => {
    const lnd = { kind: "cln", nodeId: "02aa" } as unknown as Parameters<typeof simNode>[1];
    expect(() => simNode("alice", lnd)).toThrow(/alice is a cln node.*kinds: ldk-server, lnd/);
  });

  it("an lnd node: sim-ln's LndConnection fields (id, https:// gRPC address, macaroon and cert paths)", async () => {
    const withUri: LndConnection = { ...daveConnection, lndconnect: "lndconnect://secret" };
    const dave = await simNode("dave", withUri);
    expect(dave).toEqual({
      id: "03dd",
      address: "https://127.0.0.1:10009",
      macaroon: "/d/dave/admin.macaroon",
      cert: "/d/dave/tls.cert",
    });
  });
});
